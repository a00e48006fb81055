package mcpguard_test

// Argument names that differ from the schema's only in case. encoding/json
// matches struct fields case-insensitively, so without an exact-name check
// the guard would plan with "modelId" while the tool deployed "modelid".
// Each case must be rejected before the guard runs and must leave the
// simulator unchanged.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/guard"
)

// smallModelsPolicy pre-approves models whose catalog name starts with
// "small/".
const smallModelsPolicy = `version: 1
deploy:
  preapprove:
    - name: only-small
      models: ["small/*"]
`

// assertArgumentRejected checks that result is an argument error naming
// argument, and that the simulator saw no mutation since mutationsBefore.
func assertArgumentRejected(t *testing.T, h *harness, result rawResult, argument string, mutationsBefore int64) {
	t.Helper()
	require.True(t, result.IsError, "%+v", result)
	require.NotEmpty(t, result.Content)
	text, _ := result.Content[0]["text"].(string)
	assert.Contains(t, text, "'"+argument+"'")
	assert.Contains(t, text, "valid arguments:")
	assert.NotEqual(t, "input_required", result.ResultType)
	assert.Empty(t, result.RequestState)
	assert.Nil(t, result.StructuredContent["approvalId"], "no approval was requested")
	assert.Equal(t, mutationsBefore, h.sim.Stats().Mutations, "nothing changed upstream")
}

func TestArgumentNameCaseVariantPolicy(t *testing.T) {
	policy, err := guard.ParsePolicy([]byte(smallModelsPolicy))
	require.NoError(t, err)
	h := newHarness(t, harnessConfig{mode: guard.ModeDeny, policy: &policy})
	small := modelFor(t, h, "small/model")
	large := modelFor(t, h, "meta-llama/Llama-3.1-70B-Instruct")
	mutations := h.sim.Stats().Mutations

	result := rawCall(t, h, "deploy_model", map[string]any{"modelId": small, "modelid": large}, false, nil)

	assertArgumentRejected(t, h, result, "modelid", mutations)
	assert.Zero(t, h.deployments())
}

func TestArgumentNameCaseVariantForce(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	modelID := modelFor(t, h, "google/gemma-4-12B-it")
	mutations := h.sim.Stats().Mutations

	result := rawCall(t, h, "deploy_model", map[string]any{"modelId": modelID, "forcedeployment": true}, true, nil)

	assertArgumentRejected(t, h, result, "forcedeployment", mutations)
	assert.Zero(t, h.deployments())
}

func TestArgumentNameCaseVariantApprovalPage(t *testing.T) {
	h := newHarness(t, harnessConfig{mode: guard.ModeApprovalPage})
	listed := rawCall(t, h, "list_deployments", map[string]any{}, false, nil)
	require.False(t, listed.IsError)
	deployments := listed.StructuredContent["deployments"].([]any)
	require.NotEmpty(t, deployments, "the seeded catalog has a deployment")
	deploymentID := deployments[0].(map[string]any)["deploymentId"].(string)
	mutations := h.sim.Stats().Mutations

	result := rawCall(t, h, "cancel_deployment", map[string]any{"deploymentId": deploymentID, "deploymentid": "other-deployment"}, false, nil)

	assertArgumentRejected(t, h, result, "deploymentid", mutations)
}

func TestArgumentNameCaseVariantApprovalID(t *testing.T) {
	h := newHarness(t, harnessConfig{mode: guard.ModeApprovalPage})
	modelID := modelFor(t, h, "google/gemma-4-12B-it")
	mutations := h.sim.Stats().Mutations

	result := rawCall(t, h, "deploy_model", map[string]any{"modelId": modelID, "approvalID": "ap_x"}, false, nil)

	assertArgumentRejected(t, h, result, "approvalID", mutations)
	assert.Zero(t, h.deployments())
}
