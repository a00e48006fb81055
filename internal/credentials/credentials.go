// Package credentials lets a multi-user HTTP deployment call the Control Room
// with each caller's own API token, taken from a request header that is
// separate from the MCP bearer token. The MCP bearer token authenticates the
// caller to this server and is never forwarded upstream.
package credentials

import (
	"container/list"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// DefaultHeader is the request header that carries the caller's Control
// Room API token.
const DefaultHeader = "X-Rational-Api-Token"

// DefaultMaxClients bounds the Control Room clients kept for recent tokens.
const DefaultMaxClients = 256

type tokenKey struct{}

// WithToken returns ctx carrying the caller's Control Room token.
func WithToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

// tokenFrom returns the token that WithToken stored, or "".
func tokenFrom(ctx context.Context) string {
	token, _ := ctx.Value(tokenKey{}).(string)
	return token
}

// ContextFunc returns a function with the signature of mcp-go's
// HTTPContextFunc: it copies the value of header from each HTTP request
// into the context that the tool calls of that request receive.
func ContextFunc(header string) func(ctx context.Context, r *http.Request) context.Context {
	return func(ctx context.Context, r *http.Request) context.Context {
		return WithToken(ctx, strings.TrimSpace(r.Header.Get(header)))
	}
}

// PerRequest is a controlroom.API that calls the Control Room with the
// token found in each call's context (see ContextFunc). It keeps one client
// per token, keyed by the token's SHA-256 and bounded to the most recently
// used ones, so retries and connection reuse work as with a single client.
// A call without a token fails with an unauthorized *controlroom.Error that
// names the header, and sends nothing upstream.
type PerRequest struct {
	base   controlroom.Config
	header string
	max    int

	mu      sync.Mutex
	order   *list.List // of *cached, most recently used first
	clients map[[sha256.Size]byte]*list.Element
}

type cached struct {
	key    [sha256.Size]byte
	client *controlroom.Client
}

// NewPerRequest returns a PerRequest that builds its clients from base with
// the token replaced. header is only used in error messages; maxClients <= 0
// means DefaultMaxClients. base.Token is ignored.
func NewPerRequest(base controlroom.Config, header string, maxClients int) (*PerRequest, error) {
	if maxClients <= 0 {
		maxClients = DefaultMaxClients
	}
	if header == "" {
		header = DefaultHeader
	}
	base.Token = ""
	if _, err := controlroom.NormalizeBaseURL(base.BaseURL); err != nil {
		return nil, fmt.Errorf("per-request credentials: %w", err)
	}
	return &PerRequest{
		base: base, header: header, max: maxClients,
		order: list.New(), clients: map[[sha256.Size]byte]*list.Element{},
	}, nil
}

// Len returns the number of cached clients.
func (p *PerRequest) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.order.Len()
}

// client returns the Control Room client for the token in ctx.
func (p *PerRequest) client(ctx context.Context, op string) (*controlroom.Client, error) {
	token := tokenFrom(ctx)
	if token == "" {
		return nil, p.callerError(&controlroom.Error{
			Kind:    controlroom.KindUnauthorized,
			Op:      op,
			Message: "this server calls the Control Room with each caller's own API token, and the request carried none",
		})
	}
	key := sha256.Sum256([]byte(token))

	p.mu.Lock()
	defer p.mu.Unlock()
	if element, ok := p.clients[key]; ok {
		p.order.MoveToFront(element)
		return element.Value.(*cached).client, nil
	}

	cfg := p.base
	cfg.Token = token
	client, err := controlroom.New(cfg)
	if err != nil {
		return nil, p.callerError(&controlroom.Error{
			Kind: controlroom.KindUnauthorized, Op: op,
			Message: fmt.Sprintf("the %s header is not a usable token: %v", p.header, err),
		})
	}
	p.clients[key] = p.order.PushFront(&cached{key: key, client: client})
	for p.order.Len() > p.max {
		oldest := p.order.Back()
		p.order.Remove(oldest)
		delete(p.clients, oldest.Value.(*cached).key)
	}
	return client, nil
}

// CallerTokenError is a failed call whose cause is the caller's own Control
// Room token: missing from the request, malformed, or rejected by the
// Control Room. It wraps the *controlroom.Error, so controlroom.KindOf
// still applies, and names the header that the caller must fix.
type CallerTokenError struct {
	// Header is the request header that carries the token.
	Header string
	// Err is the underlying failure.
	Err *controlroom.Error
}

func (e *CallerTokenError) Error() string {
	return e.Err.Error() + "; " + e.CallerTokenHint()
}

func (e *CallerTokenError) Unwrap() error { return e.Err }

// CallerTokenHint returns the next step for the caller: the header to send.
func (e *CallerTokenError) CallerTokenHint() string {
	return fmt.Sprintf("send your own Control Room API token in the %s HTTP header with every MCP request "+
		"(not in Authorization, which authenticates you to this server)", e.Header)
}

// callerError wraps err as a CallerTokenError.
func (p *PerRequest) callerError(err *controlroom.Error) error {
	return &CallerTokenError{Header: p.header, Err: err}
}

// checkToken turns an upstream 401 into a CallerTokenError, because with
// per-request credentials a rejected token is the caller's to fix.
func (p *PerRequest) checkToken(err error) error {
	var apiErr *controlroom.Error
	if errors.As(err, &apiErr) && apiErr.Kind == controlroom.KindUnauthorized {
		return p.callerError(apiErr)
	}
	return err
}
