package controlroom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Client calls the Management API over HTTP. It is safe for concurrent use.
// Every method is bounded by Config.CallTimeout, retries transient failures
// of requests that are safe to repeat, and returns failures as *Error.
type Client struct {
	cfg     Config
	apiRoot string // BaseURL + "/management/v0"
	http    *http.Client
	log     *slog.Logger
	stats   counters
	// deploys serialises deploys of one model; see DeployModel.
	deploys modelLocks
}

var _ API = (*Client)(nil)

// Stats are the client's cumulative counters, for metrics.
type Stats struct {
	// Attempts counts HTTP requests sent or tried, retries included.
	Attempts int64
	// Retries counts attempts made after a failed one.
	Retries int64
	// DeploysReconciled counts deploys whose id was found by reconciliation.
	DeploysReconciled int64
	// DeploysOutcomeUnknown counts deploys that ended with KindOutcomeUnknown.
	DeploysOutcomeUnknown int64
}

type counters struct {
	attempts, retries, reconciled, outcomeUnknown atomic.Int64
}

// New checks cfg, applies defaults and returns a Client. It sends nothing.
func New(cfg Config) (*Client, error) {
	base, err := NormalizeBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("controlroom: %w", err)
	}
	cfg.BaseURL = base
	if cfg.Token == "" {
		return nil, fmt.Errorf("controlroom: no API token: set %s or %s", EnvToken, EnvTokenFile)
	}
	if err := checkTokenChars(cfg.Token); err != nil {
		return nil, fmt.Errorf("controlroom: invalid API token: %w", err)
	}

	applyDefaults(&cfg)

	httpClient := &http.Client{Transport: defaultTransport()}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		httpClient = &copied
	}
	httpClient.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}

	return &Client{
		cfg:     cfg,
		apiRoot: base + "/management/v0",
		http:    httpClient,
		log:     logger,
	}, nil
}

// defaultTransport returns a clone of http.DefaultTransport that keeps
// DefaultMaxIdleConnsPerHost idle connections to the Control Room.
func defaultTransport() *http.Transport {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = max(transport.MaxIdleConns, DefaultMaxIdleConnsPerHost)
	transport.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	return transport
}

func applyDefaults(cfg *Config) {
	setDefault(&cfg.CallTimeout, DefaultCallTimeout)
	setDefault(&cfg.AttemptTimeout, DefaultAttemptTimeout)
	setDefault(&cfg.MaxBodyBytes, DefaultMaxBodyBytes)
	setDefault(&cfg.MaxAttempts, DefaultMaxAttempts)
	setDefault(&cfg.RetryInitialInterval, DefaultRetryInitial)
	setDefault(&cfg.RetryMaxInterval, DefaultRetryMax)
	setDefault(&cfg.ReconcileBudget, DefaultReconcileBudget)
	setDefault(&cfg.ReconcileDelay, DefaultReconcileDelay)
	setDefault(&cfg.UserAgent, DefaultUserAgent)

	if cfg.AttemptTimeout > cfg.CallTimeout {
		cfg.AttemptTimeout = cfg.CallTimeout
	}
	if cfg.ReconcileBudget > cfg.CallTimeout/3 {
		cfg.ReconcileBudget = cfg.CallTimeout / 3
	}
}

func setDefault[T comparable](field *T, value T) {
	var zero T
	if *field == zero {
		*field = value
	}
}

// BaseURL returns the normalized base URL, without trailing slash.
func (c *Client) BaseURL() string { return c.cfg.BaseURL }

// Stats returns a snapshot of the client's counters.
func (c *Client) Stats() Stats {
	return Stats{
		Attempts:              c.stats.attempts.Load(),
		Retries:               c.stats.retries.Load(),
		DeploysReconciled:     c.stats.reconciled.Load(),
		DeploysOutcomeUnknown: c.stats.outcomeUnknown.Load(),
	}
}

// withBudget bounds a method call by CallTimeout.
func (c *Client) withBudget(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.cfg.CallTimeout)
}

// redact removes the token from text that may quote a response body.
func (c *Client) redact(text string) string {
	if c.cfg.Token == "" {
		return text
	}
	return strings.ReplaceAll(text, c.cfg.Token, "[REDACTED]")
}

// newError builds an *Error with the token redacted from its texts.
func (c *Client) newError(kind Kind, op string, status int, message, hint string, cause error) *Error {
	return &Error{
		Kind:       kind,
		Op:         op,
		StatusCode: status,
		Message:    c.redact(message),
		Hint:       c.redact(hint),
		Err:        c.redactError(cause),
	}
}

// redactError replaces err by a plain error with the token redacted when its
// message contains the token, which happens when it quotes a response body.
// The replacement does not unwrap, so the original text cannot be reached.
func (c *Client) redactError(err error) error {
	if err == nil || c.cfg.Token == "" || !strings.Contains(err.Error(), c.cfg.Token) {
		return err
	}
	return errors.New(c.redact(err.Error()))
}

// contextError classifies a failure caused by the end of ctx: the caller's
// cancellation, or the call budget running out.
func (c *Client) contextError(ctx context.Context, op string, cause error) *Error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return c.newError(KindCanceled, op, 0, "the request was canceled by the caller", "", context.Canceled)
	}
	return c.newError(KindTimeout, op, 0,
		fmt.Sprintf("the call timed out before the Control Room responded (the client's budget per call is %s; the caller's deadline may be shorter)", c.cfg.CallTimeout),
		"the Control Room may be overloaded; try again later", errors.Join(context.DeadlineExceeded, cause))
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
