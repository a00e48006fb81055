package controlroom

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// Environment variables read by ConfigFromEnv.
const (
	EnvBaseURL   = "RATIONAL_BASE_URL"
	EnvTenant    = "RATIONAL_TENANT"
	EnvToken     = "RATIONAL_API_TOKEN"
	EnvTokenFile = "RATIONAL_API_TOKEN_FILE"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultCallTimeout      = 30 * time.Second
	DefaultAttemptTimeout   = 10 * time.Second
	DefaultMaxBodyBytes     = 8 << 20
	DefaultMaxAttempts      = 5
	DefaultRetryInitial     = 200 * time.Millisecond
	DefaultRetryMax         = 2 * time.Second
	DefaultReconcileBudget  = 8 * time.Second
	DefaultReconcileDelay   = 500 * time.Millisecond
	DefaultUserAgent        = "rational-mcp-controlroom/1"
	maxTokenFileBytes       = 64 << 10
	exampleBaseURL          = "https://TENANT.rational.is/api"
	baseURLMustEndInAPIHint = "the base URL must end in /api, e.g. " + exampleBaseURL
)

// DefaultMaxIdleConnsPerHost is the number of idle connections that the
// default HTTP client keeps to the Control Room. Every call goes to that one
// host, and with Go's default of 2 a server under concurrent calls opened a
// new TCP (and TLS) connection for most of them.
const DefaultMaxIdleConnsPerHost = 100

// ErrNotConfigured is wrapped by configuration errors caused by a missing
// setting, so a caller can tell "nothing configured" (and suggest a demo
// mode) apart from a malformed setting. Test with errors.Is.
var ErrNotConfigured = errors.New("control room connection is not configured")

// ErrInvalidConfig is wrapped by configuration errors caused by a malformed
// setting. Test with errors.Is.
var ErrInvalidConfig = errors.New("invalid control room configuration")

// ConfigError is a missing or malformed setting. Vars names the environment
// variables involved; the message never contains the API token.
type ConfigError struct {
	Vars    []string
	Message string
	// Missing is true when the setting is absent rather than malformed.
	Missing bool
}

func (e *ConfigError) Error() string { return e.Message }

// Unwrap returns ErrNotConfigured or ErrInvalidConfig.
func (e *ConfigError) Unwrap() error {
	if e.Missing {
		return ErrNotConfigured
	}
	return ErrInvalidConfig
}

// Config configures a Client. Zero durations and sizes take the Default*
// values.
type Config struct {
	// BaseURL is the Management API root, such as
	// https://acme.rational.is/api. It must be http(s), without query or
	// fragment, and end in /api.
	BaseURL string
	// Token is sent as "Authorization: Bearer <Token>". It is never logged
	// and is redacted from every error message.
	Token string
	// HTTPClient sends the requests. New copies it and disables redirects,
	// because a redirect means the base URL is wrong and would turn a POST
	// into a GET. Nil means a client with a clone of http.DefaultTransport
	// that keeps DefaultMaxIdleConnsPerHost idle connections.
	HTTPClient *http.Client
	// Logger receives debug lines per request and warnings per retry, with
	// no attributes added, so a caller adds its own component name. Nil
	// discards logs.
	Logger *slog.Logger
	// CallTimeout bounds one API method call, retries and deploy
	// reconciliation included. It stays well inside the 60 s timeout of
	// common MCP clients.
	CallTimeout time.Duration
	// AttemptTimeout bounds one HTTP exchange, body included.
	AttemptTimeout time.Duration
	// MaxBodyBytes caps a response body; a longer body is an error.
	MaxBodyBytes int64
	// MaxAttempts caps the HTTP attempts of one request, first one included.
	MaxAttempts int
	// RetryInitialInterval and RetryMaxInterval shape the exponential
	// backoff between attempts. A Retry-After header lengthens the wait.
	RetryInitialInterval time.Duration
	RetryMaxInterval     time.Duration
	// ReconcileBudget is the part of CallTimeout held back, after a deploy
	// request failed ambiguously, to look for the deployment it may have
	// created. New caps it at a third of CallTimeout.
	ReconcileBudget time.Duration
	// ReconcileDelay is the pause between two reads of the model while
	// reconciling a deploy.
	ReconcileDelay time.Duration
	// UserAgent is sent as the User-Agent header.
	UserAgent string
	// OnRetry, if set, is called before each retry with the operation name,
	// the number of the attempt that failed (1-based) and its error. It must
	// not block.
	OnRetry func(op string, attempt int, err error)
}

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// ConfigFromEnv builds a Config from environment variables read through
// getenv (os.Getenv in production). RATIONAL_BASE_URL wins over
// RATIONAL_TENANT, which expands to https://TENANT.rational.is/api. The token
// comes from RATIONAL_API_TOKEN or from the file named by
// RATIONAL_API_TOKEN_FILE, trimmed of surrounding whitespace; setting both is
// an error. Every problem found is reported, joined, as *ConfigError values.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	var cfg Config
	var problems []error

	baseURL, err := baseURLFromEnv(getenv)
	if err != nil {
		problems = append(problems, err)
	}
	cfg.BaseURL = baseURL

	token, err := tokenFromEnv(getenv)
	if err != nil {
		problems = append(problems, err)
	}
	cfg.Token = token

	return cfg, errors.Join(problems...)
}

// AnyEnvSet reports whether any of the four RATIONAL_* connection variables
// is set to a non-blank value. A CLI can use it to suggest a demo mode when
// ConfigFromEnv fails and the user configured nothing at all.
func AnyEnvSet(getenv func(string) string) bool {
	for _, name := range []string{EnvBaseURL, EnvTenant, EnvToken, EnvTokenFile} {
		if strings.TrimSpace(getenv(name)) != "" {
			return true
		}
	}
	return false
}

func baseURLFromEnv(getenv func(string) string) (string, error) {
	raw := strings.TrimSpace(getenv(EnvBaseURL))
	if raw != "" {
		normalized, err := NormalizeBaseURL(raw)
		if err != nil {
			return "", &ConfigError{Vars: []string{EnvBaseURL}, Message: EnvBaseURL + ": " + err.Error()}
		}
		return normalized, nil
	}

	tenant := strings.ToLower(strings.TrimSpace(getenv(EnvTenant)))
	if tenant == "" {
		return "", &ConfigError{
			Vars:    []string{EnvBaseURL, EnvTenant},
			Missing: true,
			Message: fmt.Sprintf("no Control Room configured: set %s (e.g. %s) or %s (the TENANT in https://TENANT.rational.is)",
				EnvBaseURL, exampleBaseURL, EnvTenant),
		}
	}
	if !dnsLabel.MatchString(tenant) {
		return "", &ConfigError{
			Vars: []string{EnvTenant},
			Message: fmt.Sprintf("%s %q is invalid: the tenant must be a DNS label (lowercase letters, digits and '-', at most 63 characters, no dots)",
				EnvTenant, tenant),
		}
	}
	return "https://" + tenant + ".rational.is/api", nil
}

func tokenFromEnv(getenv func(string) string) (string, error) {
	token := strings.TrimSpace(getenv(EnvToken))
	file := strings.TrimSpace(getenv(EnvTokenFile))

	switch {
	case token != "" && file != "":
		return "", &ConfigError{
			Vars:    []string{EnvToken, EnvTokenFile},
			Message: fmt.Sprintf("both %s and %s are set: set only one of them", EnvToken, EnvTokenFile),
		}
	case token == "" && file == "":
		return "", &ConfigError{
			Vars:    []string{EnvToken, EnvTokenFile},
			Missing: true,
			Message: fmt.Sprintf("no API token configured: set %s or %s (a file containing the token)", EnvToken, EnvTokenFile),
		}
	case file != "":
		read, err := readTokenFile(file)
		if err != nil {
			return "", err
		}
		token = read
	}

	if err := checkTokenChars(token); err != nil {
		source := EnvToken
		if file != "" {
			source = EnvTokenFile
		}
		return "", &ConfigError{Vars: []string{source}, Message: fmt.Sprintf("%s: %v", source, err)}
	}
	return token, nil
}

func readTokenFile(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", &ConfigError{Vars: []string{EnvTokenFile}, Message: fmt.Sprintf("%s: cannot read token file: %v", EnvTokenFile, err)}
	}
	if info.Size() > maxTokenFileBytes {
		return "", &ConfigError{Vars: []string{EnvTokenFile}, Message: fmt.Sprintf("%s: token file %s is %d bytes, more than the %d a token can be", EnvTokenFile, path, info.Size(), maxTokenFileBytes)}
	}

	data, err := os.ReadFile(path)
	if err != nil {
		return "", &ConfigError{Vars: []string{EnvTokenFile}, Message: fmt.Sprintf("%s: cannot read token file: %v", EnvTokenFile, err)}
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return "", &ConfigError{Vars: []string{EnvTokenFile}, Message: fmt.Sprintf("%s: token file %s is empty", EnvTokenFile, path)}
	}
	return token, nil
}

// checkTokenChars rejects a token that cannot be sent in a header. The error
// never quotes the token.
func checkTokenChars(token string) error {
	for i := 0; i < len(token); i++ {
		b := token[i]
		if b <= ' ' || b == 0x7f {
			return fmt.Errorf("the token contains whitespace or a control character at byte %d; a token is a single printable word", i)
		}
	}
	return nil
}

// NormalizeBaseURL checks a Management API base URL and returns it without a
// trailing slash. It must parse as an absolute http or https URL with a host,
// no user info, query or fragment, and a path ending in /api.
func NormalizeBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("base URL does not parse; %s", baseURLMustEndInAPIHint)
	}

	shown := u.Redacted()
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("base URL %q is not http or https; %s", shown, baseURLMustEndInAPIHint)
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("base URL %q has no host; %s", shown, baseURLMustEndInAPIHint)
	case u.User != nil:
		return "", fmt.Errorf("base URL %q contains user info; pass the token in %s instead; %s", shown, EnvToken, baseURLMustEndInAPIHint)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("base URL %q has a query; %s", shown, baseURLMustEndInAPIHint)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", fmt.Errorf("base URL %q has a fragment; %s", shown, baseURLMustEndInAPIHint)
	}

	path := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(path, "/api") {
		return "", fmt.Errorf("base URL %q does not end in /api; %s", shown, baseURLMustEndInAPIHint)
	}
	u.Path = path
	u.RawPath = ""
	return u.String(), nil
}
