package mcpserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// checkRequestShape answers two kinds of request that mcp-go v1.2.1
// mishandles, before it sees them:
//
//   - a POST body that is valid JSON but not an object ([] or 42) gets 400
//     with -32600 invalid request, not -32700 parse error; batches are not
//     part of the protocol since 2025-06-18;
//   - a message whose id is an object, an array or a boolean gets the same
//     -32600, where mcp-go would echo the id back;
//   - a 2025-era GET, which opens the stream of server messages for a
//     session, gets 400 without Mcp-Session-Id and 404 with one this server
//     does not know, as the 2025-11-25 streamable HTTP transport requires,
//     instead of a stream for a session that does not exist.
//
// A 2026-07-28 GET is left to mcp-go, which rejects it.
func (s *HTTPServer) checkRequestShape(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			if notAnObject(r) {
				writeJSONRPCError(w, http.StatusBadRequest, nil, mcp.INVALID_REQUEST,
					"invalid request: the body must be one JSON-RPC message, a JSON object; batches and other JSON values are not accepted")
				return
			}
			if _, id := peekMessage(r); !validID(id) {
				writeJSONRPCError(w, http.StatusBadRequest, nil, mcp.INVALID_REQUEST,
					"invalid request: the id must be a string or a number")
				return
			}
		case http.MethodGet:
			if mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
				break
			}
			session := r.Header.Get(server.HeaderKeySessionID)
			if session == "" {
				writeJSONRPCError(w, http.StatusBadRequest, nil, mcp.INVALID_REQUEST,
					"bad request: a GET stream needs the Mcp-Session-Id header that initialize returned; send initialize first")
				return
			}
			if _, err := s.sessions.Validate(session); err != nil {
				s.opts.Logger.Info("GET stream for an unknown session; asked the client to reconnect", "remote", r.RemoteAddr)
				writeJSONRPCError(w, http.StatusNotFound, nil, SessionExpiredCode, sessionExpiredMessage)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// notAnObject reports whether the body of r is valid JSON whose top-level
// value is not an object. Invalid JSON is left to mcp-go, which answers
// -32700 parse error.
func notAnObject(r *http.Request) bool {
	if r.Body == nil {
		return false
	}
	data, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return false
	}
	trimmed := bytes.TrimSpace(data)
	return len(trimmed) > 0 && trimmed[0] != '{' && json.Valid(trimmed)
}

// validID reports whether a raw JSON-RPC id is absent, null, a string or a
// number.
func validID(id json.RawMessage) bool {
	if len(id) == 0 {
		return true
	}
	switch id[0] {
	case '{', '[', 't', 'f':
		return false
	}
	return true
}

// writeJSONRPCError writes a JSON-RPC error response with the HTTP status.
func writeJSONRPCError(w http.ResponseWriter, status int, id any, code int, message string) {
	body, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0",
		"id":      id,
		"error":   map[string]any{"code": code, "message": message},
	})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
