package mcpguard_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
)

func TestElicitationApproveDeploysOnce(t *testing.T) {
	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			h := newHarness(t, harnessConfig{})
			user := approvingUser()
			mcpClient := h.connect(t, era, user)
			modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")

			result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID, "temperature": 0.6})
			require.False(t, result.isError, result.text)

			assert.Equal(t, 1, user.calls, "the user was asked once")
			assert.Contains(t, user.last.Params.Message, `"google/gemma-4-12B-it"`)
			assert.Contains(t, user.last.Params.Message, "temperature 0.6")
			assert.NotEmpty(t, result.structured["deploymentId"])
			assert.Equal(t, map[string]any{"kind": "elicitation", "ref": "user accepted in the client"}, result.structured["approvedBy"])
			assert.Equal(t, int64(1), h.deployments())
		})
	}
}

func TestElicitationDeclineDeploysNothing(t *testing.T) {
	for _, era := range eras {
		for _, action := range []mcp.ElicitationResponseAction{mcp.ElicitationResponseActionDecline, mcp.ElicitationResponseActionCancel} {
			t.Run(era+"/"+string(action), func(t *testing.T) {
				h := newHarness(t, harnessConfig{})
				user := &elicitor{action: action}
				mcpClient := h.connect(t, era, user)
				modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")

				result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
				require.True(t, result.isError)
				assert.Contains(t, result.text, "the user chose "+string(action))
				assert.Equal(t, "declined", result.structured["reason"])
				assert.Equal(t, 1, user.calls)
				assert.Zero(t, h.deployments())
			})
		}
	}
}

func TestNoElicitationGetsApprovalPage(t *testing.T) {
	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			h := newHarness(t, harnessConfig{})
			mcpClient := h.connect(t, era, nil)
			modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")
			arguments := map[string]any{"modelId": modelID}

			pending := callTool(t, mcpClient, "deploy_model", arguments)
			require.False(t, pending.isError, pending.text)
			assert.Equal(t, mcpguard.StatusApprovalRequired, pending.structured["status"])
			approvalURL := pending.structured["approvalUrl"].(string)
			approvalID := pending.structured["approvalId"].(string)
			assert.True(t, strings.HasPrefix(approvalURL, h.page.Origin()+"/approvals/"))
			assert.Contains(t, pending.structured["message"], "Show the user this link")
			assert.Zero(t, h.deployments())

			early := callTool(t, mcpClient, "deploy_model", withApproval(arguments, approvalID))
			require.True(t, early.isError)
			assert.Equal(t, "pending", early.structured["reason"])
			assert.Equal(t, "deploy_model was not run because the user has not approved it yet; show the user the approval link, "+
				"wait until they say they approved, then call again with the same arguments and approvalId.", early.structured["message"])

			decide(t, h, approvalURL, "approve")

			approved := callTool(t, mcpClient, "deploy_model", withApproval(arguments, approvalID))
			require.False(t, approved.isError, approved.text)
			assert.NotEmpty(t, approved.structured["deploymentId"])
			assert.Equal(t, "approval_page", approved.structured["approvedBy"].(map[string]any)["kind"])
			assert.Equal(t, int64(1), h.deployments())

			replay := callTool(t, mcpClient, "deploy_model", withApproval(arguments, approvalID))
			require.True(t, replay.isError)
			assert.Equal(t, "replayed", replay.structured["reason"])
			assert.Equal(t, int64(1), h.deployments())
		})
	}
}

func TestApprovalPageRejectDeploysNothing(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")
	arguments := map[string]any{"modelId": modelID}

	pending := callTool(t, mcpClient, "deploy_model", arguments)
	decide(t, h, pending.structured["approvalUrl"].(string), "reject")

	result := callTool(t, mcpClient, "deploy_model", withApproval(arguments, pending.structured["approvalId"].(string)))
	require.True(t, result.isError)
	assert.Equal(t, "rejected", result.structured["reason"])
	assert.Zero(t, h.deployments())
}

func TestApprovalForOtherModelRefusedOverMCP(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connect(t, mcp.ProtocolVersion20260728, nil)
	small := registerModel(t, mcpClient, "google/gemma-4-12B-it")
	large := registerModel(t, mcpClient, "meta-llama/Llama-3.1-405B-Instruct")

	pending := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": small})
	decide(t, h, pending.structured["approvalUrl"].(string), "approve")

	result := callTool(t, mcpClient, "deploy_model", withApproval(map[string]any{"modelId": large}, pending.structured["approvalId"].(string)))
	require.True(t, result.isError)
	assert.Equal(t, "arguments_changed", result.structured["reason"])
	assert.Zero(t, h.deployments())
}

func TestModeElicitationRefusesPlainClient(t *testing.T) {
	h := newHarness(t, harnessConfig{mode: guard.ModeElicitation})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")

	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.True(t, result.isError)
	assert.Contains(t, result.text, "did not declare the elicitation capability")
	assert.Zero(t, h.deployments())
}

func TestPolicyPreapprovalDeploysWithoutHuman(t *testing.T) {
	policy, err := guard.ParsePolicy([]byte("version: 1\ndeploy:\n  preapprove:\n    - name: evals\n      huggingFaceIds: ['google/gemma-4-*']\n      types: [base]\n      maxParams: 13000000000\n"))
	require.NoError(t, err)
	h := newHarness(t, harnessConfig{mode: guard.ModeDeny, policy: &policy,
		estimator: fixedEstimator{guard.Estimate{Params: 12e9, GPUMemoryBytes: 30 << 30, GPUCount: 1, Source: guard.EstimateFromHub}}})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")

	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.False(t, result.isError, result.text)
	assert.Equal(t, map[string]any{"kind": "policy", "ref": "evals"}, result.structured["approvedBy"])
	assert.Equal(t, int64(1), h.deployments())

	other := registerModel(t, mcpClient, "Google/gemma-4-12B-it")
	refused := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": other})
	require.True(t, refused.isError)
	assert.Equal(t, "no_human_path", refused.structured["reason"])
	assert.Equal(t, int64(1), h.deployments())
}

func TestToolsListAnnouncesApproval(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	ctx := t.Context()
	listed, err := mcpClient.ListTools(ctx, mcp.ListToolsRequest{})
	require.NoError(t, err)

	byName := map[string]mcp.Tool{}
	for _, tool := range listed.Tools {
		byName[tool.Name] = tool
	}
	for _, name := range []string{"deploy_model", "delete_model", "pause_deployment", "cancel_deployment"} {
		tool := byName[name]
		assert.Contains(t, tool.Description, "Needs the user's approval; see approvalId.", name)
		assert.Contains(t, tool.InputSchema.Properties, guard.ApprovalArgument, name)
		assert.NotContains(t, tool.InputSchema.Required, guard.ApprovalArgument, name)
		require.NotNil(t, tool.OutputSchema, name)
		assert.Empty(t, tool.OutputSchema.Required, "%s: an approval_required result has none of the tool's fields", name)
	}
	for _, name := range []string{"list_models", "register_model", "get_model"} {
		assert.NotContains(t, byName[name].Description, "approval", name)
		assert.NotContains(t, byName[name].InputSchema.Properties, guard.ApprovalArgument, name)
	}
}

func TestAuditLogOfGuardedRun(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	plain := h.connect(t, mcp.ProtocolVersion20251125, nil)
	modelID := registerModel(t, plain, "google/gemma-4-12B-it")

	callTool(t, plain, "list_models", map[string]any{})
	pending := callTool(t, plain, "deploy_model", map[string]any{"modelId": modelID})
	decide(t, h, pending.structured["approvalUrl"].(string), "approve")
	approved := callTool(t, plain, "deploy_model", withApproval(map[string]any{"modelId": modelID}, pending.structured["approvalId"].(string)))
	require.False(t, approved.isError, approved.text)

	eliciting := h.connect(t, mcp.ProtocolVersion20260728, &elicitor{action: mcp.ElicitationResponseActionDecline})
	callTool(t, eliciting, "deploy_model", map[string]any{"modelId": modelID, "forceDeployment": true})

	lines := h.auditLines(t)
	var summary []string
	for _, line := range lines {
		summary = append(summary, line["tool"].(string)+":"+line["decision"].(string))
	}
	assert.Equal(t, []string{
		"register_model:allowed",
		"deploy_model:approval_required",
		"deploy_model:approved",
		"deploy_model:input_required",
		"deploy_model:refused",
	}, summary, "list_models is a read and is not logged")

	approvedLine := lines[2]
	assert.Equal(t, map[string]any{"kind": "approval_page", "ref": guard.Fingerprint(pending.structured["approvalId"].(string))}, approvedLine["approvedBy"])
	upstream := approvedLine["upstream"].(map[string]any)
	assert.Equal(t, true, upstream["ok"])
	assert.Equal(t, "deploymentId "+approved.structured["deploymentId"].(string), upstream["summary"])
	assert.NotEmpty(t, approvedLine["caller"])
	assert.NotEqual(t, mcpguard.NoSession, approvedLine["caller"])
	assert.Greater(t, approvedLine["latencyMs"].(float64), 0.0)

	refusedLine := lines[4]
	assert.Equal(t, "declined", refusedLine["reason"])
	assert.Nil(t, refusedLine["upstream"])
	assert.Equal(t, true, refusedLine["arguments"].(map[string]any)["forceDeployment"])
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// decide opens the approval page and submits a decision as a browser would.
func decide(t *testing.T, h *harness, approvalURL, decision string) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}

	page, err := client.Get(approvalURL)
	require.NoError(t, err)
	body := readBody(t, page)
	require.Equal(t, http.StatusOK, page.StatusCode, body)
	match := csrfField.FindStringSubmatch(body)
	require.Len(t, match, 2)

	form := url.Values{"csrf": {match[1]}, "decision": {decision}}
	request, err := http.NewRequest(http.MethodPost, approvalURL, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	request.Header.Set("Origin", h.page.Origin())
	request.Header.Set("Sec-Fetch-Site", "same-origin")
	response, err := client.Do(request)
	require.NoError(t, err)
	responseBody := readBody(t, response)
	require.Equal(t, http.StatusOK, response.StatusCode, responseBody)
}

func readBody(t *testing.T, response *http.Response) string {
	t.Helper()
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	require.NoError(t, err)
	return string(body)
}

func withApproval(arguments map[string]any, approvalID string) map[string]any {
	out := map[string]any{guard.ApprovalArgument: approvalID}
	for key, value := range arguments {
		out[key] = value
	}
	return out
}
