package mcpserver_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/simulator"
	"github.com/rational-ai/rational-mcp/tools"
)

// TestWaitSendsProgressOverHTTP waits for a deployment through a real
// mcp-go client over streamable HTTP and checks the progress notifications
// that arrive for the call's progress token.
func TestWaitSendsProgressOverHTTP(t *testing.T) {
	var clock *simulator.ManualClock
	services := tools.Services{
		// Sleeping advances the simulated time, so the wait covers the
		// lifecycle without real delays.
		Sleep: func(ctx context.Context, d time.Duration) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			clock.Advance(d)
			return nil
		},
		Now: func() time.Time { return clock.Now() },
	}
	h := newHarness(t, harnessConfig{options: mcpserver.Options{Services: services}})
	clock = h.clock

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	registered, err := h.api.RegisterModel(ctx, controlroom.RegisterModelRequest{
		Name: "progress-test", Type: controlroom.ModelTypeBase, HuggingFaceID: "Qwen/Qwen2.5-7B-Instruct", NumberOfParams: "7000000000",
	})
	require.NoError(t, err)
	deployed, err := h.api.DeployModel(ctx, registered.Model.ID, controlroom.DeploymentParameters{})
	require.NoError(t, err)
	clock.Advance(60 * time.Second)

	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	var mu sync.Mutex
	var notes []mcp.JSONRPCNotification
	mcpClient.OnNotification(func(notification mcp.JSONRPCNotification) {
		if notification.Method == string(mcp.MethodNotificationProgress) {
			mu.Lock()
			notes = append(notes, notification)
			mu.Unlock()
		}
	})

	request := mcp.CallToolRequest{}
	request.Params.Name = "get_deployment_status"
	request.Params.Arguments = map[string]any{"deploymentId": deployed.DeploymentID, "waitSeconds": 45}
	request.Params.Meta = &mcp.Meta{ProgressToken: "wait-1"}
	result, err := mcpClient.CallTool(ctx, request)
	require.NoError(t, err)
	require.False(t, result.IsError, "%v", result.Content)
	structured := result.StructuredContent.(map[string]any)
	assert.Equal(t, true, structured["ready"])
	assert.Contains(t, structured["next"], "ready")

	mu.Lock()
	defer mu.Unlock()
	require.GreaterOrEqual(t, len(notes), 2, "one notification per poll while not ready")
	previous := 0.0
	for i, note := range notes {
		params := note.Params.AdditionalFields
		assert.Equal(t, "wait-1", params["progressToken"], "notification %d", i)
		progress, ok := params["progress"].(float64)
		require.True(t, ok, "notification %d progress: %v", i, params["progress"])
		assert.Greater(t, progress, previous, "notification %d", i)
		previous = progress
		assert.Equal(t, float64(45), params["total"])
		assert.Contains(t, params["message"], "status ", "notification %d", i)
	}
	assert.Contains(t, notes[0].Params.AdditionalFields["message"], "pullingWeights")
}

// TestNoProgressWithoutToken checks that a call without a progress token
// gets no notifications.
func TestNoProgressWithoutToken(t *testing.T) {
	var clock *simulator.ManualClock
	services := tools.Services{
		Sleep: func(_ context.Context, d time.Duration) error { clock.Advance(d); return nil },
		Now:   func() time.Time { return clock.Now() },
	}
	h := newHarness(t, harnessConfig{options: mcpserver.Options{Services: services}})
	clock = h.clock

	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	var mu sync.Mutex
	count := 0
	mcpClient.OnNotification(func(notification mcp.JSONRPCNotification) {
		if notification.Method == string(mcp.MethodNotificationProgress) {
			mu.Lock()
			count++
			mu.Unlock()
		}
	})

	ctx := context.Background()
	registered, err := h.api.RegisterModel(ctx, controlroom.RegisterModelRequest{
		Name: "no-progress-test", Type: controlroom.ModelTypeBase, HuggingFaceID: "Qwen/Qwen2.5-7B-Instruct", NumberOfParams: "7000000000",
	})
	require.NoError(t, err)
	deployed, err := h.api.DeployModel(ctx, registered.Model.ID, controlroom.DeploymentParameters{})
	require.NoError(t, err)

	status := call(t, mcpClient, "get_deployment_status", map[string]any{"deploymentId": deployed.DeploymentID, "waitSeconds": 5})
	require.False(t, status.isError, status.text)
	assert.Equal(t, false, status.structured["ready"])
	assert.Equal(t, float64(5), status.structured["elapsedSeconds"], "the wait polled for its whole budget")

	mu.Lock()
	defer mu.Unlock()
	assert.Zero(t, count)
}
