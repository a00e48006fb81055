package mcpserver

import (
	"net/http"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/rational-ai/rational-mcp/internal/credentials"
)

// corsAllowedHeaders are the request headers a browser client may send to
// EndpointPath: the MCP transport headers of both protocol eras, the bearer
// token and the per-request Control Room token. Mcp-Param-* headers of the
// 2026-07-28 protocol are allowed by prefix.
var corsAllowedHeaders = []string{
	"Content-Type", "Accept", "Authorization",
	server.HeaderKeySessionID, mcp.HeaderProtocolVersion, mcp.HeaderLastEventID,
	mcp.HeaderMethod, mcp.HeaderName, credentials.DefaultHeader,
}

// corsMethods are the methods announced in a preflight response.
const corsMethods = "GET, POST, DELETE, OPTIONS"

// corsMaxAge lets a browser cache a preflight response for ten minutes.
const corsMaxAge = "600"

// applyCORS adds the CORS response headers for a request whose Origin has
// passed checkOrigin, and handles a preflight (OPTIONS with
// Access-Control-Request-Method) itself with 204. It reports whether the
// request was a preflight and is done. The allowed origin is
// echoed, never "*", and no credentials mode is needed because clients
// authenticate with a bearer token, not cookies.
func applyCORS(w http.ResponseWriter, r *http.Request, origin string) bool {
	header := w.Header()
	header.Add("Vary", "Origin")
	header.Set("Access-Control-Allow-Origin", origin)
	header.Set("Access-Control-Expose-Headers", strings.Join([]string{server.HeaderKeySessionID, mcp.HeaderProtocolVersion, "WWW-Authenticate", "Retry-After"}, ", "))

	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	header.Add("Vary", "Access-Control-Request-Method")
	header.Add("Vary", "Access-Control-Request-Headers")
	header.Set("Access-Control-Allow-Methods", corsMethods)
	header.Set("Access-Control-Allow-Headers", strings.Join(allowedRequestHeaders(r.Header.Get("Access-Control-Request-Headers")), ", "))
	header.Set("Access-Control-Max-Age", corsMaxAge)
	w.WriteHeader(http.StatusNoContent)
	return true
}

// allowedRequestHeaders returns corsAllowedHeaders plus the Mcp-Param-*
// headers that the preflight requests. Other requested headers are left out,
// so the browser rejects the request.
func allowedRequestHeaders(requested string) []string {
	allowed := append([]string(nil), corsAllowedHeaders...)
	for _, name := range strings.Split(requested, ",") {
		name = strings.TrimSpace(name)
		if len(name) > len(mcp.HeaderParamPrefix) && strings.EqualFold(name[:len(mcp.HeaderParamPrefix)], mcp.HeaderParamPrefix) {
			allowed = append(allowed, name)
		}
	}
	return allowed
}
