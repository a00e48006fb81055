package mcpserver_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/hfhub"
	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/tools"
)

// promptText returns the deploy_open_model text for repo.
func promptText(t *testing.T, mcpClient *client.Client, repo string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := mcpClient.GetPrompt(ctx, mcp.GetPromptRequest{Params: mcp.GetPromptParams{
		Name: mcpserver.DeployOpenModelPrompt, Arguments: map[string]string{"huggingFaceId": repo},
	}})
	require.NoError(t, err)
	require.Len(t, got.Messages, 1)
	text, ok := got.Messages[0].Content.(mcp.TextContent)
	require.True(t, ok)
	return text.Text
}

// finishWalkthrough runs the prompt's deploy and wait steps for modelID and
// returns the serviceUrl.
func finishWalkthrough(t *testing.T, h *harness, mcpClient *client.Client, modelID string) string {
	t.Helper()
	deployed := call(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.False(t, deployed.isError, deployed.text)

	h.clock.Advance(testTimings.Total() + time.Second)
	status := call(t, mcpClient, "get_deployment_status", map[string]any{"deploymentId": deployed.structured["deploymentId"], "waitSeconds": 45})
	require.False(t, status.isError, status.text)
	assert.Equal(t, true, status.structured["ready"])
	return status.structured["serviceUrl"].(string)
}

// TestPromptWalkthroughWithoutHub follows deploy_open_model when
// inspect_model cannot reach the Hub, as in the default demo: the prompt
// must name the tool's "could not verify" outcome and say how to go on.
func TestPromptWalkthroughWithoutHub(t *testing.T) {
	const repo = "acme/chat-7b-AWQ"
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	text := promptText(t, mcpClient, repo)

	inspected := call(t, mcpClient, "inspect_model", map[string]any{"huggingFaceId": repo})
	require.True(t, inspected.isError)
	assert.Contains(t, inspected.text, "could not verify")
	assert.Contains(t, text, "could not verify", "the prompt covers inspect_model's offline outcome")
	assert.Contains(t, text, "go on")
	assert.Contains(t, text, "explicit type")

	listed := call(t, mcpClient, "list_models", map[string]any{"text": repo})
	require.False(t, listed.isError, listed.text)
	assert.Empty(t, listed.structured["models"])

	registered := call(t, mcpClient, "register_model", map[string]any{"huggingFaceId": repo, "type": "awq"})
	require.False(t, registered.isError, registered.text)
	assert.Contains(t, registered.text, "could not verify")

	assert.NotEmpty(t, finishWalkthrough(t, h, mcpClient, registered.structured["modelId"].(string)))
}

// TestPromptWalkthroughFromCatalog follows deploy_open_model without a Hub
// for a repo the catalog already has: step 2 finds it, so no type is needed.
func TestPromptWalkthroughFromCatalog(t *testing.T) {
	const repo = "Qwen/Qwen2.5-7B-Instruct-GGUF"
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	assert.Contains(t, promptText(t, mcpClient, repo), "go to step 4")

	listed := call(t, mcpClient, "list_models", map[string]any{"text": repo})
	require.False(t, listed.isError, listed.text)
	rows := modelRows(t, listed)
	require.Len(t, rows, 1)
	assert.Equal(t, repo, rows[0].HuggingFaceID)

	assert.NotEmpty(t, finishWalkthrough(t, h, mcpClient, rows[0].ID))
}

// TestPromptWalkthroughWithHub follows deploy_open_model with the Hub
// fixtures: inspect_model returns registerArgs, which register_model takes
// as they are.
func TestPromptWalkthroughWithHub(t *testing.T) {
	const repo = "rational-ai/internal-chat-3b"
	hub := hubtest.New(t, hubtest.FixtureDir(t))
	hubClient, err := hfhub.New(hfhub.Options{Endpoint: hub.URL, Token: hubtest.Token, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	h := newHarness(t, harnessConfig{options: mcpserver.Options{Services: tools.Services{Hub: hubClient}}})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	assert.Contains(t, promptText(t, mcpClient, repo), "registerArgs")

	inspected := call(t, mcpClient, "inspect_model", map[string]any{"huggingFaceId": repo})
	require.False(t, inspected.isError, inspected.text)
	assert.NotEmpty(t, inspected.structured["type"])
	registerArgs, ok := inspected.structured["registerArgs"].(map[string]any)
	require.True(t, ok)

	registered := call(t, mcpClient, "register_model", registerArgs)
	require.False(t, registered.isError, registered.text)

	assert.NotEmpty(t, finishWalkthrough(t, h, mcpClient, registered.structured["modelId"].(string)))
}
