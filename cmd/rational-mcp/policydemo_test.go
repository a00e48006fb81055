package main

import (
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoPolicyIgnoresCatalogParams runs the binary in demo mode, where
// the Hub is offline, with a policy that limits maxParams and maxGpus. A
// record that claims 1000 parameters, or one lowered to 1 by update_model,
// must go to the human path, which confirmation mode deny does not offer.
func TestDemoPolicyIgnoresCatalogParams(t *testing.T) {
	policy := writeTemp(t, "version: 1\ndeploy:\n  preapprove:\n    - name: small-gemma\n      huggingFaceIds: [\"google/gemma-4-*-it\"]\n      maxParams: 13000000000\n      maxGpus: 1\n")
	mcpClient, _ := stdioClient(t, mcp.ProtocolVersion20251125, []string{"--demo", "--confirmation", "deny", "--policy", policy})

	register := func(repo, params string) string {
		t.Helper()
		result, text := callTool(t, mcpClient, "register_model", map[string]any{
			"name": repo, "type": "base", "isFineTuned": false, "huggingFaceId": repo, "numberOfParams": params,
		})
		require.False(t, result.IsError, text)
		var registered struct {
			ModelID string `json:"modelId"`
		}
		require.NoError(t, json.Unmarshal([]byte(text), &registered))
		return registered.ModelID
	}
	assertRefused := func(modelID string) {
		t.Helper()
		result, text := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
		require.True(t, result.IsError, "the policy approved the deploy: %s", text)
		var refusal struct {
			Reason  string `json:"reason"`
			Message string `json:"message"`
		}
		require.NoError(t, json.Unmarshal([]byte(text), &refusal))
		assert.Equal(t, "no_human_path", refusal.Reason)
		assert.Contains(t, refusal.Message, "not verified on the Hugging Face Hub")
	}

	assertRefused(register("google/gemma-4-400B-it", "1000"))

	large := register("google/gemma-4-27B-it", "27000000000")
	assertRefused(large)
	result, text := callTool(t, mcpClient, "update_model", map[string]any{"modelId": large, "numberOfParams": "1"})
	require.False(t, result.IsError, text)
	assertRefused(large)
}
