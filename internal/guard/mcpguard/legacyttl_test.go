package mcpguard_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/guard"
)

// stateClock is a manual clock for the request-state signer.
type stateClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stateClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stateClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// slowUser answers every elicitation after the clock moved by delay, and
// runs beforeAnswer first when it is set.
type slowUser struct {
	clock        *stateClock
	delay        time.Duration
	beforeAnswer func()
}

func (u *slowUser) Elicit(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	u.clock.advance(u.delay)
	if u.beforeAnswer != nil {
		u.beforeAnswer()
	}
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{
		Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"approve": true},
	}}, nil
}

// connectLegacy returns an initialized 2025-11-25 client that answers
// elicitations with user.
func connectLegacy(t *testing.T, h *harness, user client.ElicitationHandler) *client.Client {
	t.Helper()
	httpTransport, err := transport.NewStreamableHTTP(h.url)
	require.NoError(t, err)
	mcpClient := client.NewClient(httpTransport, client.WithElicitationHandler(user))
	t.Cleanup(func() { _ = mcpClient.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, mcpClient.Start(ctx))
	_, err = mcpClient.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.ProtocolVersion20251125,
		ClientInfo:      mcp.Implementation{Name: "slow-user-test", Version: "1"},
	}})
	require.NoError(t, err)
	return mcpClient
}

func TestLegacyElicitationAnsweredAfterStateTTL(t *testing.T) {
	clock := &stateClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	h := newHarness(t, harnessConfig{stateClock: clock.Now})
	user := &slowUser{clock: clock, delay: guard.DefaultStateTTL + time.Minute}
	mcpClient := connectLegacy(t, h, user)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")

	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.False(t, result.isError, result.text)
	assert.NotEmpty(t, result.structured["deploymentId"])
	assert.Equal(t, "elicitation", result.structured["approvedBy"].(map[string]any)["kind"])
	assert.Equal(t, int64(1), h.deployments())
}

func TestLegacyElicitationPlanChangedWhileDeciding(t *testing.T) {
	clock := &stateClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	h := newHarness(t, harnessConfig{stateClock: clock.Now})
	user := &slowUser{clock: clock, delay: time.Minute}
	mcpClient := connectLegacy(t, h, user)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")
	user.beforeAnswer = func() {
		name := "renamed-while-deciding"
		_, err := h.api.UpdateModel(context.Background(), modelID, controlroom.UpdateModelRequest{Name: &name})
		require.NoError(t, err)
	}

	result := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.True(t, result.isError, result.text)
	assert.Equal(t, "plan_changed", result.structured["reason"])
	assert.Zero(t, h.deployments())
}
