package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Paging limits of list_models.
const (
	listModelsDefaultSize = 20
	listModelsMaxSize     = 100
	// upstreamPageSize is the catalog page size used while filtering. The
	// vendor's guide lists the catalog with size=50.
	upstreamPageSize = 50
	// maxUpstreamPages bounds one filtered call to 40 upstream pages (2,000
	// records), so a filter that matches little cannot scan a huge catalog.
	maxUpstreamPages = 40
)

// ListModelsInput is the input of list_models.
type ListModelsInput struct {
	Text string `json:"text,omitempty" jsonschema:"maxLength=200" jsonschema_description:"Matches name, huggingFaceId or publisher, any case."`
	Type string `json:"type,omitempty" jsonschema:"enum=base,enum=awq,enum=ggml,enum=gguf" jsonschema_description:"Weight format."`
	Page int    `json:"page,omitempty" jsonschema:"minimum=0,maximum=10000" jsonschema_description:"Page, from 0."`
	Size int    `json:"size,omitempty" jsonschema:"minimum=1,maximum=100,default=20" jsonschema_description:"Page size."`
}

// ListModelsOutput is the result of list_models.
type ListModelsOutput struct {
	Models  modelRows `json:"models" jsonschema:"required" jsonschema_description:"[id, name, type, params, ready deployments if listed, huggingFaceId if not name]."`
	Page    int       `json:"page" jsonschema:"required" jsonschema_description:"Page."`
	Size    int       `json:"size" jsonschema:"required" jsonschema_description:"Page size."`
	HasMore bool      `json:"hasMore" jsonschema:"required" jsonschema_description:"More on page+1."`
	Note    string    `json:"note,omitempty" jsonschema_description:"Why the scan stopped early."`
}

var listModels = define(Tool{
	Name:        "list_models",
	Title:       "List catalog models",
	Description: "Search the catalog by text or weight format; check before register_model.",
	Toolset:     ToolsetModels,
	Effect:      EffectRead,
	Annotations: Annotations{ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},
}, runListModels)

func runListModels(ctx context.Context, api controlroom.API, in ListModelsInput) (ListModelsOutput, error) {
	if err := checkListModelsInput(&in); err != nil {
		return ListModelsOutput{}, err
	}
	out := ListModelsOutput{Models: modelRows{}, Page: in.Page, Size: in.Size}

	if in.Text == "" && in.Type == "" {
		return listModelsUnfiltered(ctx, api, in, out)
	}
	return listModelsFiltered(ctx, api, in, out)
}

func checkListModelsInput(in *ListModelsInput) error {
	in.Text = strings.TrimSpace(in.Text)
	if in.Size == 0 {
		in.Size = listModelsDefaultSize
	}
	if in.Size < 1 || in.Size > listModelsMaxSize {
		return &ArgumentError{Argument: "size", Message: fmt.Sprintf("got %d, want 1 to %d", in.Size, listModelsMaxSize)}
	}
	if in.Page < 0 {
		return &ArgumentError{Argument: "page", Message: fmt.Sprintf("got %d, want 0 or more", in.Page)}
	}
	if in.Type != "" && !controlroom.ModelType(in.Type).Valid() {
		return &ArgumentError{Argument: "type", Message: fmt.Sprintf("got %q, want one of base, awq, ggml, gguf", in.Type)}
	}
	return nil
}

// listModelsUnfiltered maps the request onto one upstream page. A Control
// Room that ignores size and returns more rows than asked for is taken to
// have returned the whole catalog, which is then paged here.
func listModelsUnfiltered(ctx context.Context, api controlroom.API, in ListModelsInput, out ListModelsOutput) (ListModelsOutput, error) {
	page, err := api.ListModels(ctx, in.Page, in.Size)
	if err != nil {
		return out, upstreamError("list_models", subject{}, err)
	}

	rows := page.Content
	if len(rows) > in.Size {
		start := min(in.Page*in.Size, len(rows))
		end := min(start+in.Size, len(rows))
		out.HasMore = end < len(rows)
		rows = rows[start:end]
	} else {
		// Without totals from the Control Room (a bare array), a full page
		// may be followed by another one.
		totalsUnknown := page.TotalElements == int64(len(page.Content))
		out.HasMore = in.Page+1 < page.TotalPages || (totalsUnknown && len(rows) == in.Size)
	}

	for _, model := range rows {
		out.Models = append(out.Models, modelRow(model))
	}
	return out, nil
}

// listModelsFiltered scans upstream pages in order, skipping the matches of
// earlier result pages, and stops as soon as the requested page is full and
// one more match shows that another page exists.
func listModelsFiltered(ctx context.Context, api controlroom.API, in ListModelsInput, out ListModelsOutput) (ListModelsOutput, error) {
	skip := in.Page * in.Size
	needle := strings.ToLower(in.Text)

	for upstream := 0; upstream < maxUpstreamPages; upstream++ {
		page, err := api.ListModels(ctx, upstream, upstreamPageSize)
		if err != nil {
			return out, upstreamError("list_models", subject{}, err)
		}

		for _, model := range page.Content {
			if !matchesModel(model, needle, in.Type) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if len(out.Models) == in.Size {
				out.HasMore = true
				return out, nil
			}
			out.Models = append(out.Models, modelRow(model))
		}

		if lastUpstreamPage(page, upstream) {
			return out, nil
		}
	}

	out.Note = fmt.Sprintf("stopped after scanning the first %d catalog records; narrow text or type to find later ones", maxUpstreamPages*upstreamPageSize)
	return out, nil
}

// lastUpstreamPage reports whether page, fetched as page number upstream,
// ends the catalog. Without totals (a bare array) only a short page does; a
// page longer than asked for means the Control Room ignored paging and
// returned everything.
func lastUpstreamPage(page *controlroom.ModelPage, upstream int) bool {
	rows := len(page.Content)
	if rows == 0 || rows > upstreamPageSize {
		return true
	}
	totalsUnknown := page.TotalElements == int64(rows)
	if totalsUnknown {
		return rows < upstreamPageSize
	}
	return upstream+1 >= page.TotalPages
}

func matchesModel(model controlroom.Model, needle, modelType string) bool {
	if modelType != "" && !strings.EqualFold(string(model.Type), modelType) {
		return false
	}
	if needle == "" {
		return true
	}
	for _, field := range []string{model.Name, model.HuggingFaceID, model.Publisher} {
		if strings.Contains(strings.ToLower(field), needle) {
			return true
		}
	}
	return false
}
