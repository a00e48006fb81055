package mcpserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/mark3labs/mcp-go/server"
)

// SessionExpiredCode is the JSON-RPC error code of the 404 response to a
// request whose Mcp-Session-Id this server does not know.
const SessionExpiredCode = -32001

// sessionExpiredMessage is the error message for an unknown session: the
// likely causes and the next step. Behind a load balancer without sticky sessions, a session
// started on one replica is unknown to the others.
const sessionExpiredMessage = "session expired, reconnect: this server does not know the Mcp-Session-Id sent " +
	"(it ended, idled out, or was started on another replica); send initialize without Mcp-Session-Id to start a new session"

// explainExpiredSession turns the SDK's plain-text 404 for an unknown
// session into a JSON-RPC error body with SessionExpiredCode, so that
// clients and people reading logs learn to re-initialize. The status stays
// 404, which is what clients act on.
func (s *HTTPServer) explainExpiredSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(server.HeaderKeySessionID) == "" {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&expiredSessionWriter{ResponseWriter: w, request: r, id: requestID(r), logger: s}, r)
	})
}

// expiredSessionWriter rewrites a 404 response and passes every other
// response through untouched, streaming included.
type expiredSessionWriter struct {
	http.ResponseWriter
	request   *http.Request
	id        any
	logger    *HTTPServer
	rewritten bool
}

func (w *expiredSessionWriter) WriteHeader(code int) {
	if code != http.StatusNotFound || w.rewritten {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.rewritten = true
	w.logger.opts.Logger.Info("request for an unknown session; asked the client to reconnect",
		"method", w.request.Method, "remote", w.request.RemoteAddr)

	body, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0",
		"id":      w.id,
		"error":   map[string]any{"code": SessionExpiredCode, "message": sessionExpiredMessage},
	})
	header := w.Header()
	header.Del("Content-Length")
	header.Set("Content-Type", "application/json")
	w.ResponseWriter.WriteHeader(code)
	_, _ = w.ResponseWriter.Write(append(body, '\n'))
}

func (w *expiredSessionWriter) Write(data []byte) (int, error) {
	if w.rewritten {
		return len(data), nil
	}
	return w.ResponseWriter.Write(data)
}

// Flush lets the SDK stream responses through the wrapper.
func (w *expiredSessionWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok && !w.rewritten {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *expiredSessionWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// requestID returns the JSON-RPC id of a POST body, or nil.
func requestID(r *http.Request) any {
	if _, id := peekMessage(r); len(id) > 0 {
		return id
	}
	return nil
}

// peekMessage returns the method and id of the JSON-RPC message in a POST
// body, or zero values when there is none. The body has been read into
// memory by limitBody; it is put back for the next handler.
func peekMessage(r *http.Request) (method string, id json.RawMessage) {
	if r.Method != http.MethodPost || r.Body == nil {
		return "", nil
	}
	data, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return "", nil
	}
	var message struct {
		Method string          `json:"method"`
		ID     json.RawMessage `json:"id"`
	}
	if json.Unmarshal(bytes.TrimSpace(data), &message) != nil {
		return "", nil
	}
	return message.Method, message.ID
}
