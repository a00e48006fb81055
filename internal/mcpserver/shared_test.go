package mcpserver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/mcpserver"
)

// jsonRPCError decodes the JSON-RPC error body of response.
func jsonRPCError(t *testing.T, response *http.Response) (id json.RawMessage, code int, message string) {
	t.Helper()
	require.Equal(t, "application/json", response.Header.Get("Content-Type"))
	var body struct {
		ID    json.RawMessage `json:"id"`
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	data, err := io.ReadAll(response.Body)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &body), "body: %s", data)
	return body.ID, body.Error.Code, body.Error.Message
}

func TestUnknownSessionAsksToReconnect(t *testing.T) {
	h := newHarness(t, harnessConfig{})

	response := postJSON(t, h.url, `{"jsonrpc":"2.0","id":41,"method":"tools/list"}`, map[string]string{
		"Mcp-Session-Id":       "mcp-session-0b6f7a52-9d1e-4c43-8a0e-000000000000",
		"MCP-Protocol-Version": mcp.ProtocolVersion20251125,
	})
	require.Equal(t, http.StatusNotFound, response.StatusCode)
	id, code, message := jsonRPCError(t, response)
	require.JSONEq(t, `41`, string(id))
	require.Equal(t, mcpserver.SessionExpiredCode, code)
	require.Contains(t, message, "session expired, reconnect")
	require.Contains(t, message, "initialize")

}

func TestEndedSessionClientSeesTerminatedAndReconnects(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	require.False(t, call(t, mcpClient, "list_models", map[string]any{}).isError)

	// The session ends on the server, as when a replica restarts.
	request, err := http.NewRequest(http.MethodDelete, h.url, nil)
	require.NoError(t, err)
	request.Header.Set("Mcp-Session-Id", mcpClient.GetSessionId())
	request.Header.Set("MCP-Protocol-Version", mcp.ProtocolVersion20251125)
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	require.NoError(t, response.Body.Close())

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	callRequest := mcp.CallToolRequest{}
	callRequest.Params.Name = "list_models"
	callRequest.Params.Arguments = map[string]any{}
	_, err = mcpClient.CallTool(ctx, callRequest)
	require.ErrorIs(t, err, transport.ErrSessionTerminated, "mcp-go reports the 404 as a terminated session; the caller starts a new client")

	reconnected := h.connect(t, mcp.ProtocolVersion20251125, nil)
	require.False(t, call(t, reconnected, "list_models", map[string]any{}).isError)
}

// TestRateLimitPerRemoteAddress checks that without authentication the
// bucket belongs to the remote address, so a new session does not get a
// fresh one.
func TestRateLimitPerRemoteAddress(t *testing.T) {
	var limited atomic.Int64
	h := newHarness(t, harnessConfig{http: mcpserver.HTTPOptions{RateLimit: mcpserver.RateLimit{
		PerMinute: 1, Burst: 2, OnLimited: func() { limited.Add(1) },
	}}})
	first := h.connect(t, mcp.ProtocolVersion20251125, nil)
	second := h.connect(t, mcp.ProtocolVersion20251125, nil)

	require.False(t, call(t, first, "list_models", map[string]any{}).isError)
	require.False(t, call(t, first, "list_models", map[string]any{}).isError)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	callRequest := mcp.CallToolRequest{}
	callRequest.Params.Name = "list_models"
	callRequest.Params.Arguments = map[string]any{}
	_, err := first.CallTool(ctx, callRequest)
	require.ErrorContains(t, err, "rate limit exceeded")
	require.ErrorContains(t, err, "retry after")

	// Listing is not limited, and a new session from the same address
	// shares the bucket.
	_, err = first.ListTools(ctx, mcp.ListToolsRequest{})
	require.NoError(t, err)
	_, err = second.CallTool(ctx, callRequest)
	require.ErrorContains(t, err, "rate limit exceeded")

	// The raw response is 429 with Retry-After and a JSON-RPC error.
	response := postJSON(t, h.url, `{"jsonrpc":"2.0","id":"c-3","method":"tools/call","params":{"name":"list_models","arguments":{}}}`, map[string]string{
		"Mcp-Session-Id":       first.GetSessionId(),
		"MCP-Protocol-Version": mcp.ProtocolVersion20251125,
	})
	require.Equal(t, http.StatusTooManyRequests, response.StatusCode)
	require.Equal(t, "60", response.Header.Get("Retry-After"))
	id, code, message := jsonRPCError(t, response)
	require.JSONEq(t, `"c-3"`, string(id))
	require.Equal(t, mcpserver.RateLimitedCode, code)
	require.Contains(t, message, "at most 1 tool calls per minute")
	require.EqualValues(t, 3, limited.Load())
}

func TestRateLimitByTokenWhenAuthenticated(t *testing.T) {
	const token = "rate-limit-token-0123456789"
	h := newHarness(t, harnessConfig{http: mcpserver.HTTPOptions{
		AuthToken: token, RateLimit: mcpserver.RateLimit{PerMinute: 1, Burst: 1},
	}})
	headers := map[string]string{"Authorization": "Bearer " + token}
	first := h.connect(t, mcp.ProtocolVersion20260728, headers)
	second := h.connect(t, mcp.ProtocolVersion20251125, headers)

	require.False(t, call(t, first, "list_models", map[string]any{}).isError)

	// The same token is the same principal, whatever the session.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	callRequest := mcp.CallToolRequest{}
	callRequest.Params.Name = "list_models"
	callRequest.Params.Arguments = map[string]any{}
	_, err := second.CallTool(ctx, callRequest)
	require.ErrorContains(t, err, "rate limit exceeded")
}
