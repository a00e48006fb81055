package mcpguard_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/tools"
)

func adapterWithPolicy(t *testing.T, document string) *mcpguard.Adapter {
	t.Helper()
	policy := guard.DefaultPolicy()
	if document != "" {
		var err error
		policy, err = guard.ParsePolicy([]byte(document))
		require.NoError(t, err)
	}
	signer, err := guard.NewStateSigner(guard.NewRandomKey(), 0, nil)
	require.NoError(t, err)
	g, err := guard.New(guard.Config{Policy: policy, Signer: signer, Planner: &guard.ControlRoomPlanner{}})
	require.NoError(t, err)
	return mcpguard.New(g, nil)
}

func decorated(t *testing.T, adapter *mcpguard.Adapter, name string) (description string, input, output map[string]any) {
	t.Helper()
	tool, ok := tools.Lookup(name)
	require.True(t, ok, name)
	announced, err := mcpserver.MCPTool(tool)
	require.NoError(t, err)
	require.NoError(t, adapter.DecorateTool(tool, &announced))
	require.NoError(t, json.Unmarshal(announced.RawInputSchema, &input))
	require.NoError(t, json.Unmarshal(announced.RawOutputSchema, &output))
	return announced.Description, input, output
}

func TestDecorateGuardedToolSchemas(t *testing.T) {
	adapter := adapterWithPolicy(t, "")
	description, input, output := decorated(t, adapter, "deploy_model")

	assert.True(t, strings.HasSuffix(description, " Needs the user's approval; see approvalId."), description)
	properties := input["properties"].(map[string]any)
	approvalID := properties[guard.ApprovalArgument].(map[string]any)
	assert.Equal(t, "string", approvalID["type"])
	assert.NotEmpty(t, approvalID["description"])
	assert.NotContains(t, input["required"], guard.ApprovalArgument)
	assert.Contains(t, input["required"], "modelId", "the tool's own required arguments stay")

	outputProperties := output["properties"].(map[string]any)
	assert.Contains(t, outputProperties, "deploymentId", "the tool's own result fields stay")
	assert.Nil(t, output["required"])
	assert.Nil(t, output["additionalProperties"], "the approval_required result's fields are admitted")
	assert.Equal(t, "object", output["type"])
}

func TestInstructionsExplainApprovals(t *testing.T) {
	instructions := adapterWithPolicy(t, "").Instructions()
	for _, want := range []string{"approval_required", "approvalUrl", "approvalId", "expiresAt", "plan", "approvedBy", "same arguments"} {
		assert.Contains(t, instructions, want)
	}

	allowAll := "version: 1\nrules:\n  effects:\n    gpu: allow\n    interrupt: allow\n    destructive: allow\n"
	assert.Empty(t, adapterWithPolicy(t, allowAll).Instructions(), "no tool asks for approval")
}

func TestDecorateLeavesAllowedToolsAlone(t *testing.T) {
	adapter := adapterWithPolicy(t, "version: 1\nrules:\n  tools:\n    pause_deployment: allow\n")
	for _, name := range []string{"list_models", "register_model", "pause_deployment"} {
		tool, _ := tools.Lookup(name)
		plain, err := mcpserver.MCPTool(tool)
		require.NoError(t, err)
		changed := plain
		require.NoError(t, adapter.DecorateTool(tool, &changed))
		assert.Equal(t, plain.Description, changed.Description, name)
		assert.JSONEq(t, string(plain.RawInputSchema), string(changed.RawInputSchema), name)
		assert.JSONEq(t, string(plain.RawOutputSchema), string(changed.RawOutputSchema), name)
	}
}

func TestDecorateDeniedTool(t *testing.T) {
	adapter := adapterWithPolicy(t, "version: 1\nrules:\n  tools:\n    delete_model: deny\n")
	description, input, _ := decorated(t, adapter, "delete_model")
	assert.Contains(t, description, "Disabled by the operator's policy")
	assert.NotContains(t, input["properties"], guard.ApprovalArgument)
}
