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
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	// Offline makes every lookup fail at once with an ErrUnreachable error
	// and sends nothing, like huggingface_hub's HF_HUB_OFFLINE.
	Offline bool

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
	httpClient *http.Client
	timeout    time.Duration
	maxBody    int64
	cache      *cache
	logger     *slog.Logger
}

// New returns a Client, or an error naming the problem when
// opts.Endpoint is not an absolute http or https URL.
func New(opts Options) (*Client, error) {
	endpoint, err := normalizeEndpoint(opts.Endpoint)
	if err != nil {
		return nil, err
	}

	c := &Client{
		endpoint:   endpoint,
		token:      opts.Token,
		offline:    opts.Offline,
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
	shown := raw
	if err == nil {
		// Redacted hides a password given in the URL.
		shown = parsed.Redacted()
	}
	invalid := func(reason string) error {
		return fmt.Errorf("invalid HF_ENDPOINT %q: %s; set it to the Hub's base URL, such as %s", shown, reason, DefaultEndpoint)
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
// returns the derived Facts. Errors are as for ModelInfo.
func (c *Client) Inspect(ctx context.Context, repoID, revision string) (*Facts, error) {
	info, err := c.ModelInfo(ctx, repoID, revision)
	if err != nil {
		return nil, err
	}
	return Summarize(info, c.endpoint, repoID, revision), nil
}

// ModelInfo returns the Hub's metadata for repoID at revision ("" for the
// default branch), with file sizes (blobs=true). The returned value is
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

	key := cacheKey{repoID: repoID, revision: revision}
	if entry, ok := c.cache.get(key); ok {
		return entry.info, entry.err
	}

	if c.offline {
		return nil, &Error{
			Kind: KindUnreachable, RepoID: repoID, Revision: revision,
			Message: "offline mode is on (HF_HUB_OFFLINE), no request was sent",
			Hint:    "unset HF_HUB_OFFLINE to verify the repository",
		}
	}

	info, err := c.fetch(ctx, repoID, revision)
	c.cache.put(key, info, err)
	return info, err
}

// modelInfoURL builds the request URL with each path part escaped. The
// revision is escaped whole, so "refs/pr/1" travels as "refs%2Fpr%2F1".
func (c *Client) modelInfoURL(repoID, revision string) string {
	namespace, name := SplitRepoID(repoID)
	u := c.endpoint + "/api/models/" + url.PathEscape(namespace) + "/" + url.PathEscape(name)
	if revision != "" {
		u += "/revision/" + url.PathEscape(revision)
	}
	return u + "?blobs=true"
}

func (c *Client) fetch(ctx context.Context, repoID, revision string) (*ModelInfo, error) {
	started := time.Now()
	fail := func(kind Kind, status int, message, hint string, cause error) error {
		// A misbehaving endpoint may echo the Authorization header in its
		// body, and messages quote bodies.
		message = c.redact(message)
		err := &Error{
			Kind: kind, RepoID: repoID, Revision: revision, StatusCode: status,
			Message: message, Hint: hint, Err: cause,
		}
		c.logger.Warn("hugging face hub lookup failed",
			"repo", repoID, "revision", revision, "kind", string(kind), "status", status,
			"duration", time.Since(started), "error", message)
		return err
	}

	requestCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(requestCtx, http.MethodGet, c.modelInfoURL(repoID, revision), nil)
	if err != nil {
		return nil, fail(KindUpstream, 0, "could not build the request: "+err.Error(), "check HF_ENDPOINT", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "rational-mcp")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}

	resp, err := c.httpClient.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, requestCtx, err, fail)
	}
	defer resp.Body.Close()

	body, readErr := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if readErr != nil {
		return nil, c.transportError(ctx, requestCtx, readErr, fail)
	}
	if int64(len(body)) > c.maxBody {
		return nil, fail(KindInvalidResponse, resp.StatusCode,
			fmt.Sprintf("the response body exceeds %d bytes", c.maxBody),
			"check that HF_ENDPOINT points at a Hugging Face Hub", nil)
	}

	// Redact before any part of the body is quoted, so that a truncated
	// quote cannot carry a prefix of the token.
	body = []byte(c.redact(string(body)))

	c.logger.Debug("hugging face hub lookup",
		"repo", repoID, "revision", revision, "status", resp.StatusCode, "duration", time.Since(started))

	if resp.StatusCode != http.StatusOK {
		return nil, c.statusError(resp, body, fail)
	}

	info, err := DecodeModelInfo(body)
	if err != nil {
		var hubErr *Error
		errors.As(err, &hubErr)
		return nil, fail(KindInvalidResponse, resp.StatusCode, hubErr.Message, hubErr.Hint, hubErr.Err)
	}
	return info, nil
}

type failFunc func(kind Kind, status int, message, hint string, cause error) error

// transportError classifies a failure to get or read a response: the
// caller's cancellation, this client's time-out, or an unreachable Hub.
func (c *Client) transportError(ctx, requestCtx context.Context, err error, fail failFunc) error {
	switch {
	case ctx.Err() != nil:
		return fail(KindCanceled, 0, "the lookup was canceled: "+ctx.Err().Error(), "", ctx.Err())
	case errors.Is(requestCtx.Err(), context.DeadlineExceeded):
		return fail(KindUnreachable, 0,
			fmt.Sprintf("no answer from %s within %s", c.endpoint, c.timeout),
			"the repository could not be verified; retry later or check the network", err)
	}
	return fail(KindUnreachable, 0,
		"could not reach "+c.endpoint+": "+err.Error(),
		"the repository could not be verified; check the network or HF_ENDPOINT", err)
}

// statusError maps a non-200 response to an *Error. The Hub returns 401 for
// a missing repository and for a private one without access, and 404 with
// the X-Error-Code header RepoNotFound or RevisionNotFound otherwise.
func (c *Client) statusError(resp *http.Response, body []byte, fail failFunc) error {
	status := resp.StatusCode
	message := hubMessage(body)
	errorCode := resp.Header.Get("X-Error-Code")

	switch {
	case errorCode == "RevisionNotFound":
		return fail(KindRevisionNotFound, status, "the revision does not exist: "+message,
			`check the branch, tag or commit sha, or leave the revision empty for the default branch`, nil)

	case status == http.StatusUnauthorized || status == http.StatusNotFound:
		if c.token != "" {
			message += " (HF_TOKEN was sent)"
		}
		return fail(KindNotFound, status, "the repository does not exist or is private: "+message, notFoundHint, nil)

	case status == http.StatusForbidden:
		return fail(KindNotFound, status, "access to the repository was denied: "+message,
			"check that HF_TOKEN belongs to an account with access to this repository", nil)

	case status == http.StatusTooManyRequests || status >= 500:
		return fail(KindUnreachable, status, "the Hub did not serve the request: "+message,
			"the repository could not be verified; retry later", nil)
	}

	return fail(KindUpstream, status, "unexpected answer from the Hub: "+message,
		"check that HF_ENDPOINT points at a Hugging Face Hub", nil)
}

// hubMessage extracts {"error": "..."} from an error body, or quotes the
// start of the body when it has another shape.
func hubMessage(body []byte) string {
	var payload struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(body, &payload); err == nil && payload.Error != "" {
		return printable(payload.Error)
	}
	if len(body) == 0 {
		return "empty body"
	}
	return quoteStart(body)
}

// redact replaces the token in text that came from the network.
func (c *Client) redact(text string) string {
	if c.token == "" {
		return text
	}
	return strings.ReplaceAll(text, c.token, "[redacted]")
}
