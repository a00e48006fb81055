package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/credentials"
	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/metrics"
)

// Values of --upstream-credentials.
const (
	upstreamCredentialsEnv    = "env"
	upstreamCredentialsHeader = "header"
)

// sharedOptions are the http flags for running as a shared service.
type sharedOptions struct {
	upstreamCredentials *string
	rateLimitPerMinute  *int64
	rateLimitBurst      *int64
}

func addSharedFlags(flags *flagSet) sharedOptions {
	return sharedOptions{
		upstreamCredentials: flags.stringFlag("upstream-credentials", upstreamCredentialsEnv,
			"where the Control Room API token comes from: env (RATIONAL_API_TOKEN, one token for every caller) or header (each request's "+
				credentials.DefaultHeader+" header, for multi-user deployments; never the MCP bearer token)"),
		rateLimitPerMinute: flags.int64Flag("rate-limit-per-minute", 0,
			"tool calls per minute allowed to each client (hashed Control Room token with --upstream-credentials header, else hashed bearer token, else remote IP address), per replica; 0 turns the limit off"),
		rateLimitBurst: flags.int64Flag("rate-limit-burst", 0,
			"tool calls a client may send at once; 0 means a sixth of --rate-limit-per-minute, at least 1"),
	}
}

// serverExtras are the parts of a server that only the http command turns
// on: metrics, per-request Control Room tokens and rate limits. The zero
// value turns them all off.
type serverExtras struct {
	metrics          *metrics.Metrics
	headerCredential bool
	rateLimit        mcpserver.RateLimit
	// stopping is closed when the HTTP server begins its graceful
	// shutdown, so waiting tool calls answer before it ends.
	stopping chan struct{}
}

// extras checks the shared-service flags and returns what they ask for.
func (o sharedOptions) extras() (serverExtras, error) {
	extras := serverExtras{metrics: metrics.New(), stopping: make(chan struct{})}
	switch *o.upstreamCredentials {
	case upstreamCredentialsEnv:
	case upstreamCredentialsHeader:
		extras.headerCredential = true
	default:
		return serverExtras{}, fmt.Errorf("invalid --upstream-credentials %q: use env or header", *o.upstreamCredentials)
	}
	if *o.rateLimitPerMinute < 0 || *o.rateLimitBurst < 0 {
		return serverExtras{}, errors.New("--rate-limit-per-minute and --rate-limit-burst must be 0 or more")
	}
	extras.rateLimit = mcpserver.RateLimit{
		PerMinute: float64(*o.rateLimitPerMinute),
		Burst:     int(*o.rateLimitBurst),
		OnLimited: extras.metrics.ObserveRateLimited,
	}
	return extras, nil
}

// openBackend opens the Control Room backend. With header credentials it
// reads only the base URL from the environment and calls the Control Room
// with each request's own token.
func (e serverExtras) openBackend(ctx context.Context, common commonOptions, getenv func(string) string, logger *slog.Logger) (*backend, error) {
	var onRetry func(string, int, error)
	if e.metrics != nil {
		onRetry = e.metrics.OnRetry
	}

	var opened *backend
	if e.headerCredential {
		if *common.demo {
			return nil, errors.New("--upstream-credentials header needs a real Control Room: the --demo simulator accepts only its own token; drop one of the two flags")
		}
		api, err := perRequestAPI(getenv, *common.callTimeout, onRetry, logger)
		if err != nil {
			return nil, err
		}
		opened = &backend{api: api, stop: func() {}}
	} else {
		var err error
		if opened, err = openBackend(ctx, *common.demo, *common.callTimeout, getenv, logger, onRetry); err != nil {
			return nil, err
		}
	}

	if e.metrics != nil {
		opened.api = e.metrics.InstrumentAPI(opened.api)
	}
	return opened, nil
}

// perRequestAPI builds the per-request client from RATIONAL_BASE_URL or
// RATIONAL_TENANT. A token in the environment is not used.
func perRequestAPI(getenv func(string) string, callTimeout time.Duration, onRetry func(string, int, error), logger *slog.Logger) (controlroom.API, error) {
	withoutToken := func(name string) string {
		switch name {
		case controlroom.EnvToken:
			return "unused-in-header-mode"
		case controlroom.EnvTokenFile:
			return ""
		}
		return getenv(name)
	}
	cfg, err := controlroom.ConfigFromEnv(withoutToken)
	if err != nil {
		return nil, fmt.Errorf("%w\nset %s (or %s); with --upstream-credentials header the token comes from each request's %s header",
			err, controlroom.EnvBaseURL, controlroom.EnvTenant, credentials.DefaultHeader)
	}
	if getenv(controlroom.EnvToken) != "" || getenv(controlroom.EnvTokenFile) != "" {
		logger.Warn("ignoring the Control Room token in the environment: --upstream-credentials header uses each request's own token",
			"header", credentials.DefaultHeader)
	}
	cfg.Logger = logger.With("component", "controlroom")
	cfg.CallTimeout = callTimeout
	cfg.OnRetry = onRetry
	api, err := credentials.NewPerRequest(cfg, credentials.DefaultHeader, 0)
	if err != nil {
		return nil, err
	}
	logger.Info("using the Control Room with per-request tokens", "base_url", cfg.BaseURL, "header", credentials.DefaultHeader)
	return api, nil
}

// guardSettings adds the metrics hook to the guard settings.
func (e serverExtras) guardSettings(settings mcpguard.Settings) mcpguard.Settings {
	if e.metrics != nil {
		settings.OnDecision = func(decision guard.Decision) { e.metrics.ObserveDecision(string(decision)) }
	}
	return settings
}

// middleware returns the tool middleware: metrics outermost, then inner.
func (e serverExtras) middleware(inner ...mcpserver.Middleware) []mcpserver.Middleware {
	if e.metrics == nil {
		return inner
	}
	return append([]mcpserver.Middleware{e.metrics.Middleware()}, inner...)
}

// httpOptions sets the metrics endpoint, the rate limit, the credentials
// header and the shutdown signal on opts.
func (e serverExtras) httpOptions(opts mcpserver.HTTPOptions) mcpserver.HTTPOptions {
	if e.metrics != nil {
		opts.Metrics = e.metrics.Handler()
	}
	opts.RateLimit = e.rateLimit
	if e.stopping != nil {
		opts.OnShutdown = sync.OnceFunc(func() { close(e.stopping) })
	}
	if e.headerCredential {
		opts.ContextFunc = credentials.ContextFunc(credentials.DefaultHeader)
		opts.PrincipalHeader = credentials.DefaultHeader
	}
	return opts
}
