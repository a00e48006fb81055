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
	"github.com/rational-ai/rational-mcp/tools"
)

// TestShutdownEndsStatusWaitWithCurrentStatus starts a long
// get_deployment_status wait, stops the server, and checks that the call
// answers with the current status and the advice to call again, within
// the shutdown timeout, instead of losing its response.
func TestShutdownEndsStatusWaitWithCurrentStatus(t *testing.T) {
	stopping := make(chan struct{})
	waiting := make(chan struct{})
	var once sync.Once
	services := tools.Services{
		// A poll interval never ends by itself, so only the shutdown can
		// end the wait before its 45-second budget.
		Sleep: func(ctx context.Context, _ time.Duration) error {
			once.Do(func() { close(waiting) })
			<-ctx.Done()
			return ctx.Err()
		},
		Stopping: stopping,
	}
	h := newHarness(t, harnessConfig{
		options: mcpserver.Options{Services: services},
		http: mcpserver.HTTPOptions{
			ShutdownTimeout: 10 * time.Second,
			OnShutdown:      sync.OnceFunc(func() { close(stopping) }),
		},
	})

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	registered, err := h.api.RegisterModel(ctx, controlroom.RegisterModelRequest{
		Name: "shutdown-test", Type: controlroom.ModelTypeBase, HuggingFaceID: "Qwen/Qwen2.5-7B-Instruct", NumberOfParams: "7000000000",
	})
	require.NoError(t, err)
	deployed, err := h.api.DeployModel(ctx, registered.Model.ID, controlroom.DeploymentParameters{})
	require.NoError(t, err)

	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	results := make(chan callResult, 1)
	go func() {
		results <- call(t, mcpClient, "get_deployment_status", map[string]any{"deploymentId": deployed.DeploymentID, "waitSeconds": 45})
	}()
	<-waiting

	started := time.Now()
	require.NoError(t, h.stop(), "the server stops gracefully, within its shutdown timeout")
	result := <-results
	assert.Less(t, time.Since(started), 5*time.Second)
	require.False(t, result.isError, result.text)
	assert.Equal(t, deployed.DeploymentID, result.structured["deploymentId"])
	assert.Equal(t, false, result.structured["ready"])
	assert.Contains(t, result.structured["next"], "call again with waitSeconds")
}
