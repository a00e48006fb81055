package bench

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Protocol versions the harness speaks.
const (
	legacyProtocol = "2025-11-25"
	modernProtocol = "2026-07-28"
)

// request encodes one JSON-RPC request or, with id 0, a notification.
func request(id int, method string, params any) []byte {
	message := map[string]any{"jsonrpc": "2.0", "method": method}
	if id != 0 {
		message["id"] = id
	}
	if params != nil {
		message["params"] = params
	}
	encoded, err := json.Marshal(message)
	if err != nil {
		panic(fmt.Sprintf("bench: encode %s request: %v", method, err))
	}
	return encoded
}

func initializeRequest(id int) []byte {
	return request(id, "initialize", map[string]any{
		"protocolVersion": legacyProtocol,
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]any{"name": "rational-mcp-bench", "version": "1"},
	})
}

func initializedNotification() []byte {
	return request(0, "notifications/initialized", nil)
}

func discoverRequest(id int) []byte {
	return request(id, "server/discover", map[string]any{
		"_meta": map[string]any{
			"io.modelcontextprotocol/protocolVersion":    modernProtocol,
			"io.modelcontextprotocol/clientCapabilities": map[string]any{},
		},
	})
}

func pingRequest(id int) []byte {
	return request(id, "ping", nil)
}

func toolsListRequest(id int) []byte {
	return request(id, "tools/list", map[string]any{})
}

func callRequest(id int, tool string, arguments map[string]any) []byte {
	return request(id, "tools/call", map[string]any{"name": tool, "arguments": arguments})
}

// response is the part of a JSON-RPC response the harness checks.
type response struct {
	ID    json.RawMessage `json:"id"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Result json.RawMessage `json:"result"`
}

// checkResponse decodes a response and returns its result, or an error for
// a JSON-RPC error or a tool result with isError set.
func checkResponse(raw []byte) (json.RawMessage, error) {
	var decoded response
	if err := json.Unmarshal(raw, &decoded); err != nil {
		return nil, fmt.Errorf("decode response %.200q: %w", raw, err)
	}
	if decoded.Error != nil {
		return nil, fmt.Errorf("JSON-RPC error %d: %s", decoded.Error.Code, decoded.Error.Message)
	}
	if len(decoded.Result) == 0 {
		return nil, errors.New("response has no result")
	}
	var toolResult struct {
		IsError bool `json:"isError"`
	}
	if json.Unmarshal(decoded.Result, &toolResult) == nil && toolResult.IsError {
		return nil, fmt.Errorf("tool result is an error: %.300s", decoded.Result)
	}
	return decoded.Result, nil
}
