package mcpserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/mcpserver"
)

// preflight sends the OPTIONS request a browser sends before a POST with
// MCP headers.
func preflight(t *testing.T, url, origin, headers string) *http.Response {
	t.Helper()
	request, err := http.NewRequest(http.MethodOptions, url, nil)
	require.NoError(t, err)
	request.Header.Set("Origin", origin)
	request.Header.Set("Access-Control-Request-Method", http.MethodPost)
	request.Header.Set("Access-Control-Request-Headers", headers)
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	t.Cleanup(func() { _ = response.Body.Close() })
	return response
}

func TestCORSForAllowedOrigins(t *testing.T) {
	const token = "cors-test-token-0123456789"
	h := newHarness(t, harnessConfig{http: mcpserver.HTTPOptions{
		AllowedOrigins: []string{"https://app.example.com"}, AuthToken: token,
	}})
	requested := "content-type, authorization, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, mcp-param-region, x-unknown"

	for _, origin := range []string{"https://app.example.com", "http://localhost:5173"} {
		t.Run(origin, func(t *testing.T) {
			response := preflight(t, h.url, origin, requested)
			require.Equal(t, http.StatusNoContent, response.StatusCode, "a preflight carries no token and still succeeds")
			assert.Equal(t, origin, response.Header.Get("Access-Control-Allow-Origin"))
			assert.Contains(t, response.Header.Values("Vary"), "Origin")
			assert.Contains(t, response.Header.Get("Access-Control-Allow-Methods"), "POST")
			allowed := strings.ToLower(response.Header.Get("Access-Control-Allow-Headers"))
			for _, name := range []string{"content-type", "authorization", "mcp-session-id", "mcp-protocol-version", "last-event-id", "mcp-method", "mcp-name", "mcp-param-region"} {
				assert.Contains(t, allowed, name)
			}
			assert.NotContains(t, allowed, "x-unknown")

			post := postJSON(t, h.url, initializeBody, map[string]string{"Origin": origin, "Authorization": "Bearer " + token})
			require.Equal(t, http.StatusOK, post.StatusCode)
			assert.Equal(t, origin, post.Header.Get("Access-Control-Allow-Origin"))
			assert.Contains(t, post.Header.Values("Vary"), "Origin")
			assert.Contains(t, post.Header.Get("Access-Control-Expose-Headers"), "Mcp-Session-Id")
			assert.NotEmpty(t, post.Header.Get("Mcp-Session-Id"))
		})
	}

	t.Run("foreign origin", func(t *testing.T) {
		response := preflight(t, h.url, "https://evil.example.com", requested)
		assert.Equal(t, http.StatusForbidden, response.StatusCode)
		assert.Empty(t, response.Header.Get("Access-Control-Allow-Origin"))
	})

	t.Run("no origin", func(t *testing.T) {
		post := postJSON(t, h.url, initializeBody, map[string]string{"Authorization": "Bearer " + token})
		require.Equal(t, http.StatusOK, post.StatusCode)
		assert.Empty(t, post.Header.Get("Access-Control-Allow-Origin"), "a request from outside a browser gets no CORS headers")
	})
}
