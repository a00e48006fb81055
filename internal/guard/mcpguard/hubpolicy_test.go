package mcpguard_test

// Policy pre-approval against agent-written parameter counts. A rule's
// maxParams and maxGpus may only be satisfied by figures that the Hub
// reports for the record's huggingFaceId while the deploy is planned. Each
// case below writes a small numberOfParams into the catalog and must not
// get a deploy approved by the policy.

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
)

// limitPolicy pre-approves small Gemma and Qwen models on one GPU.
const limitPolicy = `version: 1
deploy:
  preapprove:
    - name: small-models
      huggingFaceIds: ["google/gemma-4-*-it", "Qwen/*"]
      types: [base]
      maxParams: 13000000000
      maxGpus: 1
`

// hubEstimator returns the estimator that cmd/rational-mcp wires: the Hub
// first, the catalog record when the Hub has no answer.
func hubEstimator(t *testing.T, options hfhub.Options) guard.Estimator {
	t.Helper()
	hub, err := hfhub.New(options)
	require.NoError(t, err)
	return guard.FallbackEstimator{Primary: guard.HubEstimator{Hub: hub}, Fallback: guard.CatalogEstimator{}}
}

func limitHarness(t *testing.T, mode guard.Mode, estimator guard.Estimator) *harness {
	t.Helper()
	policy, err := guard.ParsePolicy([]byte(limitPolicy))
	require.NoError(t, err)
	return newHarness(t, harnessConfig{mode: mode, policy: &policy, estimator: estimator})
}

// registerWithParams registers repo through the unguarded tool with the
// given catalog parameter count and returns the model id.
func registerWithParams(t *testing.T, mcpClient *client.Client, repo, params string) string {
	t.Helper()
	result := callTool(t, mcpClient, "register_model", map[string]any{
		"name": repo, "type": "base", "isFineTuned": false, "huggingFaceId": repo, "numberOfParams": params,
	})
	require.False(t, result.isError, result.text)
	return result.structured["modelId"].(string)
}

// assertNotPolicyApproved checks that a deploy in deny mode fell to the
// missing human path instead of running on the policy's word.
func assertNotPolicyApproved(t *testing.T, h *harness, result callResult) {
	t.Helper()
	require.True(t, result.isError, "the policy approved the deploy: %s", result.text)
	assert.Equal(t, "no_human_path", result.structured["reason"])
	assert.Contains(t, result.text, "not verified on the Hugging Face Hub")
	assert.Zero(t, h.deployments())
}

func TestPolicyIgnoresCatalogParamsHubOffline(t *testing.T) {
	hub := hubtest.New(t, hubtest.FixtureDir(t))
	h := limitHarness(t, guard.ModeDeny, hubEstimator(t, hfhub.Options{Endpoint: hub.URL, Offline: true}))
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	modelID := registerWithParams(t, mcpClient, "google/gemma-4-400B-it", "1000")
	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	assertNotPolicyApproved(t, h, result)
	assert.Empty(t, hub.Requests(), "an offline Hub gets no request")
}

func TestPolicyIgnoresCatalogParamsHubDown(t *testing.T) {
	down := httptest.NewServer(nil)
	downURL := down.URL
	down.Close()
	h := limitHarness(t, guard.ModeDeny, hubEstimator(t, hfhub.Options{Endpoint: downURL, RequestTimeout: 5 * time.Second}))
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	modelID := registerWithParams(t, mcpClient, "google/gemma-4-400B-it", "1000")
	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	assertNotPolicyApproved(t, h, result)
}

func TestPolicyIgnoresParamsLoweredByUpdate(t *testing.T) {
	hub := hubtest.New(t, hubtest.FixtureDir(t))
	h := limitHarness(t, guard.ModeDeny, hubEstimator(t, hfhub.Options{Endpoint: hub.URL, Offline: true}))
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	modelID := registerWithParams(t, mcpClient, "google/gemma-4-27B-it", "27000000000")
	refused := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.True(t, refused.isError, refused.text)

	updated := callTool(t, mcpClient, "update_model", map[string]any{"modelId": modelID, "numberOfParams": "1"})
	require.False(t, updated.isError, updated.text)
	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	assertNotPolicyApproved(t, h, result)
}

func TestPolicyIgnoresRepoUnknownToHub(t *testing.T) {
	hub := hubtest.New(t, hubtest.FixtureDir(t))
	h := limitHarness(t, guard.ModeDeny, hubEstimator(t, hfhub.Options{Endpoint: hub.URL}))
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	modelID := registerWithParams(t, mcpClient, "Qwen/Qwen2.5-72B-Instruct", "72000000000")
	updated := callTool(t, mcpClient, "update_model", map[string]any{
		"modelId": modelID, "huggingFaceId": "Qwen/no-such-repo", "numberOfParams": "1",
	})
	require.False(t, updated.isError, updated.text)

	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	assertNotPolicyApproved(t, h, result)
	assert.NotEmpty(t, hub.Requests(), "the Hub was asked about the record's repo")
}

func TestPolicyTrustsHubVerifiedFigures(t *testing.T) {
	hub := hubtest.New(t, hubtest.FixtureDir(t))
	h := limitHarness(t, guard.ModeDeny, hubEstimator(t, hfhub.Options{Endpoint: hub.URL}))
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	modelID := registerWithParams(t, mcpClient, "Qwen/Qwen2.5-7B-Instruct", "7000000000")
	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.False(t, result.isError, result.text)
	assert.Equal(t, map[string]any{"kind": "policy", "ref": "small-models"}, result.structured["approvedBy"])
	assert.Equal(t, int64(1), h.deployments())
}

func TestPlanLabelsCatalogFiguresUnverified(t *testing.T) {
	hub := hubtest.New(t, hubtest.FixtureDir(t))
	h := limitHarness(t, guard.ModeApprovalPage, hubEstimator(t, hfhub.Options{Endpoint: hub.URL, Offline: true}))
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	modelID := registerWithParams(t, mcpClient, "google/gemma-4-400B-it", "1000")
	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.False(t, result.isError, result.text)
	require.Equal(t, "approval_required", result.structured["status"], "the policy must not approve it")

	facts := map[string]string{}
	for _, fact := range result.structured["plan"].(map[string]any)["facts"].([]any) {
		entry := fact.(map[string]any)
		facts[entry["label"].(string)] = entry["value"].(string)
	}
	assert.Equal(t, "1000 (1.0 K), from the catalog record (agent-editable), not verified", facts["Parameters"])
	assert.True(t, strings.HasSuffix(facts["GPUs (estimate)"], "from the catalog record (agent-editable), not verified"), facts["GPUs (estimate)"])
	assert.Zero(t, h.deployments())
}
