package metrics

import (
	"context"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/rational-ai/rational-mcp/internal/mcpserver"
)

// Middleware returns tool middleware that counts every call by tool and
// outcome and observes its latency. Install it outermost, before the guard,
// so that refused calls and approval requests count as well.
func (m *Metrics) Middleware() mcpserver.Middleware {
	return func(next mcpserver.Handler) mcpserver.Handler {
		return func(ctx context.Context, call *mcpserver.Call) (*mcp.CallToolResult, error) {
			started := time.Now()
			result, err := next(ctx, call)
			m.ObserveToolCall(call.Tool.Name, Outcome(result, err), time.Since(started))
			return result, err
		}
	}
}

// Outcome classifies the result of a tool call as one of the Outcome*
// constants.
func Outcome(result *mcp.CallToolResult, err error) string {
	switch {
	case err != nil || result == nil:
		return OutcomeProtocolError
	case result.IsError:
		return OutcomeError
	case len(result.InputRequests) > 0:
		return OutcomeInputRequired
	default:
		return OutcomeOK
	}
}
