package mcpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

func TestBodiesThatAreNotAnObject(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	cases := []struct {
		body   string
		status int
		code   int
	}{
		{`[]`, http.StatusBadRequest, mcp.INVALID_REQUEST},
		{`42`, http.StatusBadRequest, mcp.INVALID_REQUEST},
		{` [{"jsonrpc":"2.0","id":1,"method":"ping"}]`, http.StatusBadRequest, mcp.INVALID_REQUEST},
		{`"ping"`, http.StatusBadRequest, mcp.INVALID_REQUEST},
		{`{"jsonrpc":"2.0","id":{"a":1},"method":"initialize"}`, http.StatusBadRequest, mcp.INVALID_REQUEST},
		{`{"jsonrpc":"2.0","id":[1],"method":"initialize"}`, http.StatusBadRequest, mcp.INVALID_REQUEST},
		{`{not json`, http.StatusBadRequest, mcp.PARSE_ERROR},
	}
	for _, tc := range cases {
		t.Run(tc.body, func(t *testing.T) {
			response := postJSON(t, h.url, tc.body, nil)
			assert.Equal(t, tc.status, response.StatusCode)
			id, code, message := jsonRPCError(t, response)
			assert.Equal(t, tc.code, code, message)
			assert.JSONEq(t, `null`, string(id))
		})
	}
}

// getStream opens the GET stream with the given session header.
func getStream(t *testing.T, url, session string) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	request, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	request.Header.Set("Accept", "text/event-stream")
	request.Header.Set("MCP-Protocol-Version", mcp.ProtocolVersion20251125)
	if session != "" {
		request.Header.Set("Mcp-Session-Id", session)
	}
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	t.Cleanup(func() { _ = response.Body.Close() })
	return response
}

func TestGETStreamNeedsAKnownSession(t *testing.T) {
	h := newHarness(t, harnessConfig{})

	missing := getStream(t, h.url, "")
	assert.Equal(t, http.StatusBadRequest, missing.StatusCode)
	_, code, message := jsonRPCError(t, missing)
	assert.Equal(t, mcp.INVALID_REQUEST, code)
	assert.Contains(t, message, "Mcp-Session-Id")

	unknown := getStream(t, h.url, "mcp-session-0b6f7a52-9d1e-4c43-8a0e-000000000000")
	assert.Equal(t, http.StatusNotFound, unknown.StatusCode)
	_, code, message = jsonRPCError(t, unknown)
	assert.Equal(t, mcpserver.SessionExpiredCode, code)
	assert.Contains(t, message, "initialize")

	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	known := getStream(t, h.url, mcpClient.GetSessionId())
	assert.Equal(t, http.StatusOK, known.StatusCode)
	assert.Equal(t, "text/event-stream", known.Header.Get("Content-Type"))
}

// rawSession initializes a 2025-11-25 session with raw requests and returns
// a function that posts one request in it and decodes the response.
func rawSession(t *testing.T, url string) func(body string) map[string]any {
	t.Helper()
	initialized := postJSON(t, url, initializeBody, nil)
	require.Equal(t, http.StatusOK, initialized.StatusCode)
	headers := map[string]string{
		"Mcp-Session-Id":       initialized.Header.Get("Mcp-Session-Id"),
		"MCP-Protocol-Version": mcp.ProtocolVersion20251125,
	}
	require.Equal(t, http.StatusAccepted, postJSON(t, url, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, headers).StatusCode)
	return func(body string) map[string]any {
		response := postJSON(t, url, body, headers)
		data, err := io.ReadAll(response.Body)
		require.NoError(t, err)
		if strings.HasPrefix(response.Header.Get("Content-Type"), "text/event-stream") {
			_, data, _ = bytes.Cut(data, []byte("data: "))
		}
		var decoded map[string]any
		require.NoError(t, json.Unmarshal(data, &decoded), "body: %s", data)
		return decoded
	}
}

// errorCode returns the code and message of a decoded JSON-RPC error.
func errorCode(t *testing.T, response map[string]any) (int, string) {
	t.Helper()
	details, ok := response["error"].(map[string]any)
	require.True(t, ok, "want an error, got %v", response)
	return int(details["code"].(float64)), details["message"].(string)
}

func TestResourceAndPromptErrorCodesOverHTTP(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	send := rawSession(t, h.url)
	cases := []struct {
		name, body, contains string
		code                 int
	}{
		{"unknown model", `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"rational://models/3f2b8c1e-9a4d-4c2e-8f1a-420f1c9176bc"}}`, "rational://models/3f2b8c1e-9a4d-4c2e-8f1a-420f1c9176bc", mcp.RESOURCE_NOT_FOUND},
		{"model id not a UUID", `{"jsonrpc":"2.0","id":6,"method":"resources/read","params":{"uri":"rational://models/no-such-model"}}`, "list_models", mcp.INVALID_PARAMS},
		{"unknown deployment", `{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"rational://deployments/no-such-deployment"}}`, "rational://deployments/no-such-deployment", mcp.RESOURCE_NOT_FOUND},
		{"unmatched URI", `{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"rational://widgets/1"}}`, "rational://widgets/1", mcp.RESOURCE_NOT_FOUND},
		{"bad resource id", `{"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"rational://models/a%20b"}}`, "list_models", mcp.INVALID_PARAMS},
		{"bad prompt argument", `{"jsonrpc":"2.0","id":5,"method":"prompts/get","params":{"name":"deploy_open_model","arguments":{"huggingFaceId":"not a repo"}}}`, "huggingFaceId", mcp.INVALID_PARAMS},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, message := errorCode(t, send(tc.body))
			assert.Equal(t, tc.code, code, message)
			assert.Contains(t, message, tc.contains)
		})
	}
}

func TestResourceAndPromptErrorCodesOverStdio(t *testing.T) {
	clock := simulator.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	sim := simulator.New(simulator.Options{Token: simulatorToken, Clock: clock, Seed: true})
	simServer := httptest.NewServer(sim)
	t.Cleanup(simServer.Close)
	api, err := controlroom.New(controlroom.Config{BaseURL: simServer.URL + "/api", Token: simulatorToken})
	require.NoError(t, err)
	mcpServer, err := mcpserver.New(mcpserver.Options{API: api})
	require.NoError(t, err)

	input := strings.Join([]string{
		initializeBody,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"rational://deployments/no-such-deployment"}}`,
		`{"jsonrpc":"2.0","id":3,"method":"prompts/get","params":{"name":"deploy_open_model","arguments":{"huggingFaceId":"not a repo"}}}`,
	}, "\n") + "\n"
	var out bytes.Buffer
	require.NoError(t, mcpserver.ServeStdio(context.Background(), mcpServer, strings.NewReader(input), &out, nil, 10*time.Second))

	codes := map[float64]int{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var response map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &response), line)
		if id, ok := response["id"].(float64); ok && id > 1 {
			codes[id], _ = errorCode(t, response)
		}
	}
	assert.Equal(t, map[float64]int{2: mcp.RESOURCE_NOT_FOUND, 3: mcp.INVALID_PARAMS}, codes)
}
