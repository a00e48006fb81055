package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/invopop/jsonschema"
)

// InputSchema returns the JSON Schema of the tool's arguments, in the
// portable form that makePortable describes, with a description on every
// property.
func (t Tool) InputSchema() (json.RawMessage, error) {
	return schemaFor(t.Input, false)
}

// OutputSchema returns the JSON Schema of the tool's structured result, in
// the portable form that makePortable describes, with a description on every
// property. It lists no required properties: the Go type fixes which fields
// a result has, and the guard's approval_required result has none of them.
func (t Tool) OutputSchema() (json.RawMessage, error) {
	return schemaFor(t.Output, true)
}

// schemaFor reflects struct type typ into a JSON Schema, makes it portable
// with makePortable and checks the result with CheckPortable. Properties keep
// the order of the struct fields. For an output schema, "required" is
// removed at every level.
func schemaFor(typ reflect.Type, output bool) (json.RawMessage, error) {
	reflector := jsonschema.Reflector{
		Anonymous:                  true,
		DoNotReference:             true,
		ExpandedStruct:             true,
		RequiredFromJSONSchemaTags: true,
		AllowAdditionalProperties:  true,
	}
	schema := reflector.ReflectFromType(typ)
	makePortable(schema, true, output)

	var out bytes.Buffer
	encoder := json.NewEncoder(&out)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(schema); err != nil {
		return nil, fmt.Errorf("encode schema of %s: %w", typ, err)
	}
	raw := bytes.TrimSpace(out.Bytes())

	var document map[string]any
	if err := json.Unmarshal(raw, &document); err != nil {
		return nil, fmt.Errorf("decode schema of %s: %w", typ, err)
	}
	if err := CheckPortable(document, true); err != nil {
		return nil, fmt.Errorf("schema of %s is not portable: %w", typ, err)
	}
	return raw, nil
}

// makePortable rewrites a reflected schema so that every major MCP client and
// model provider accepts it. It removes "$schema", "$id", "$ref", "$defs" and
// "additionalProperties" at every level. The root becomes "type":"object"
// with a "properties" object, which is empty for a tool without arguments.
// Unknown arguments are still rejected, by Decode on the server.
func makePortable(schema *jsonschema.Schema, root, output bool) {
	schema.Version = ""
	schema.ID = ""
	schema.Ref = ""
	schema.Definitions = nil
	schema.AdditionalProperties = nil
	if output {
		schema.Required = nil
	}

	if root {
		schema.Type = "object"
		if schema.Properties == nil {
			schema.Properties = jsonschema.NewProperties()
		}
	}
	if schema.Properties != nil {
		for pair := schema.Properties.Oldest(); pair != nil; pair = pair.Next() {
			makePortable(pair.Value, false, output)
		}
	}
	if schema.Items != nil {
		makePortable(schema.Items, false, output)
	}
}

// CheckPortable reports the first construct in schema that some client or
// model provider rejects. Those are "$ref", "$defs", "$schema", "$id", type
// arrays, "anyOf", "oneOf", "allOf", non-string enums and required names
// that are not properties. With describe set, a property without a
// description is rejected too.
func CheckPortable(schema map[string]any, describe bool) error {
	if schema["type"] != "object" {
		return fmt.Errorf("root type is %v, want object", schema["type"])
	}
	if _, ok := schema["properties"].(map[string]any); !ok {
		return fmt.Errorf("root has no properties object")
	}
	return checkNode("", schema, describe)
}

func checkNode(path string, node map[string]any, describe bool) error {
	for _, key := range []string{"$ref", "$defs", "definitions", "$schema", "$id", "anyOf", "oneOf", "allOf", "not"} {
		if _, found := node[key]; found {
			return fmt.Errorf("%s: contains %q", displayPath(path), key)
		}
	}
	typeName, isString := node["type"].(string)
	if !isString {
		return fmt.Errorf("%s: type must be one string, got %v", displayPath(path), node["type"])
	}
	if enum, found := node["enum"]; found {
		values, _ := enum.([]any)
		for _, value := range values {
			if _, ok := value.(string); !ok {
				return fmt.Errorf("%s: enum value %v is not a string", displayPath(path), value)
			}
		}
	}

	properties, _ := node["properties"].(map[string]any)
	if typeName == "object" {
		required, _ := node["required"].([]any)
		for _, name := range required {
			if _, ok := properties[fmt.Sprint(name)]; !ok {
				return fmt.Errorf("%s: required %v is not a property", displayPath(path), name)
			}
		}
	}
	for name, property := range properties {
		child, ok := property.(map[string]any)
		if !ok {
			return fmt.Errorf("%s.%s: schema is not an object", displayPath(path), name)
		}
		if description, _ := child["description"].(string); describe && description == "" {
			return fmt.Errorf("%s.%s: missing description", displayPath(path), name)
		}
		if err := checkNode(path+"."+name, child, describe); err != nil {
			return err
		}
	}
	if items, found := node["items"]; found {
		child, ok := items.(map[string]any)
		if !ok {
			return fmt.Errorf("%s[]: items is not a schema object", displayPath(path))
		}
		if err := checkNode(path+"[]", child, describe); err != nil {
			return err
		}
	}
	return nil
}

func displayPath(path string) string {
	if path == "" {
		return "root"
	}
	return "root" + path
}
