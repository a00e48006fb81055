package mcpserver_test

import (
	"context"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/mcpserver"
)

func TestRateLimitByUpstreamToken(t *testing.T) {
	const token = "shared-bearer-token-0123456789"
	h := newHarness(t, harnessConfig{http: mcpserver.HTTPOptions{
		AuthToken: token, PrincipalHeader: "X-Rational-Api-Token",
		RateLimit: mcpserver.RateLimit{PerMinute: 1, Burst: 1},
	}})
	alice := map[string]string{"Authorization": "Bearer " + token, "X-Rational-Api-Token": "alice-upstream"}
	bob := map[string]string{"Authorization": "Bearer " + token, "X-Rational-Api-Token": "bob-upstream"}
	aliceFirst := h.connect(t, mcp.ProtocolVersion20260728, alice)
	aliceSecond := h.connect(t, mcp.ProtocolVersion20251125, alice)
	bobClient := h.connect(t, mcp.ProtocolVersion20260728, bob)

	require.False(t, call(t, aliceFirst, "list_models", map[string]any{}).isError)
	require.False(t, call(t, bobClient, "list_models", map[string]any{}).isError, "another upstream token has its own bucket")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	callRequest := mcp.CallToolRequest{}
	callRequest.Params.Name = "list_models"
	callRequest.Params.Arguments = map[string]any{}
	_, err := aliceSecond.CallTool(ctx, callRequest)
	require.ErrorContains(t, err, "rate limit exceeded", "the same upstream token shares a bucket across sessions")
}
