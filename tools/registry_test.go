package tools

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden schema files under testdata/schemas")

// goldenDir holds one file per tool with its input and output schemas.
const goldenDir = "../testdata/schemas"

// expectedAnnotations is the annotation table that the product promises:
// readOnly, destructive, idempotent, openWorld.
var expectedAnnotations = map[string]Annotations{
	"list_models":           {ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},
	"get_model":             {ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},
	"inspect_model":         {ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: true},
	"register_model":        {ReadOnly: false, Destructive: false, Idempotent: true, OpenWorld: false},
	"update_model":          {ReadOnly: false, Destructive: false, Idempotent: true, OpenWorld: false},
	"delete_model":          {ReadOnly: false, Destructive: true, Idempotent: true, OpenWorld: false},
	"deploy_model":          {ReadOnly: false, Destructive: false, Idempotent: false, OpenWorld: false},
	"get_deployment_status": {ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},
	"list_deployments":      {ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},
	"pause_deployment":      {ReadOnly: false, Destructive: false, Idempotent: true, OpenWorld: false},
	"cancel_deployment":     {ReadOnly: false, Destructive: true, Idempotent: true, OpenWorld: false},
}

func TestRegistryAnnotationsMatchTable(t *testing.T) {
	all := All()
	require.Len(t, all, len(expectedAnnotations))
	for _, tool := range all {
		want, ok := expectedAnnotations[tool.Name]
		require.True(t, ok, "tool %s is not in the annotation table", tool.Name)
		assert.Equal(t, want, tool.Annotations, tool.Name)
	}
}

func TestRegistryEntriesComplete(t *testing.T) {
	namePattern := regexp.MustCompile(`^[a-z][a-z_]{2,40}$`)
	seen := map[string]bool{}
	for _, tool := range All() {
		assert.Regexp(t, namePattern, tool.Name)
		assert.False(t, seen[tool.Name], "duplicate tool %s", tool.Name)
		seen[tool.Name] = true

		assert.NotEmpty(t, tool.Title, tool.Name)
		assert.NotEmpty(t, tool.Description, tool.Name)
		assert.LessOrEqual(t, len(tool.Description), 220, "%s: keep descriptions short", tool.Name)
		assert.Contains(t, Toolsets, tool.Toolset, tool.Name)
		assert.Contains(t, []Effect{EffectRead, EffectWrite, EffectGPU, EffectInterrupt, EffectDestructive}, tool.Effect, tool.Name)
		assert.NotNil(t, tool.Input, tool.Name)
		assert.NotNil(t, tool.Output, tool.Name)
		assert.NotNil(t, tool.Handle, tool.Name)
	}
}

func TestRegistryEffectAgreesWithAnnotations(t *testing.T) {
	for _, tool := range All() {
		assert.Equal(t, tool.Annotations.ReadOnly, tool.Effect == EffectRead, "%s: readOnlyHint and effect disagree", tool.Name)
		if tool.Annotations.Destructive {
			assert.Equal(t, EffectDestructive, tool.Effect, tool.Name)
		}
	}
}

func TestSelectReadOnlyKeepsOnlyReads(t *testing.T) {
	selected := Select(Selection{ReadOnly: true})
	var names []string
	for _, tool := range selected {
		names = append(names, tool.Name)
		assert.True(t, tool.Annotations.ReadOnly, tool.Name)
	}
	assert.Equal(t, []string{"list_models", "get_model", "inspect_model", "get_deployment_status", "list_deployments"}, names)
}

func TestSelectToolsets(t *testing.T) {
	models := Select(Selection{Toolsets: []Toolset{ToolsetModels}})
	for _, tool := range models {
		assert.Equal(t, ToolsetModels, tool.Toolset, tool.Name)
	}
	assert.Len(t, models, 6)

	readDeployments := Select(Selection{Toolsets: []Toolset{ToolsetDeployments}, ReadOnly: true})
	var names []string
	for _, tool := range readDeployments {
		names = append(names, tool.Name)
	}
	assert.Equal(t, []string{"get_deployment_status", "list_deployments"}, names)

	assert.Len(t, Select(Selection{}), len(All()))
}

func TestParseToolsets(t *testing.T) {
	all, err := ParseToolsets("")
	require.NoError(t, err)
	assert.Equal(t, Toolsets, all)

	one, err := ParseToolsets(" Deployments ,deployments")
	require.NoError(t, err)
	assert.Equal(t, []Toolset{ToolsetDeployments}, one)

	_, err = ParseToolsets("models,gpus")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"gpus"`)
	assert.Contains(t, err.Error(), "models, deployments")

	_, err = ParseToolsets(" , ")
	require.Error(t, err)
}

func TestSchemasArePortable(t *testing.T) {
	for _, tool := range All() {
		for kind, generate := range map[string]func() (json.RawMessage, error){
			"input": tool.InputSchema, "output": tool.OutputSchema,
		} {
			raw, err := generate()
			require.NoError(t, err, "%s %s", tool.Name, kind)

			var schema map[string]any
			require.NoError(t, json.Unmarshal(raw, &schema))
			require.NoError(t, CheckPortable(schema, true), "%s %s schema", tool.Name, kind)
			assert.NotContains(t, string(raw), "null", "%s %s schema mentions null", tool.Name, kind)
			assert.NotContains(t, string(raw), "additionalProperties", "%s %s", tool.Name, kind)
			if kind == "output" {
				assert.NotContains(t, string(raw), `"required"`, "%s: an output schema lists no required fields, so the guard's approval result fits it", tool.Name)
			}
		}
	}
}

func TestInputSchemaRequiredMatchesTags(t *testing.T) {
	required := map[string][]string{}
	for _, tool := range All() {
		raw, err := tool.InputSchema()
		require.NoError(t, err)
		var schema struct {
			Required []string `json:"required"`
		}
		require.NoError(t, json.Unmarshal(raw, &schema))
		slices.Sort(schema.Required)
		required[tool.Name] = schema.Required
	}
	assert.Empty(t, required["list_models"])
	assert.Empty(t, required["list_deployments"])
	assert.Equal(t, []string{"huggingFaceId"}, required["register_model"], "type is detected on the Hub when omitted")
	assert.Equal(t, []string{"huggingFaceId"}, required["inspect_model"])
	assert.Equal(t, []string{"modelId"}, required["deploy_model"])
	assert.Equal(t, []string{"deploymentId"}, required["cancel_deployment"])
}

func TestSchemasMatchGolden(t *testing.T) {
	if *update {
		require.NoError(t, os.MkdirAll(goldenDir, 0o755))
	}
	for _, tool := range All() {
		input, err := tool.InputSchema()
		require.NoError(t, err)
		output, err := tool.OutputSchema()
		require.NoError(t, err)

		var buf bytes.Buffer
		document := map[string]json.RawMessage{"inputSchema": input, "outputSchema": output}
		encoded, err := json.Marshal(document)
		require.NoError(t, err)
		require.NoError(t, json.Indent(&buf, encoded, "", "  "))
		buf.WriteByte('\n')

		path := filepath.Join(goldenDir, tool.Name+".json")
		if *update {
			require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
			continue
		}
		golden, err := os.ReadFile(path)
		require.NoError(t, err, "missing golden file; run go test ./tools -run TestSchemasMatchGolden -update")
		assert.Equal(t, string(golden), buf.String(), "%s schema changed; rerun with -update if the change is intended", tool.Name)
	}
}
