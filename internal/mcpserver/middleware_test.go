package mcpserver_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/tools"
)

func TestMiddlewareSeesCallAndShortCircuits(t *testing.T) {
	type seenCall struct {
		tool      string
		effect    tools.Effect
		arguments map[string]any
		session   string
	}
	var seen []seenCall
	record := func(next mcpserver.Handler) mcpserver.Handler {
		return func(ctx context.Context, call *mcpserver.Call) (*mcp.CallToolResult, error) {
			seen = append(seen, seenCall{call.Tool.Name, call.Tool.Effect, call.Arguments, mcpserver.SessionID(ctx)})
			return next(ctx, call)
		}
	}
	refuseGPU := func(next mcpserver.Handler) mcpserver.Handler {
		return func(ctx context.Context, call *mcpserver.Call) (*mcp.CallToolResult, error) {
			if call.Tool.Effect == tools.EffectGPU {
				return mcp.NewToolResultError(fmt.Sprintf("%s refused by policy", call.Tool.Name)), nil
			}
			return next(ctx, call)
		}
	}

	h := newHarness(t, harnessConfig{options: mcpserver.Options{Middleware: []mcpserver.Middleware{record, refuseGPU}}})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	listed := call(t, mcpClient, "list_models", map[string]any{"size": "2"})
	require.False(t, listed.isError, listed.text)
	modelID := modelRows(t, listed)[0].ID

	refused := call(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.True(t, refused.isError)
	assert.Equal(t, "deploy_model refused by policy", refused.text)
	assert.Zero(t, h.sim.Stats().DeploymentsCreated, "a short-circuited deploy reaches nothing upstream")

	require.Len(t, seen, 2)
	assert.Equal(t, "list_models", seen[0].tool)
	assert.Equal(t, tools.EffectRead, seen[0].effect)
	assert.Equal(t, int64(2), seen[0].arguments["size"], "middleware sees coerced arguments")
	assert.NotEmpty(t, seen[0].session)
	assert.Equal(t, tools.EffectGPU, seen[1].effect)
	assert.Equal(t, modelID, seen[1].arguments["modelId"])
}

// panickingAPI panics in GetModel.
type panickingAPI struct{ controlroom.API }

func (panickingAPI) GetModel(context.Context, string) (*controlroom.Model, error) {
	panic("boom")
}

func TestPanicBecomesErrorResult(t *testing.T) {
	h := newHarness(t, harnessConfig{wrapAPI: func(api controlroom.API) controlroom.API { return panickingAPI{api} }})
	for _, era := range eras {
		mcpClient := h.connect(t, era, nil)
		result := call(t, mcpClient, "get_model", map[string]any{"modelId": "00000000-0000-4000-8000-000000000000"})
		require.True(t, result.isError)
		assert.Contains(t, result.text, "get_model failed with an internal error")
		assert.NotContains(t, result.text, "boom")

		after := call(t, mcpClient, "list_deployments", nil)
		assert.False(t, after.isError, "the server keeps serving after a panic")
	}
}

func TestMiddlewarePanicBecomesErrorResult(t *testing.T) {
	panicking := func(mcpserver.Handler) mcpserver.Handler {
		return func(context.Context, *mcpserver.Call) (*mcp.CallToolResult, error) {
			panic("middleware bug")
		}
	}
	h := newHarness(t, harnessConfig{options: mcpserver.Options{Middleware: []mcpserver.Middleware{panicking}}})
	mcpClient := h.connect(t, mcp.ProtocolVersion20260728, nil)

	result := call(t, mcpClient, "list_models", nil)
	require.True(t, result.isError)
	assert.Contains(t, result.text, "list_models failed with an internal error")
}

func TestNewRequiresAPI(t *testing.T) {
	_, err := mcpserver.New(mcpserver.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "API")
}
