package mcpserver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/mark3labs/mcp-go/server"
)

type principalKey struct{}

// Principal returns the credential principal of the HTTP request that
// carries ctx's tool call (see HTTPOptions.PrincipalHeader), or "" over
// stdio and for an HTTP server without credentials. It is a hash, never a
// token, and is safe to log.
func Principal(ctx context.Context) string {
	principal, _ := ctx.Value(principalKey{}).(string)
	return principal
}

// credentialPrincipal names the credential that r carries: a hash of the
// PrincipalHeader value when that header is set and present, else a hash
// of the bearer token when authentication is on, else "". Callers that
// share one bearer token are one principal unless PrincipalHeader tells
// them apart.
func (s *HTTPServer) credentialPrincipal(r *http.Request) string {
	if s.opts.PrincipalHeader != "" {
		if value := strings.TrimSpace(r.Header.Get(s.opts.PrincipalHeader)); value != "" {
			return "upstream:" + shortHash(value)
		}
	}
	if s.opts.AuthToken != "" {
		_, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		return "token:" + shortHash(strings.TrimSpace(token))
	}
	return ""
}

// contextFunc puts the request's credential principal in the context of its
// tool calls, then applies HTTPOptions.ContextFunc.
func (s *HTTPServer) contextFunc() server.HTTPContextFunc {
	return func(ctx context.Context, r *http.Request) context.Context {
		if principal := s.credentialPrincipal(r); principal != "" {
			ctx = context.WithValue(ctx, principalKey{}, principal)
		}
		if s.opts.ContextFunc != nil {
			ctx = s.opts.ContextFunc(ctx, r)
		}
		return ctx
	}
}

// shortHash returns the first 128 bits of value's SHA-256 in hex.
func shortHash(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:16])
}
