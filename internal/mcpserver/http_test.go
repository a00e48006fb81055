package mcpserver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
)

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`

func TestHealthz(t *testing.T) {
	const token = "a-long-enough-test-token"
	h := newHarness(t, harnessConfig{http: mcpserver.HTTPOptions{Version: "v9.9.9", AuthToken: token}})

	get := func(authorization string) map[string]any {
		request, err := http.NewRequest(http.MethodGet, h.base+mcpserver.HealthPath, nil)
		require.NoError(t, err)
		if authorization != "" {
			request.Header.Set("Authorization", authorization)
		}
		response, err := http.DefaultClient.Do(request)
		require.NoError(t, err)
		defer response.Body.Close()
		assert.Equal(t, http.StatusOK, response.StatusCode, "healthz needs no token")
		var body map[string]any
		require.NoError(t, json.NewDecoder(response.Body).Decode(&body))
		return body
	}
	assert.Equal(t, map[string]any{"status": "ok"}, get(""), "without the token, no version or session count")
	assert.Equal(t, map[string]any{"status": "ok"}, get("Bearer wrong-token-0123456789"))
	assert.Equal(t, map[string]any{"status": "ok", "name": "rational-mcp", "version": "v9.9.9", "sessions": float64(0)}, get("Bearer "+token))

	post, err := http.Post(h.base+mcpserver.HealthPath, "text/plain", nil)
	require.NoError(t, err)
	defer post.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, post.StatusCode)
}

func TestOriginValidation(t *testing.T) {
	h := newHarness(t, harnessConfig{http: mcpserver.HTTPOptions{AllowedOrigins: []string{"https://app.example.com"}}})
	cases := []struct {
		origin string
		status int
	}{
		{"", http.StatusOK},
		{"http://localhost:6274", http.StatusOK},
		{"http://127.0.0.1:3000", http.StatusOK},
		{"http://[::1]:3000", http.StatusOK},
		{"https://app.example.com", http.StatusOK},
		{"HTTPS://APP.EXAMPLE.COM", http.StatusOK},
		{"https://evil.example.com", http.StatusForbidden},
		{"https://app.example.com.evil.com", http.StatusForbidden},
		{"http://localhost.evil.com", http.StatusForbidden},
		{"null", http.StatusForbidden},
		{"file://", http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.origin, func(t *testing.T) {
			headers := map[string]string{}
			if tc.origin != "" {
				headers["Origin"] = tc.origin
			}
			response := postJSON(t, h.url, initializeBody, headers)
			assert.Equal(t, tc.status, response.StatusCode)
			if tc.status == http.StatusForbidden {
				body, _ := io.ReadAll(response.Body)
				assert.Contains(t, string(body), "--allowed-origins")
			}
		})
	}

	request, err := http.NewRequest(http.MethodGet, h.base+mcpserver.HealthPath, nil)
	require.NoError(t, err)
	request.Header.Set("Origin", "https://evil.example.com")
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	defer response.Body.Close()
	assert.Equal(t, http.StatusForbidden, response.StatusCode, "every path checks Origin")
}

func TestBearerTokenRequired(t *testing.T) {
	const token = "0123456789abcdef-test-token"
	h := newHarness(t, harnessConfig{http: mcpserver.HTTPOptions{AuthToken: token}})

	for name, headers := range map[string]map[string]string{
		"no header":    nil,
		"wrong token":  {"Authorization": "Bearer 0123456789abcdef-test-tokeX"},
		"token prefix": {"Authorization": "Bearer 0123456789abcdef"},
		"basic scheme": {"Authorization": "Basic " + token},
	} {
		t.Run(name, func(t *testing.T) {
			response := postJSON(t, h.url, initializeBody, headers)
			assert.Equal(t, http.StatusUnauthorized, response.StatusCode)
			assert.Contains(t, response.Header.Get("WWW-Authenticate"), "Bearer")
		})
	}

	for _, era := range eras {
		t.Run("valid token "+era, func(t *testing.T) {
			mcpClient := h.connect(t, era, map[string]string{"Authorization": "Bearer " + token})
			result := call(t, mcpClient, "list_deployments", nil)
			assert.False(t, result.isError, result.text)
		})
	}
}

func TestBodyLimit(t *testing.T) {
	h := newHarness(t, harnessConfig{http: mcpserver.HTTPOptions{MaxBodyBytes: 64 << 10}})
	large := `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"` + strings.Repeat("x", 70<<10) + `"}}`
	response := postJSON(t, h.url, large, nil)
	assert.Equal(t, http.StatusRequestEntityTooLarge, response.StatusCode)

	response = postJSON(t, h.url, initializeBody, nil)
	assert.Equal(t, http.StatusOK, response.StatusCode)
}

func TestSessionKeptAcrossRequests(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	sessionID := mcpClient.GetSessionId()
	require.NotEmpty(t, sessionID, "a 2025-era client gets a session")

	result := call(t, mcpClient, "list_deployments", nil)
	require.False(t, result.isError, result.text)

	toolsList := `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`
	unknown := postJSON(t, h.url, toolsList, map[string]string{
		"Mcp-Session-Id":       "mcp-session-00000000-0000-4000-8000-000000000000",
		"Mcp-Protocol-Version": mcp.ProtocolVersion20251125,
	})
	assert.Equal(t, http.StatusNotFound, unknown.StatusCode, "an unknown session id is rejected, so sessions are tracked")

	known := postJSON(t, h.url, toolsList, map[string]string{
		"Mcp-Session-Id":       sessionID,
		"Mcp-Protocol-Version": mcp.ProtocolVersion20251125,
	})
	assert.Equal(t, http.StatusOK, known.StatusCode)
	assert.Equal(t, float64(1), health(t, h)["sessions"])

	require.NoError(t, mcpClient.Close(), "closing sends DELETE, which ends the session")
	ended := postJSON(t, h.url, toolsList, map[string]string{
		"Mcp-Session-Id":       sessionID,
		"Mcp-Protocol-Version": mcp.ProtocolVersion20251125,
	})
	assert.Equal(t, http.StatusNotFound, ended.StatusCode, "an ended session is rejected")
	assert.Equal(t, float64(0), health(t, h)["sessions"], "an ended session is forgotten")
}

func health(t *testing.T, h *harness) map[string]any {
	t.Helper()
	response, err := http.Get(h.base + mcpserver.HealthPath)
	require.NoError(t, err)
	defer response.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(response.Body).Decode(&body))
	return body
}

// blockingAPI holds ListDeployments until release is closed.
type blockingAPI struct {
	controlroom.API
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (b *blockingAPI) ListDeployments(ctx context.Context) ([]controlroom.Deployment, error) {
	b.once.Do(func() { close(b.started) })
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return b.API.ListDeployments(ctx)
}

func TestGracefulShutdownFinishesRunningCall(t *testing.T) {
	blocking := &blockingAPI{started: make(chan struct{}), release: make(chan struct{})}
	h := newHarness(t, harnessConfig{wrapAPI: func(api controlroom.API) controlroom.API {
		blocking.API = api
		return blocking
	}})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	results := make(chan callResult, 1)
	go func() { results <- call(t, mcpClient, "list_deployments", nil) }()
	<-blocking.started

	stopped := make(chan error, 1)
	go func() { stopped <- h.stop() }()

	// New connections are refused once shutdown has begun, while the
	// running call still holds its connection.
	require.Eventually(t, func() bool {
		response, err := http.Get(h.base + mcpserver.HealthPath)
		if err == nil {
			response.Body.Close()
		}
		return err != nil
	}, 5*time.Second, 10*time.Millisecond)

	close(blocking.release)
	result := <-results
	assert.False(t, result.isError, result.text)
	assert.Equal(t, float64(1), result.structured["count"])
	require.NoError(t, <-stopped)
}

func TestNonLoopbackAddressDetection(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8787": true,
		"127.0.0.2:0":    true,
		"[::1]:8787":     true,
		"localhost:8787": true,
		":8787":          false,
		"0.0.0.0:8787":   false,
		"[::]:8787":      false,
		"10.1.2.3:8787":  false,
		"example.com:80": false,
		"127.0.0.1":      false,
	} {
		assert.Equal(t, want, mcpserver.IsLoopbackAddr(addr), addr)
	}
}

func TestInvalidAllowedOriginRejected(t *testing.T) {
	for _, origin := range []string{"app.example.com", "https://app.example.com/path", "ftp://x"} {
		_, err := mcpserver.NewHTTPServer(nil, mcpserver.HTTPOptions{AllowedOrigins: []string{origin}})
		require.Error(t, err, origin)
		assert.Contains(t, err.Error(), origin)
	}
}
