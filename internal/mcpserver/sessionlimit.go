package mcpserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/mark3labs/mcp-go/mcp"
)

// DefaultMaxSessions is the default bound on live 2025-era sessions.
const DefaultMaxSessions = 10000

// SessionLimitCode is the JSON-RPC error code of the 503 response to an
// initialize request while MaxSessions sessions are live.
const SessionLimitCode = -32030

// sessionLimitRetryAfter is the wait, in seconds, that a refused initialize
// is told to respect.
const sessionLimitRetryAfter = 60

// limitSessions answers 503 with a JSON-RPC error to an initialize request
// that would start a session while MaxSessions sessions are live. Each
// session otherwise lives until it ends or idles out (SessionIdleTTL), so
// without a bound a client could fill memory with sessions. Requests of
// live sessions and 2026-07-28 requests, which carry no session, pass.
// Concurrent initialize requests may each pass the check, so the bound can
// be exceeded by the number of requests in flight.
func (s *HTTPServer) limitSessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Mcp-Session-Id") != "" {
			next.ServeHTTP(w, r)
			return
		}
		method, id := peekMessage(r)
		live := s.sessions.count()
		if method != string(mcp.MethodInitialize) || live < s.opts.MaxSessions {
			next.ServeHTTP(w, r)
			return
		}

		s.opts.Logger.Warn("rejected a new session: session limit reached", "live", live, "max", s.opts.MaxSessions, "remote", r.RemoteAddr)
		body, _ := json.Marshal(map[string]any{
			"jsonrpc": "2.0",
			"id":      id,
			"error": map[string]any{
				"code": SessionLimitCode,
				"message": fmt.Sprintf("session limit reached: this server keeps at most %d live sessions; retry after %d seconds, when idle sessions have ended",
					s.opts.MaxSessions, sessionLimitRetryAfter),
			},
		})
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", strconv.Itoa(sessionLimitRetryAfter))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write(append(body, '\n'))
	})
}
