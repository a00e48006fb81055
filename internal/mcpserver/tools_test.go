package mcpserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/simulator"
	"github.com/rational-ai/rational-mcp/tools"
)

func TestToolsListBothEras(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			mcpClient := h.connect(t, era, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			listed, err := mcpClient.ListTools(ctx, mcp.ListToolsRequest{})
			require.NoError(t, err)

			var names []string
			for _, tool := range listed.Tools {
				names = append(names, tool.Name)
				entry, ok := tools.Lookup(tool.Name)
				require.True(t, ok, tool.Name)

				assert.Equal(t, entry.Title, tool.Title)
				require.NotNil(t, tool.Annotations.ReadOnlyHint, tool.Name)
				require.NotNil(t, tool.Annotations.DestructiveHint, tool.Name)
				require.NotNil(t, tool.Annotations.IdempotentHint, tool.Name)
				require.NotNil(t, tool.Annotations.OpenWorldHint, tool.Name)
				assert.Equal(t, entry.Annotations.ReadOnly, *tool.Annotations.ReadOnlyHint, tool.Name)
				assert.Equal(t, entry.Annotations.Destructive, *tool.Annotations.DestructiveHint, tool.Name)
				assert.Equal(t, entry.Annotations.Idempotent, *tool.Annotations.IdempotentHint, tool.Name)
				assert.Equal(t, entry.Annotations.OpenWorld, *tool.Annotations.OpenWorldHint, tool.Name)

				wantInput, err := entry.InputSchema()
				require.NoError(t, err)
				assert.JSONEq(t, string(wantInput), clientSchemaJSON(t, tool.InputSchema), "%s input schema", tool.Name)
				wantOutput, err := entry.OutputSchema()
				require.NoError(t, err)
				assert.JSONEq(t, string(wantOutput), clientSchemaJSON(t, tool.OutputSchema), "%s output schema", tool.Name)
			}
			var want []string
			for _, tool := range tools.All() {
				want = append(want, tool.Name)
			}
			assert.ElementsMatch(t, want, names)
		})
	}
}

// clientSchemaJSON re-encodes a schema as mcp-go's client decoded it,
// without the empty "required" array that its struct adds on encoding.
func clientSchemaJSON(t *testing.T, schema any) string {
	t.Helper()
	encoded, err := json.Marshal(schema)
	require.NoError(t, err)
	var document map[string]any
	require.NoError(t, json.Unmarshal(encoded, &document))
	if required, ok := document["required"].([]any); ok && len(required) == 0 {
		delete(document, "required")
	}
	encoded, err = json.Marshal(document)
	require.NoError(t, err)
	return string(encoded)
}

// TestEveryToolLifecycle drives a model from registration to deletion in
// each protocol era, calling every tool.
func TestEveryToolLifecycle(t *testing.T) {
	for i, era := range eras {
		t.Run(era, func(t *testing.T) {
			h := newHarness(t, harnessConfig{})
			mcpClient := h.connect(t, era, nil)
			repo := fmt.Sprintf("acme/test-model-%d", i)

			registered := call(t, mcpClient, "register_model", map[string]any{
				"huggingFaceId": repo, "type": "base", "publisher": "acme", "numberOfParams": 7000000000,
			})
			require.False(t, registered.isError, registered.text)
			assert.Equal(t, false, registered.structured["alreadyExisted"])
			modelID := registered.structured["modelId"].(string)
			assert.Equal(t, repo, registered.structured["name"])
			assert.Contains(t, registered.structured["message"], "deploy_model")

			again := call(t, mcpClient, "register_model", map[string]any{"huggingFaceId": repo, "type": "base"})
			require.False(t, again.isError, again.text)
			assert.Equal(t, true, again.structured["alreadyExisted"])
			assert.Equal(t, modelID, again.structured["modelId"])
			assert.Contains(t, again.structured["message"], "already exists")

			listed := call(t, mcpClient, "list_models", map[string]any{"text": "TEST-MODEL", "type": "base"})
			require.False(t, listed.isError, listed.text)
			rows := modelRows(t, listed)
			require.Len(t, rows, 1)
			assert.Equal(t, modelID, rows[0].ID)

			updated := call(t, mcpClient, "update_model", map[string]any{"modelId": modelID, "description": "updated by test"})
			require.False(t, updated.isError, updated.text)
			assert.Equal(t, []any{"description"}, updated.structured["updatedFields"])

			got := call(t, mcpClient, "get_model", map[string]any{"modelId": modelID})
			require.False(t, got.isError, got.text)
			assert.Equal(t, "updated by test", got.structured["description"])
			assert.Equal(t, "7000000000", got.structured["numberOfParams"])
			assert.Empty(t, got.structured["deployments"])

			deployed := call(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID, "temperature": 0.7})
			require.False(t, deployed.isError, deployed.text)
			deploymentID := deployed.structured["deploymentId"].(string)
			require.NotEmpty(t, deploymentID)
			assert.Contains(t, deployed.structured["message"], "get_deployment_status")
			assert.Equal(t, int64(1), h.sim.Stats().DeploymentsCreated)

			status := call(t, mcpClient, "get_deployment_status", map[string]any{"deploymentId": deploymentID})
			require.False(t, status.isError, status.text)
			assert.Equal(t, false, status.structured["ready"])
			assert.Contains(t, status.structured["next"], "call again with waitSeconds")

			h.clock.Advance(testTimings.Total() + time.Second)
			status = call(t, mcpClient, "get_deployment_status", map[string]any{"deploymentId": deploymentID})
			require.False(t, status.isError, status.text)
			assert.Equal(t, true, status.structured["ready"])
			assert.Equal(t, "waitingForChat", status.structured["status"])
			assert.NotEmpty(t, status.structured["serviceUrl"])
			assert.GreaterOrEqual(t, status.structured["gpuCount"], float64(1))

			mine := call(t, mcpClient, "list_deployments", map[string]any{"modelId": modelID})
			require.False(t, mine.isError, mine.text)
			assert.Equal(t, float64(1), mine.structured["count"])
			ready := call(t, mcpClient, "list_deployments", map[string]any{"status": "waitingForChat"})
			require.False(t, ready.isError, ready.text)
			assert.Equal(t, float64(2), ready.structured["count"], "the seeded deployment and the new one are ready")

			paused := call(t, mcpClient, "pause_deployment", map[string]any{"deploymentId": deploymentID})
			require.False(t, paused.isError, paused.text)
			assert.Equal(t, deploymentID, paused.structured["deploymentId"])
			status = call(t, mcpClient, "get_deployment_status", map[string]any{"deploymentId": deploymentID})
			assert.Equal(t, false, status.structured["ready"])

			canceled := call(t, mcpClient, "cancel_deployment", map[string]any{"deploymentId": deploymentID})
			require.False(t, canceled.isError, canceled.text)

			deleted := call(t, mcpClient, "delete_model", map[string]any{"modelId": modelID})
			require.False(t, deleted.isError, deleted.text)
			assert.Equal(t, true, deleted.structured["deleted"])

			gone := call(t, mcpClient, "get_model", map[string]any{"modelId": modelID})
			require.True(t, gone.isError)
			assert.Contains(t, gone.text, modelID)
			assert.Contains(t, gone.text, "list_models")
		})
	}
}

func TestUnknownIDsNameTheNextCall(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			mcpClient := h.connect(t, era, nil)
			unknownModel := "00000000-0000-4000-8000-000000000000"

			for _, name := range []string{"get_model", "deploy_model", "delete_model", "list_deployments"} {
				result := call(t, mcpClient, name, map[string]any{"modelId": unknownModel})
				require.True(t, result.isError, name)
				assert.Contains(t, result.text, "model '"+unknownModel+"' not found", name)
				assert.Contains(t, result.text, "call list_models", name)
			}

			for _, name := range []string{"get_deployment_status", "pause_deployment", "cancel_deployment"} {
				result := call(t, mcpClient, name, map[string]any{"deploymentId": "model-unknown-123"})
				require.True(t, result.isError, name)
				assert.Contains(t, result.text, "deployment 'model-unknown-123' not found", name)
				assert.Contains(t, result.text, "call list_deployments", name)
			}
			assert.Zero(t, h.sim.Stats().DeploymentsCreated)
		})
	}
}

func TestBadArgumentsNameTheField(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	cases := []struct {
		name      string
		tool      string
		arguments any
		want      []string
	}{
		{"size above maximum", "list_models", map[string]any{"size": 500}, []string{"'size'", "100"}},
		{"type outside enum", "list_models", map[string]any{"type": "safetensors"}, []string{"'type'", "gguf"}},
		{"missing modelId", "get_model", map[string]any{}, []string{"missing required argument 'modelId'"}},
		{"null arguments with required field", "deploy_model", nil, []string{"'modelId'"}},
		{"temperature not a number", "deploy_model", map[string]any{"modelId": "x", "temperature": "hot"}, []string{"'temperature'"}},
		{"temperature out of range", "deploy_model", map[string]any{"modelId": "x", "temperature": 3}, []string{"'temperature'", "2"}},
		{"unknown argument", "get_model", map[string]any{"modelId": "x", "model_id": "y"}, []string{"'model_id'", "modelId"}},
		{"model id not a UUID", "get_model", map[string]any{"modelId": "gemma"}, []string{"gemma", "list_models"}},
		{"bad repo id", "register_model", map[string]any{"huggingFaceId": "not a repo", "type": "base"}, []string{"'huggingFaceId'", "owner/name"}},
		{"update without fields", "update_model", map[string]any{"modelId": "00000000-0000-4000-8000-000000000000"}, []string{"no field to change"}},
		{"arguments not an object", "list_models", []any{1, 2}, []string{"object"}},
	}
	for _, era := range eras {
		mcpClient := h.connect(t, era, nil)
		for _, tc := range cases {
			t.Run(era+"/"+tc.name, func(t *testing.T) {
				result := call(t, mcpClient, tc.tool, tc.arguments)
				require.True(t, result.isError, result.text)
				for _, want := range tc.want {
					assert.Contains(t, result.text, want)
				}
			})
		}
	}
	assert.Zero(t, h.sim.Stats().Mutations, "bad arguments change nothing upstream")
}

func TestTolerantArguments(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			mcpClient := h.connect(t, era, nil)

			for _, arguments := range []any{
				map[string]any{"size": 3.0},
				map[string]any{"size": "3"},
				map[string]any{"size": " 3.0 "},
				`{"size": 3}`,
			} {
				result := call(t, mcpClient, "list_models", arguments)
				require.False(t, result.isError, "%v: %s", arguments, result.text)
				assert.Len(t, result.structured["models"], 3, "%v", arguments)
				assert.Equal(t, true, result.structured["hasMore"])
			}

			for _, arguments := range []any{nil, map[string]any{}} {
				result := call(t, mcpClient, "list_deployments", arguments)
				require.False(t, result.isError, result.text)
				assert.Equal(t, float64(1), result.structured["count"])
			}

			seeded := call(t, mcpClient, "list_models", map[string]any{"text": simulator.SeededReadyModel})
			modelID := modelRows(t, seeded)[0].ID
			result := call(t, mcpClient, "update_model", map[string]any{"modelId": modelID, "isFineTuned": "false"})
			require.False(t, result.isError, result.text)
			assert.Equal(t, []any{"isFineTuned"}, result.structured["updatedFields"])
		})
	}
}

func TestListModelsPagesFilteredResults(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	var names []string
	for page := 0; ; page++ {
		result := call(t, mcpClient, "list_models", map[string]any{"text": "thebloke", "page": page, "size": 2})
		require.False(t, result.isError, result.text)
		for _, row := range modelRows(t, result) {
			names = append(names, row.Name)
		}
		if result.structured["hasMore"] != true {
			break
		}
		require.Less(t, page, 10, "paging does not end")
	}
	assert.Len(t, names, 5, "the seeded catalog has five TheBloke repos: %v", names)
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	assert.Len(t, slices.Compact(sorted), 5, "no row repeats across pages")

	gguf := call(t, mcpClient, "list_models", map[string]any{"type": "gguf"})
	for _, row := range modelRows(t, gguf) {
		assert.Equal(t, "gguf", row.Type)
	}
	assert.Len(t, gguf.structured["models"], 3)
}

func TestReadOnlyAndToolsets(t *testing.T) {
	cases := []struct {
		name      string
		selection tools.Selection
		want      []string
	}{
		{"read-only", tools.Selection{ReadOnly: true}, []string{"list_models", "get_model", "inspect_model", "get_deployment_status", "list_deployments"}},
		{"models toolset", tools.Selection{Toolsets: []tools.Toolset{tools.ToolsetModels}}, []string{"list_models", "get_model", "inspect_model", "register_model", "update_model", "delete_model"}},
		{"read-only beats toolsets", tools.Selection{Toolsets: []tools.Toolset{tools.ToolsetDeployments}, ReadOnly: true}, []string{"get_deployment_status", "list_deployments"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, harnessConfig{options: mcpserver.Options{Selection: tc.selection}})
			mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			listed, err := mcpClient.ListTools(ctx, mcp.ListToolsRequest{})
			require.NoError(t, err)
			var names []string
			for _, tool := range listed.Tools {
				names = append(names, tool.Name)
			}
			assert.ElementsMatch(t, tc.want, names)

			if !slices.Contains(tc.want, "deploy_model") {
				request := mcp.CallToolRequest{}
				request.Params.Name = "deploy_model"
				request.Params.Arguments = map[string]any{"modelId": "00000000-0000-4000-8000-000000000000"}
				_, err := mcpClient.CallTool(ctx, request)
				require.Error(t, err, "a hidden tool cannot be called")
				assert.Contains(t, err.Error(), "deploy_model")
				assert.Zero(t, h.sim.Stats().Requests[simulator.EndpointDeployModel])
			}
		})
	}
}
