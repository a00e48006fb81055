package mcpserver_test

import (
	"net/http"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/mcpserver"
)

const limitInitializeBody = `{"jsonrpc":"2.0","id":"init-1","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"limit-test","version":"1"}}}`

func TestSessionLimitRefusesInitialize(t *testing.T) {
	h := newHarness(t, harnessConfig{http: mcpserver.HTTPOptions{MaxSessions: 2}})
	first := h.connect(t, mcp.ProtocolVersion20251125, nil)
	second := h.connect(t, mcp.ProtocolVersion20251125, nil)

	response := postJSON(t, h.url, limitInitializeBody, nil)
	require.Equal(t, http.StatusServiceUnavailable, response.StatusCode)
	assert.Equal(t, "60", response.Header.Get("Retry-After"))
	id, code, message := jsonRPCError(t, response)
	assert.JSONEq(t, `"init-1"`, string(id))
	assert.Equal(t, mcpserver.SessionLimitCode, code)
	assert.Contains(t, message, "at most 2 live sessions")
	assert.Contains(t, message, "retry after 60 seconds")

	require.False(t, call(t, first, "list_models", map[string]any{}).isError, "live sessions keep working")
	require.False(t, call(t, h.connect(t, mcp.ProtocolVersion20260728, nil), "list_models", map[string]any{}).isError,
		"a 2026-07-28 client holds no session and is served")

	require.NoError(t, second.Close())
	accepted := postJSON(t, h.url, limitInitializeBody, nil)
	assert.Equal(t, http.StatusOK, accepted.StatusCode, "an ended session frees its place")
}
