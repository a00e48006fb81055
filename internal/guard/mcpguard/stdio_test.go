package mcpguard_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStdioElicitationApproveDeploysOnce(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	user := approvingUser()
	mcpClient := h.connectStdio(t, user)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")

	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.False(t, result.isError, result.text)
	assert.Equal(t, 1, user.calls)
	assert.Equal(t, int64(1), h.deployments())
}

func TestStdioElicitationDeclineDeploysNothing(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	user := &elicitor{action: mcp.ElicitationResponseActionDecline}
	mcpClient := h.connectStdio(t, user)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")

	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.True(t, result.isError)
	assert.Equal(t, "declined", result.structured["reason"])
	assert.Zero(t, h.deployments())
}

func TestStdioApprovalPageDeploysOnce(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connectStdio(t, nil)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")
	arguments := map[string]any{"modelId": modelID}

	pending := callTool(t, mcpClient, "deploy_model", arguments)
	require.Equal(t, "approval_required", pending.structured["status"], pending.text)
	decide(t, h, pending.structured["approvalUrl"].(string), "approve")

	result := callTool(t, mcpClient, "deploy_model", withApproval(arguments, pending.structured["approvalId"].(string)))
	require.False(t, result.isError, result.text)
	assert.Equal(t, int64(1), h.deployments())
}

// failingUser stands for a client whose user never responds: its
// elicitation fails as a client timeout would.
type failingUser struct{ calls int }

func (f *failingUser) Elicit(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	f.calls++
	return nil, errors.New("the user did not answer in time")
}

func TestElicitationTimeoutDeploysNothing(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	user := &failingUser{}

	httpTransport, err := transport.NewStreamableHTTP(h.url)
	require.NoError(t, err)
	mcpClient := client.NewClient(httpTransport, client.WithElicitationHandler(user))
	t.Cleanup(func() { _ = mcpClient.Close() })
	require.NoError(t, mcpClient.Start(context.Background()))
	_, err = mcpClient.Initialize(context.Background(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.ProtocolVersion20251125, ClientInfo: mcp.Implementation{Name: "timeout-test", Version: "1"},
	}})
	require.NoError(t, err)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")

	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.True(t, result.isError, "a failed elicitation is a refusal result, not a JSON-RPC error")
	assert.Equal(t, "refused", result.structured["status"])
	assert.Equal(t, "elicitation_failed", result.structured["reason"])
	assert.Contains(t, result.text, "the user did not answer in time")
	assert.Equal(t, 1, user.calls)
	assert.Zero(t, h.deployments())

	lines := h.auditLines(t)
	require.Len(t, lines, 3)
	assert.Equal(t, "input_required", lines[1]["decision"])
	assert.Equal(t, "refused", lines[2]["decision"])
	assert.Equal(t, "elicitation_failed", lines[2]["reason"])
}

func TestStdioElicitationErrorIsRefusal(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	user := &failingUser{}
	stdioClient := h.connectStdio(t, user)
	modelID := registerModel(t, stdioClient, "google/gemma-4-12B-it")

	result := callTool(t, stdioClient, "deploy_model", map[string]any{"modelId": modelID})
	require.True(t, result.isError, result.text)
	assert.Equal(t, "elicitation_failed", result.structured["reason"])
	assert.Equal(t, 1, user.calls)
	assert.Zero(t, h.deployments())
}
