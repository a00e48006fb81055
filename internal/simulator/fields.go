package simulator

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// maxNameLength is the longest catalog name the simulator accepts. The
// vendor's guide sets no limit; this one is the simulator's own.
const maxNameLength = 256

// optionalStringFields lists the optional string fields of a model record
// with a pointer to each in the record.
var optionalStringFields = []struct {
	name  string
	field func(m *model) **string
}{
	{"huggingFaceId", func(m *model) **string { return &m.huggingFaceID }},
	{"publisher", func(m *model) **string { return &m.publisher }},
	{"numberOfParams", func(m *model) **string { return &m.numberOfParams }},
	{"quant", func(m *model) **string { return &m.quant }},
	{"size", func(m *model) **string { return &m.size }},
	{"description", func(m *model) **string { return &m.description }},
	{"card", func(m *model) **string { return &m.card }},
}

// modelChanges are the fields of a register or PATCH body. A nil pointer is
// a field that was not given. In strings, a nil value clears the field.
type modelChanges struct {
	name                 *string
	modelType            *controlroom.ModelType
	isFineTuned          *bool
	strings              map[string]*string
	defaultParameters    json.RawMessage
	setDefaultParameters bool
}

// parseModelChanges validates a register body (partial false: name, type
// and isFineTuned are required) or a PATCH body (partial true: every field
// is optional, and null clears an optional field). Unknown fields are
// ignored.
func parseModelChanges(body jsonObject, partial bool) (modelChanges, fieldErrors) {
	var errs fieldErrors
	changes := modelChanges{strings: make(map[string]*string)}

	for _, required := range []string{"name", "type", "isFineTuned"} {
		switch {
		case partial && body.isNull(required):
			errs.add("field %q cannot be null", required)
		case !partial && !present(body, required):
			errs.add("field %q is required", required)
		}
	}

	changes.name = body.stringField("name", &errs)
	if changes.name != nil {
		validateName(*changes.name, &errs)
	}

	if typeName := body.stringField("type", &errs); typeName != nil {
		modelType := controlroom.ModelType(*typeName)
		if modelType.Valid() {
			changes.modelType = &modelType
		} else {
			errs.add("field \"type\" must be one of base, awq, ggml, gguf; got %q", *typeName)
		}
	}

	changes.isFineTuned = body.boolField("isFineTuned", &errs)

	for _, optional := range optionalStringFields {
		if body.isNull(optional.name) {
			if partial {
				changes.strings[optional.name] = nil
			}
			continue
		}
		if value := body.stringField(optional.name, &errs); value != nil {
			changes.strings[optional.name] = value
		}
	}
	if card := changes.strings["card"]; card != nil {
		validateCard(*card, &errs)
	}

	if body.isNull("defaultParameters") {
		changes.setDefaultParameters = partial
	} else if parameters := body.objectField("defaultParameters", &errs); parameters != nil {
		changes.defaultParameters = parameters
		changes.setDefaultParameters = true
	}
	return changes, errs
}

// present reports whether a field is given with a non-null value.
func present(body jsonObject, name string) bool {
	_, ok := body.lookup(name)
	return ok
}

func validateName(name string, errs *fieldErrors) {
	switch {
	case strings.TrimSpace(name) == "":
		errs.add("field \"name\" must not be blank")
	case len(name) > maxNameLength:
		errs.add("field \"name\" is %d bytes long; the maximum is %d", len(name), maxNameLength)
	}
}

func validateCard(card string, errs *fieldErrors) {
	parsed, err := url.Parse(card)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		errs.add("field \"card\" must be an absolute http or https URL, got %q", abbreviate(card))
	}
}

// apply writes the changes into m and reports whether any field changed.
func (c modelChanges) apply(m *model) bool {
	changed := false
	if c.name != nil && *c.name != m.name {
		m.name = *c.name
		changed = true
	}
	if c.modelType != nil && *c.modelType != m.modelType {
		m.modelType = *c.modelType
		changed = true
	}
	if c.isFineTuned != nil && *c.isFineTuned != m.isFineTuned {
		m.isFineTuned = *c.isFineTuned
		changed = true
	}

	for _, optional := range optionalStringFields {
		value, given := c.strings[optional.name]
		if !given {
			continue
		}
		field := optional.field(m)
		if !equalStringPointers(*field, value) {
			*field = value
			changed = true
		}
	}

	if c.setDefaultParameters && string(c.defaultParameters) != string(m.defaultParameters) {
		m.defaultParameters = c.defaultParameters
		changed = true
	}
	return changed
}

func equalStringPointers(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
