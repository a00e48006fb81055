package mcpserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// Defaults of HTTPOptions.
const (
	DefaultMaxBodyBytes      = 4 << 20
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
	DefaultSessionIdleTTL    = 30 * time.Minute
	DefaultHeartbeatInterval = 30 * time.Second
)

// Paths served by the HTTP transport.
const (
	EndpointPath = "/mcp"
	HealthPath   = "/healthz"
	MetricsPath  = "/metrics"
)

// HTTPOptions configures the streamable HTTP transport. Zero values take the
// Default* constants.
type HTTPOptions struct {
	// AuthToken, when set, must be sent by MCP clients as
	// "Authorization: Bearer <AuthToken>" on every /mcp request. It is
	// compared in constant time and never logged.
	AuthToken string
	// AllowedOrigins lists browser origins (scheme://host[:port]) accepted
	// in addition to loopback ones. A request with any other Origin header
	// gets 403; a request without one (not from a browser) is accepted.
	AllowedOrigins []string
	// MaxBodyBytes caps a request body; a longer one gets 413.
	MaxBodyBytes int64
	// ReadHeaderTimeout, ReadTimeout and IdleTimeout configure the
	// http.Server. There is no write timeout, because an SSE stream stays
	// open as long as the client listens.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	IdleTimeout       time.Duration
	// ShutdownTimeout bounds how long Serve waits for running requests
	// after ctx is canceled.
	ShutdownTimeout time.Duration
	// OnShutdown, when set, is called once when Serve begins its graceful
	// shutdown, before it waits for running requests; closing the
	// tools.Services Stopping channel here makes waiting tool calls answer
	// at once.
	OnShutdown func()
	// SessionIdleTTL drops the state of a session idle for this long.
	SessionIdleTTL time.Duration
	// MaxSessions bounds the live 2025-era sessions; an initialize beyond
	// it gets HTTP 503 with a JSON-RPC error. 0 means DefaultMaxSessions.
	MaxSessions int
	// Version is reported by /healthz, with the server name and the number
	// of live sessions. With AuthToken set, only a request that carries the
	// token sees them; any other gets {"status":"ok"}, enough for a
	// liveness probe.
	Version string
	// Metrics, when set, is served at MetricsPath behind the same bearer
	// token check as EndpointPath.
	Metrics http.Handler
	// RateLimit limits tool calls per principal; the zero value is off.
	RateLimit RateLimit
	// ContextFunc, when set, derives the context of each request's tool
	// calls from the HTTP request, for example to carry a credentials
	// header.
	ContextFunc server.HTTPContextFunc
	// PrincipalHeader, when set, names a request header whose value
	// identifies the caller, as a hash, for the rate limit and for approval
	// bindings. It takes precedence over the bearer token. It is set to the
	// Control Room token header when each user sends their own token.
	PrincipalHeader string
	// Logger receives start, stop and rejection lines. Nil discards them.
	Logger *slog.Logger
}

func (o *HTTPOptions) applyDefaults() {
	setDefault(&o.MaxBodyBytes, DefaultMaxBodyBytes)
	setDefault(&o.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	setDefault(&o.ReadTimeout, DefaultReadTimeout)
	setDefault(&o.IdleTimeout, DefaultIdleTimeout)
	setDefault(&o.ShutdownTimeout, DefaultShutdownTimeout)
	setDefault(&o.SessionIdleTTL, DefaultSessionIdleTTL)
	setDefault(&o.MaxSessions, DefaultMaxSessions)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

func setDefault[T comparable](field *T, value T) {
	var zero T
	if *field == zero {
		*field = value
	}
}

// HTTPServer serves an MCP server over streamable HTTP at EndpointPath, with
// a liveness probe at HealthPath. Sessions are kept: a 2025-era client keeps
// its Mcp-Session-Id and declared capabilities across requests, and a
// 2026-07-28 client is served statelessly as that protocol requires.
type HTTPServer struct {
	opts       HTTPOptions
	sessions   *sessionRegistry
	httpServer *http.Server
	streamable *server.StreamableHTTPServer
	handler    http.Handler
}

// NewHTTPServer builds the HTTP transport for mcpServer.
func NewHTTPServer(mcpServer *server.MCPServer, opts HTTPOptions) (*HTTPServer, error) {
	opts.applyDefaults()
	for _, origin := range opts.AllowedOrigins {
		if _, err := normalizeOrigin(origin); err != nil {
			return nil, fmt.Errorf("allowed origin %q is invalid: %w; use scheme://host[:port], e.g. https://app.example.com", origin, err)
		}
	}

	s := &HTTPServer{opts: opts, sessions: newSessionRegistry()}
	s.httpServer = &http.Server{
		ReadHeaderTimeout: opts.ReadHeaderTimeout,
		ReadTimeout:       opts.ReadTimeout,
		IdleTimeout:       opts.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
	}
	streamableOptions := []server.StreamableHTTPOption{
		server.WithEndpointPath(EndpointPath),
		server.WithSessionIdManager(s.sessions),
		server.WithSessionIdleTTL(opts.SessionIdleTTL),
		server.WithHeartbeatInterval(DefaultHeartbeatInterval),
		server.WithStreamableHTTPLogger(opts.Logger),
		server.WithStreamableHTTPServer(s.httpServer),
	}
	streamableOptions = append(streamableOptions, server.WithHTTPContextFunc(s.contextFunc()))
	// NOTE: two deviations of mcp-go v1.2.1 happen inside its dispatcher,
	// past the last point where this package sees a message: a request
	// still gets its response after the client sent notifications/cancelled
	// for it, and over stdio an id that is a JSON object is echoed back
	// (over HTTP, checkRequestShape rejects it first).
	s.streamable = server.NewStreamableHTTPServer(mcpServer, streamableOptions...)

	mux := http.NewServeMux()
	mux.Handle(EndpointPath, s.requireAuth(s.limitBody(s.checkRequestShape(s.limitSessions(s.limitRate(s.explainExpiredSession(s.fixErrorCodes(s.streamable))))))))
	if opts.Metrics != nil {
		mux.Handle(MetricsPath, s.requireAuth(opts.Metrics))
	}
	mux.HandleFunc(HealthPath, s.serveHealth)
	s.handler = s.checkOrigin(mux)
	s.httpServer.Handler = s.handler
	return s, nil
}

// Handler returns the root handler, for tests that serve it themselves.
func (s *HTTPServer) Handler() http.Handler { return s.handler }

// Serve accepts connections on listener until ctx is canceled, then shuts
// down gracefully: it stops accepting, lets running requests finish for up
// to ShutdownTimeout and closes the sessions. It returns nil after a
// graceful shutdown.
func (s *HTTPServer) Serve(ctx context.Context, listener net.Listener) error {
	served := make(chan error, 1)
	go func() { served <- s.httpServer.Serve(listener) }()
	s.opts.Logger.Info("serving MCP over streamable HTTP", "addr", listener.Addr().String(),
		"endpoint", EndpointPath, "auth", s.opts.AuthToken != "")

	select {
	case err := <-served:
		return fmt.Errorf("HTTP server on %s stopped: %w", listener.Addr(), err)
	case <-ctx.Done():
	}

	s.opts.Logger.Info("shutting down HTTP server", "timeout", s.opts.ShutdownTimeout.String())
	if s.opts.OnShutdown != nil {
		s.opts.OnShutdown()
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.ShutdownTimeout)
	defer cancel()
	err := s.streamable.Shutdown(shutdownCtx)
	if serveErr := <-served; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	if err != nil {
		return fmt.Errorf("graceful shutdown did not finish within %s: %w", s.opts.ShutdownTimeout, err)
	}
	s.opts.Logger.Info("HTTP server stopped")
	return nil
}

func (s *HTTPServer) serveHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed; use GET", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	body := map[string]any{"status": "ok"}
	if s.authorized(r) {
		body["name"] = ServerName
		body["version"] = s.opts.Version
		body["sessions"] = s.sessions.count()
	}
	_ = json.NewEncoder(w).Encode(body)
}

// checkOrigin rejects browser requests from untrusted origins with 403, on
// every path. mcp-go v1.2.1 checks only the Host header. For a trusted
// origin it adds the CORS headers to EndpointPath responses and answers
// their preflight requests, before the bearer token check, because a
// browser sends no Authorization header in a preflight.
func (s *HTTPServer) checkOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		if !s.originAllowed(origin) {
			s.opts.Logger.Warn("rejected request from untrusted origin", "origin", origin, "path", r.URL.Path, "remote", r.RemoteAddr)
			http.Error(w, fmt.Sprintf("forbidden: origin %q is not allowed; start the server with --allowed-origins to allow it", origin), http.StatusForbidden)
			return
		}
		if r.URL.Path == EndpointPath && applyCORS(w, r, origin) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *HTTPServer) originAllowed(origin string) bool {
	normalized, err := normalizeOrigin(origin)
	if err != nil {
		return false
	}
	parsed, _ := url.Parse(normalized)
	if isLoopbackName(parsed.Hostname()) {
		return true
	}
	for _, allowed := range s.opts.AllowedOrigins {
		if want, err := normalizeOrigin(allowed); err == nil && want == normalized {
			return true
		}
	}
	return false
}

// normalizeOrigin returns origin as lowercase scheme://host[:port], or an
// error when it is not an http(s) origin.
func normalizeOrigin(origin string) (string, error) {
	parsed, err := url.Parse(strings.TrimSpace(origin))
	if err != nil {
		return "", err
	}
	if parsed.Scheme != "http" && parsed.Scheme != "https" {
		return "", errors.New("scheme is not http or https")
	}
	if parsed.Host == "" || parsed.User != nil || (parsed.Path != "" && parsed.Path != "/") || parsed.RawQuery != "" || parsed.Fragment != "" {
		return "", errors.New("an origin is only scheme://host[:port]")
	}
	return strings.ToLower(parsed.Scheme + "://" + parsed.Host), nil
}

// isLoopbackName reports whether host is localhost or a loopback address.
func isLoopbackName(host string) bool {
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.IsLoopback()
}

// IsLoopbackAddr reports whether a listen address such as 127.0.0.1:8787,
// [::1]:0 or localhost:8787 binds only a loopback interface. An empty host
// (":8787") binds every interface and is not loopback.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	return host != "" && isLoopbackName(host)
}

// authorized reports whether r carries the bearer token, or whether no
// token is configured. The token is compared in constant time.
func (s *HTTPServer) authorized(r *http.Request) bool {
	if s.opts.AuthToken == "" {
		return true
	}
	want := sha256.Sum256([]byte(s.opts.AuthToken))
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return strings.EqualFold(scheme, "Bearer") && subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// requireAuth checks the bearer token when one is configured.
func (s *HTTPServer) requireAuth(next http.Handler) http.Handler {
	if s.opts.AuthToken == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			s.opts.Logger.Warn("rejected request without a valid bearer token", "path", r.URL.Path, "remote", r.RemoteAddr)
			w.Header().Set("WWW-Authenticate", `Bearer realm="rational-mcp"`)
			http.Error(w, "unauthorized: send the server's token as \"Authorization: Bearer <token>\"", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody reads the request body up to MaxBodyBytes and answers 413 for a
// longer one, before the SDK sees it.
func (s *HTTPServer) limitBody(next http.Handler) http.Handler {
	limit := s.opts.MaxBodyBytes
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		tooLarge := func() {
			s.opts.Logger.Warn("rejected oversized request body", "limit_bytes", limit, "remote", r.RemoteAddr)
			http.Error(w, fmt.Sprintf("request body is larger than %d bytes", limit), http.StatusRequestEntityTooLarge)
		}
		if r.ContentLength > limit {
			tooLarge()
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			tooLarge()
			return
		}
		if err != nil {
			http.Error(w, "could not read the request body: "+err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}
