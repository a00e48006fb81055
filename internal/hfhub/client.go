// Package hfhub reads model metadata from the Hugging Face Hub API
// (GET {endpoint}/api/models/{namespace}/{name}[/revision/{revision}]) and
// derives what the Control Room needs: existence, gated and private flags,
// license, publisher, parameter count, weight format and matching Control
// Room type, architecture, context length and weight file sizes.
//
// Lookups validate the id before any request, send HF_TOKEN as a bearer
// token without ever logging it or putting it in an error, are bounded in
// time and body size, and are cached per repository and revision. When the
// Hub cannot be reached the error matches ErrUnreachable, so callers can
// report "could not verify" and go on.
package hfhub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultEndpoint is the public Hub, used when HF_ENDPOINT is unset.
const DefaultEndpoint = "https://huggingface.co"

// Defaults for Options fields left zero.
const (
	DefaultRequestTimeout   = 10 * time.Second
	DefaultMaxBodyBytes     = 8 << 20
	DefaultCacheTTL         = 10 * time.Minute
	DefaultNegativeCacheTTL = 30 * time.Second
	DefaultCacheMaxEntries  = 512
)

// Options configures a Client. Zero fields take the defaults above.
type Options struct {
	// Endpoint is the Hub's base URL, such as "https://huggingface.co" or a
	// mirror. It may carry a path prefix but no credentials, query or
	// fragment.
	Endpoint string
	// Token is sent as "Authorization: Bearer" when set. It is never logged.
	Token string
	// SkipConfigFile stops Inspect from reading config.json when the model
	// info lacks the layer and head counts.
	SkipConfigFile bool
	// Offline makes every lookup fail at once with an ErrUnreachable error
	// and sends nothing, like huggingface_hub's HF_HUB_OFFLINE.
	Offline bool
	// OfflineReason and OfflineHint are the message and the next step of
	// that error. Empty means the HF_HUB_OFFLINE variable is the cause.
	OfflineReason string
	OfflineHint   string

	// HTTPClient sends the requests; nil means a client with the standard
	// transport and redirect policy.
	HTTPClient *http.Client
	// RequestTimeout bounds one lookup, including reading the body.
	RequestTimeout time.Duration
	// MaxBodyBytes bounds the response body; a larger body is an error of
	// kind KindInvalidResponse.
	MaxBodyBytes int64

	// CacheTTL is how long a successful lookup is reused; a negative value
	// disables the cache.
	CacheTTL time.Duration
	// NegativeCacheTTL is how long a "not found" result is reused. A
	// negative value disables caching of negative results.
	NegativeCacheTTL time.Duration
	// CacheMaxEntries bounds the number of cached lookups.
	CacheMaxEntries int

	// Logger receives one debug line per request and a warning per failed
	// one; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock for cache expiry; nil means time.Now.
	Now func() time.Time
}

// OptionsFromEnv returns Options with Endpoint from HF_ENDPOINT, Token from
// HF_TOKEN and Offline from HF_HUB_OFFLINE ("1", "true" or "yes"), read
// through getenv (os.Getenv in production).
func OptionsFromEnv(getenv func(string) string) Options {
	offline := strings.ToLower(strings.TrimSpace(getenv("HF_HUB_OFFLINE")))
	return Options{
		Endpoint: strings.TrimSpace(getenv("HF_ENDPOINT")),
		Token:    strings.TrimSpace(getenv("HF_TOKEN")),
		Offline:  offline == "1" || offline == "true" || offline == "yes",
	}
}

// Client looks up model metadata on the Hub. It is safe for concurrent use.
type Client struct {
	endpoint   string
	token      string
	offline    bool
	offlineErr Error
	skipConfig bool
	httpClient *http.Client
	timeout    time.Duration
	maxBody    int64
	cache      *cache
	flights    flights
	logger     *slog.Logger
}

// New returns a Client, or an error naming the problem when
// opts.Endpoint is not an absolute http or https URL or a size or duration
// option is negative (the cache TTLs excepted, where negative disables).
func New(opts Options) (*Client, error) {
	endpoint, err := normalizeEndpoint(opts.Endpoint)
	if err != nil {
		return nil, err
	}
	switch {
	case opts.RequestTimeout < 0:
		return nil, fmt.Errorf("invalid Hub request timeout %s: use a positive duration, such as %s", opts.RequestTimeout, DefaultRequestTimeout)
	case opts.MaxBodyBytes < 0:
		return nil, fmt.Errorf("invalid Hub response size limit %d: use a positive number of bytes, such as %d", opts.MaxBodyBytes, DefaultMaxBodyBytes)
	case opts.CacheMaxEntries < 0:
		return nil, fmt.Errorf("invalid Hub cache size %d: use a positive number of entries, such as %d", opts.CacheMaxEntries, DefaultCacheMaxEntries)
	}

	c := &Client{
		endpoint:   endpoint,
		token:      opts.Token,
		offline:    opts.Offline,
		offlineErr: Error{Kind: KindUnreachable, Message: opts.OfflineReason, Hint: opts.OfflineHint},
		skipConfig: opts.SkipConfigFile,
		httpClient: opts.HTTPClient,
		timeout:    orDefault(opts.RequestTimeout, DefaultRequestTimeout),
		maxBody:    orDefault(opts.MaxBodyBytes, DefaultMaxBodyBytes),
		logger:     opts.Logger,
	}
	if c.httpClient == nil {
		c.httpClient = &http.Client{}
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}

	now := opts.Now
	if now == nil {
		now = time.Now
	}
	c.cache = newCache(
		orDefault(opts.CacheTTL, DefaultCacheTTL),
		orDefault(opts.NegativeCacheTTL, DefaultNegativeCacheTTL),
		orDefault(opts.CacheMaxEntries, DefaultCacheMaxEntries),
		now,
	)
	return c, nil
}

func orDefault[T int | int64 | time.Duration](value, fallback T) T {
	if value == 0 {
		return fallback
	}
	return value
}

func normalizeEndpoint(raw string) (string, error) {
	if raw == "" {
		return DefaultEndpoint, nil
	}

	parsed, err := url.Parse(raw)
	displayedEndpoint := raw
	if err == nil {
		// Redacted hides a password given in the URL.
		displayedEndpoint = parsed.Redacted()
	}
	invalid := func(reason string) error {
		return fmt.Errorf("invalid HF_ENDPOINT %q: %s; set it to the Hub's base URL, such as %s", displayedEndpoint, reason, DefaultEndpoint)
	}

	if err != nil {
		return "", invalid("it is not a URL")
	}
	if parsed.Scheme != "http" && parsed.Scheme != "https" {
		return "", invalid("the scheme must be http or https")
	}
	if parsed.Host == "" {
		return "", invalid("the host is missing")
	}
	if parsed.User != nil {
		return "", invalid("credentials in the URL are not allowed, put the token in HF_TOKEN")
	}
	if parsed.RawQuery != "" || parsed.Fragment != "" {
		return "", invalid("a query or fragment is not allowed")
	}
	return strings.TrimRight(parsed.String(), "/"), nil
}

// Endpoint returns the Hub base URL in use, without a trailing slash.
func (c *Client) Endpoint() string { return c.endpoint }

// Inspect looks up repoID at revision ("" for the default branch) and
// returns the derived Facts. Errors are as for ModelInfo. When the model
// info lacks the layer count of a transformers-format repository, Inspect
// also reads config.json unless Options.SkipConfigFile is set. A failure
// there becomes a line in Facts.Warnings, not an error.
func (c *Client) Inspect(ctx context.Context, repoID, revision string) (*Facts, error) {
	info, err := c.ModelInfo(ctx, repoID, revision)
	if err != nil {
		return nil, err
	}
	facts := Summarize(info, c.endpoint, repoID, revision)

	if c.skipConfig || facts.Layers > 0 || !hasConfigFile(info) {
		return facts, nil
	}

	// The commit sha pins config.json to the same commit as the info.
	configRevision := revision
	if info.SHA != "" && ValidateRevision(info.SHA) == nil {
		configRevision = info.SHA
	}
	config, err := c.ModelConfig(ctx, repoID, configRevision)
	if err != nil {
		facts.Warnings = append(facts.Warnings, "config.json could not be read, so the layer and head counts are unknown: "+err.Error())
		return facts, nil
	}
	facts.applyConfig(config)
	return facts, nil
}

func hasConfigFile(info *ModelInfo) bool {
	for _, sibling := range info.Siblings {
		if sibling.Filename == "config.json" {
			return true
		}
	}
	return false
}

// ModelInfo returns the Hub's metadata for repoID at revision ("" for the
// default branch), with file sizes (blobs=true). Concurrent calls for the
// same repository and revision share one request. The returned value is
// shared with the cache and must not be modified. Every error is an *Error:
// KindInvalidRepoID or KindInvalidRevision before any request,
// KindNotFound for 401, 403 and 404, KindRevisionNotFound, KindUnreachable
// for network failures, time-outs, 429 and 5xx, KindCanceled when ctx ends,
// and KindUpstream or KindInvalidResponse for anything else.
func (c *Client) ModelInfo(ctx context.Context, repoID, revision string) (*ModelInfo, error) {
	if err := ValidateRepoID(repoID); err != nil {
		return nil, err
	}
	if err := ValidateRevision(revision); err != nil {
		return nil, err
	}

	key := cacheKey{kind: "info", repoID: repoID, revision: revision}
	if entry, ok := c.cache.get(key); ok {
		info, _ := entry.value.(*ModelInfo)
		return info, entry.err
	}
	if c.offline {
		return nil, c.offlineError(repoID, revision)
	}

	value, err := c.flights.do(ctx, key, func(ctx context.Context) (any, error) {
		body, err := c.get(ctx, repoID, revision, c.modelInfoURL(repoID, revision))
		if err != nil {
			return nil, err
		}
		info, err := DecodeModelInfo(body)
		return info, c.withContext(err, repoID, revision)
	}, c.storeFunc(key))

	info, _ := value.(*ModelInfo)
	if err != nil {
		return nil, err
	}
	return info, nil
}

// storeFunc returns a function that caches a result under key.
func (c *Client) storeFunc(key cacheKey) func(any, error) {
	return func(value any, err error) {
		c.cache.put(key, value, err)
	}
}

// ModelConfig returns the config.json of repoID at revision ("" for the
// main branch), read from {endpoint}/{repo}/resolve/{revision}/config.json.
// It holds the layer and head counts that the model info endpoint may
// omit. Errors are as for ModelInfo, plus KindGated when the repository is
// gated and HF_TOKEN has not been granted access, and KindNotFound when the
// file does not exist.
func (c *Client) ModelConfig(ctx context.Context, repoID, revision string) (*Config, error) {
	if err := ValidateRepoID(repoID); err != nil {
		return nil, err
	}
	if err := ValidateRevision(revision); err != nil {
		return nil, err
	}

	key := cacheKey{kind: "config", repoID: repoID, revision: revision}
	if entry, ok := c.cache.get(key); ok {
		config, _ := entry.value.(*Config)
		return config, entry.err
	}
	if c.offline {
		return nil, c.offlineError(repoID, revision)
	}

	value, err := c.flights.do(ctx, key, func(ctx context.Context) (any, error) {
		body, err := c.get(ctx, repoID, revision, c.configURL(repoID, revision))
		if err != nil {
			return nil, err
		}
		config, err := DecodeConfig(body)
		return config, c.withContext(err, repoID, revision)
	}, c.storeFunc(key))

	config, _ := value.(*Config)
	if err != nil {
		return nil, err
	}
	return config, nil
}

// offlineError is the error of every lookup in offline mode.
func (c *Client) offlineError(repoID, revision string) error {
	err := c.offlineErr
	err.RepoID, err.Revision = repoID, revision
	if err.Message == "" {
		err.Message = "offline mode is on (HF_HUB_OFFLINE), no request was sent"
	}
	if err.Hint == "" {
		err.Hint = "unset HF_HUB_OFFLINE to verify the repository"
	}
	return &err
}

// withContext adds the repository and revision to a decoding error.
func (c *Client) withContext(err error, repoID, revision string) error {
	var hubErr *Error
	if err == nil || !errors.As(err, &hubErr) {
		return err
	}
	hubErr.RepoID, hubErr.Revision = repoID, revision
	c.logger.Warn("hugging face hub response invalid", "repo", repoID, "revision", revision, "error", hubErr.Message)
	return hubErr
}

// modelInfoURL builds the model info URL with each path part escaped. The
// revision is escaped whole, so "refs/pr/1" travels as "refs%2Fpr%2F1".
func (c *Client) modelInfoURL(repoID, revision string) string {
	u := c.endpoint + "/api/models/" + escapeRepoID(repoID)
	if revision != "" {
		u += "/revision/" + url.PathEscape(revision)
	}
	return u + "?blobs=true"
}

// configURL builds the download URL of config.json.
func (c *Client) configURL(repoID, revision string) string {
	if revision == "" {
		revision = "main"
	}
	return c.endpoint + "/" + escapeRepoID(repoID) + "/resolve/" + url.PathEscape(revision) + "/config.json"
}

func escapeRepoID(repoID string) string {
	namespace, name := SplitRepoID(repoID)
	return url.PathEscape(namespace) + "/" + url.PathEscape(name)
}
