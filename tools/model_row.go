package tools

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// ModelRow is the compact catalog entry that list_models returns. It is
// encoded as a JSON array, not an object, because a 50-row reply is sent
// twice (structuredContent and the same JSON as text) and key names would
// cost more than the values:
//
//	[id, name, type, params, ready]
//	[id, name, type, params, ready, huggingFaceId]
//
// Params is the parameter count in compact form ("7.2B"), "" when the
// record has none. Ready counts the deployments in waitingForChat that the
// record lists; it is nil (null) when the record carries no deployments
// array, as the vendor's guide does not say whether catalog pages list
// them. HuggingFaceID is appended only when it differs from Name.
// Publisher and the other record fields are left to get_model. The
// description of ListModelsOutput.Models names the positions, so keep it in
// step with this type.
type ModelRow struct {
	ID            string
	Name          string
	Type          string
	Params        string
	Ready         *int
	HuggingFaceID string
}

// modelRowFields is the number of positions a ModelRow array always has.
const modelRowFields = 5

// MarshalJSON encodes the row as [id, name, type, params, ready] plus
// huggingFaceId when it is set and differs from the name.
func (r ModelRow) MarshalJSON() ([]byte, error) {
	fields := []any{r.ID, r.Name, r.Type, r.Params, r.Ready}
	if r.HuggingFaceID != "" && r.HuggingFaceID != r.Name {
		fields = append(fields, r.HuggingFaceID)
	}
	return json.Marshal(fields)
}

// UnmarshalJSON decodes the array that MarshalJSON writes. A missing
// huggingFaceId means it equals the name.
func (r *ModelRow) UnmarshalJSON(data []byte) error {
	var fields []json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return fmt.Errorf("list_models row: want a JSON array: %w", err)
	}
	if len(fields) < modelRowFields || len(fields) > modelRowFields+1 {
		return fmt.Errorf("list_models row: got %d items, want %d or %d", len(fields), modelRowFields, modelRowFields+1)
	}

	var row ModelRow
	targets := []any{&row.ID, &row.Name, &row.Type, &row.Params, &row.Ready, &row.HuggingFaceID}
	for i, field := range fields {
		if err := json.Unmarshal(field, targets[i]); err != nil {
			return fmt.Errorf("list_models row item %d: %w", i, err)
		}
	}
	if row.HuggingFaceID == "" {
		row.HuggingFaceID = row.Name
	}
	*r = row
	return nil
}

func modelRow(m controlroom.Model) ModelRow {
	row := ModelRow{
		ID:            m.ID,
		Name:          m.Name,
		Type:          string(m.Type),
		Params:        compactParams(m.NumberOfParams),
		HuggingFaceID: m.HuggingFaceID,
	}
	if m.Deployments != nil {
		ready := 0
		for _, d := range m.Deployments {
			if d.Ready() {
				ready++
			}
		}
		row.Ready = &ready
	}
	return row
}

// compactParams writes a parameter count such as "7241732096" as "7.2B".
// A value that is not a plain count is passed through unchanged.
func compactParams(raw string) string {
	count, err := strconv.ParseFloat(raw, 64)
	if err != nil || count < 0 {
		return raw
	}
	for _, unit := range []struct {
		size   float64
		suffix string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}} {
		if count >= unit.size {
			short := strconv.FormatFloat(count/unit.size, 'f', precision(count/unit.size), 64)
			return strings.TrimSuffix(short, ".0") + unit.suffix
		}
	}
	return raw
}

// precision keeps one decimal below 10 and none above, so 7.24e9 reads
// 7.2B, 8e9 reads 8B and 70.6e9 reads 71B.
func precision(value float64) int {
	if value < 10 {
		return 1
	}
	return 0
}

// modelRows is the list of catalog rows. Its output schema declares an
// array of arrays; the description of the field that holds it names the
// positions.
type modelRows []ModelRow

// JSONSchema returns the schema of modelRows: an array of arrays.
func (modelRows) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{Type: "array"}}
}
