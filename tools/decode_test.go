package tools

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCoerceArguments(t *testing.T) {
	cases := []struct {
		name string
		tool Tool
		args any
		want map[string]any
	}{
		{"nil becomes empty", listModels, nil, map[string]any{}},
		{"empty string becomes empty", listModels, "", map[string]any{}},
		{"integral float to integer", listModels, map[string]any{"size": 3.0}, map[string]any{"size": int64(3)}},
		{"numeric string to integer", listModels, map[string]any{"page": " 2 "}, map[string]any{"page": int64(2)}},
		{"fractional float stays", listModels, map[string]any{"size": 2.5}, map[string]any{"size": 2.5}},
		{"non-numeric string stays", listModels, map[string]any{"size": "ten"}, map[string]any{"size": "ten"}},
		{"numeric string to number", deployModel, map[string]any{"temperature": "0.7"}, map[string]any{"temperature": 0.7}},
		{"string to boolean", deployModel, map[string]any{"forceDeployment": "true"}, map[string]any{"forceDeployment": true}},
		{"number to string", registerModel, map[string]any{"numberOfParams": 12000000000.0}, map[string]any{"numberOfParams": "12000000000"}},
		{"JSON object in a string", listModels, `{"size":"4","text":"qwen"}`, map[string]any{"size": int64(4), "text": "qwen"}},
		{"unknown argument untouched", listModels, map[string]any{"bogus": "1"}, map[string]any{"bogus": "1"}},
		{"raw JSON null", listModels, json.RawMessage("null"), map[string]any{}},
		{"raw JSON object", listModels, json.RawMessage(`{"size": 5.0}`), map[string]any{"size": int64(5)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Coerce(tc.tool, tc.args)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCoerceRejectsNonObjects(t *testing.T) {
	for _, args := range []any{`[1,2]`, `not json`, json.RawMessage(`[1]`), json.RawMessage(`7`)} {
		_, err := Coerce(listModels, args)
		require.Error(t, err, "%v", args)
		var argErr *ArgumentError
		require.ErrorAs(t, err, &argErr)
		assert.Contains(t, err.Error(), "JSON object")
	}
}

func TestDecodeNamesTheArgument(t *testing.T) {
	var in ListModelsInput
	err := Decode(json.RawMessage(`{"size":"x"}`), &in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "'size'")
	assert.Contains(t, err.Error(), "an integer")

	err = Decode(json.RawMessage(`{"filter":"x"}`), &in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "'filter'")
	assert.Contains(t, err.Error(), "text, type, page, size")

	require.NoError(t, Decode(nil, &in))
	require.NoError(t, Decode(json.RawMessage(" null "), &in))
}

func TestCheckPortableRejects(t *testing.T) {
	valid := func() map[string]any {
		return map[string]any{"type": "object", "properties": map[string]any{
			"a": map[string]any{"type": "string", "description": "A."},
		}}
	}
	cases := map[string]func(map[string]any){
		"root not object":     func(s map[string]any) { s["type"] = "array" },
		"no properties":       func(s map[string]any) { delete(s, "properties") },
		"ref":                 func(s map[string]any) { s["$ref"] = "#/x" },
		"defs":                func(s map[string]any) { s["$defs"] = map[string]any{} },
		"schema keyword":      func(s map[string]any) { s["$schema"] = "x" },
		"type array":          func(s map[string]any) { prop(s)["type"] = []any{"string", "null"} },
		"anyOf":               func(s map[string]any) { prop(s)["anyOf"] = []any{} },
		"oneOf":               func(s map[string]any) { prop(s)["oneOf"] = []any{} },
		"integer enum":        func(s map[string]any) { prop(s)["enum"] = []any{1.0, 2.0} },
		"missing description": func(s map[string]any) { delete(prop(s), "description") },
		"required unknown":    func(s map[string]any) { s["required"] = []any{"b"} },
	}
	require.NoError(t, CheckPortable(valid(), true))
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			schema := valid()
			breakIt(schema)
			assert.Error(t, CheckPortable(schema, true))
		})
	}
}

func prop(schema map[string]any) map[string]any {
	return schema["properties"].(map[string]any)["a"].(map[string]any)
}

func TestDecodeRejectsCaseVariantNames(t *testing.T) {
	for _, args := range []string{
		`{"modelId":"small","modelid":"large"}`,
		`{"MODELID":"large"}`,
		`{"modelId":"m","forcedeployment":true}`,
	} {
		var in DeployModelInput
		err := Decode(json.RawMessage(args), &in)

		var argErr *ArgumentError
		require.ErrorAs(t, err, &argErr, args)
		assert.NotEqual(t, "modelId", argErr.Argument, args)
		assert.Contains(t, argErr.Message, "valid arguments: modelId, forceDeployment", args)
	}
}
