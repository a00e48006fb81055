package mcpguard_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"
)

// rawResult is the result of a raw 2026-07-28 tools/call.
type rawResult struct {
	ResultType        string                     `json:"resultType"`
	IsError           bool                       `json:"isError"`
	StructuredContent map[string]any             `json:"structuredContent"`
	Content           []map[string]any           `json:"content"`
	InputRequests     map[string]json.RawMessage `json:"inputRequests"`
	RequestState      string                     `json:"requestState"`
}

// rawCall sends one stateless 2026-07-28 tools/call without any client
// library, so a test controls every field, inputResponses and requestState
// included. withElicitation sets the per-request capability.
func rawCall(t *testing.T, h *harness, tool string, arguments map[string]any, withElicitation bool, extra map[string]any) rawResult {
	t.Helper()
	capabilities := map[string]any{}
	if withElicitation {
		capabilities["elicitation"] = map[string]any{"form": map[string]any{}}
	}
	params := map[string]any{
		"name":      tool,
		"arguments": arguments,
		"_meta": map[string]any{
			mcp.MetaKeyProtocolVersion:    mcp.ProtocolVersion20260728,
			mcp.MetaKeyClientCapabilities: capabilities,
			mcp.MetaKeyClientInfo:         map[string]any{"name": "raw-test", "version": "1"},
		},
	}
	for key, value := range extra {
		params[key] = value
	}
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params})
	require.NoError(t, err)

	request, err := http.NewRequest(http.MethodPost, h.url, bytes.NewReader(body))
	require.NoError(t, err)
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("Accept", "application/json, text/event-stream")
	request.Header.Set("MCP-Protocol-Version", mcp.ProtocolVersion20260728)
	request.Header.Set(mcp.HeaderMethod, "tools/call")
	request.Header.Set(mcp.HeaderName, tool)
	response, err := (&http.Client{Timeout: 20 * time.Second}).Do(request)
	require.NoError(t, err)
	defer response.Body.Close()
	raw, err := io.ReadAll(response.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, response.StatusCode, string(raw))

	payload := raw
	if strings.HasPrefix(response.Header.Get("Content-Type"), "text/event-stream") {
		for _, line := range strings.Split(string(raw), "\n") {
			if data, ok := strings.CutPrefix(line, "data:"); ok {
				payload = []byte(strings.TrimSpace(data))
			}
		}
	}

	var envelope struct {
		Result *rawResult      `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	require.NoError(t, json.Unmarshal(payload, &envelope), string(payload))
	require.NotNil(t, envelope.Result, "JSON-RPC error: %s", envelope.Error)
	return *envelope.Result
}

func acceptAnswer() map[string]any {
	return map[string]any{"approve": map[string]any{"action": "accept", "content": map[string]any{"approve": true}}}
}
