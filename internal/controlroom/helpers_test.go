package controlroom

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// syncBuffer is a log sink that tests read while handlers may still write.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testClient is a Client pointed at a local httptest server, with its logs.
type testClient struct {
	*Client
	server *httptest.Server
	logs   *syncBuffer
}

// fastConfig returns timings that keep retry tests to fractions of a second.
func fastConfig() Config {
	return Config{
		Token:                secretToken,
		CallTimeout:          5 * time.Second,
		AttemptTimeout:       2 * time.Second,
		RetryInitialInterval: 5 * time.Millisecond,
		RetryMaxInterval:     20 * time.Millisecond,
		ReconcileBudget:      500 * time.Millisecond,
		ReconcileDelay:       20 * time.Millisecond,
	}
}

// newTestClient starts handler on 127.0.0.1 and returns a client whose base
// URL is the server's /api. mutate may change the configuration.
func newTestClient(t *testing.T, handler http.Handler, mutate func(*Config)) *testClient {
	t.Helper()
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)

	logs := &syncBuffer{}
	cfg := fastConfig()
	cfg.BaseURL = server.URL + "/api"
	cfg.HTTPClient = server.Client()
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if mutate != nil {
		mutate(&cfg)
	}

	client, err := New(cfg)
	require.NoError(t, err)
	return &testClient{Client: client, server: server, logs: logs}
}

// requireKind fails unless err is an *Error of kind want.
func requireKind(t *testing.T, err error, want Kind) *Error {
	t.Helper()
	require.Error(t, err)
	apiErr, ok := err.(*Error)
	require.True(t, ok, "error %T is not *Error: %v", err, err)
	require.Equal(t, want, apiErr.Kind, "error: %v", err)
	return apiErr
}

// counter counts requests by "METHOD path".
type counter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (c *counter) add(r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = map[string]int{}
	}
	c.counts[r.Method+" "+r.URL.Path]++
}

func (c *counter) get(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[key]
}

func (c *counter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.counts {
		n += v
	}
	return n
}

func ptr[T any](v T) *T { return &v }
