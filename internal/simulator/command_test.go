package simulator

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe for the server's and the test's
// goroutines.
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

// startCommand runs RunCommand in the background and returns the base URL it
// prints, a cancel function and the channel of its result.
func startCommand(t *testing.T, args []string, stderr io.Writer) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	stdoutReader, stdoutWriter := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := RunCommand(ctx, args, stdoutWriter, stderr)
		_ = stdoutWriter.CloseWithError(io.EOF)
		done <- err
	}()

	line, err := bufio.NewReader(stdoutReader).ReadString('\n')
	require.NoError(t, err, "RunCommand printed no base URL")
	go func() { _, _ = io.Copy(io.Discard, stdoutReader) }()
	baseURL, ok := strings.CutPrefix(strings.TrimSpace(line), "Control Room simulator listening on ")
	require.True(t, ok, "stdout line %q", line)
	return baseURL, cancel, done
}

func TestRunCommandServesAndStops(t *testing.T) {
	t.Setenv(TokenEnv, "env-token-93a1")
	stderr := &syncBuffer{}
	baseURL, cancel, done := startCommand(t, []string{"--addr", "127.0.0.1:0", "--gpus", "2", "--no-seed"}, stderr)
	require.True(t, strings.HasPrefix(baseURL, "http://127.0.0.1:"), baseURL)
	require.True(t, strings.HasSuffix(baseURL, "/api"), baseURL)

	req, err := http.NewRequest(http.MethodGet, baseURL+"/management/v0/models?page=0&size=50", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer env-token-93a1")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"content":[],"totalElements":0,"totalPages":0,"number":0,"size":50}`, string(body))

	unauthorized, err := http.Get(baseURL + "/management/v0/models")
	require.NoError(t, err)
	unauthorized.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, unauthorized.StatusCode)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("RunCommand did not stop after ctx was cancelled")
	}

	logs := stderr.String()
	assert.Contains(t, logs, "simulator listening")
	assert.Contains(t, logs, "simulator stopped")
	assert.NotContains(t, logs, "env-token-93a1")
	_, err = http.Get(baseURL + "/management/v0/models")
	assert.Error(t, err, "the listener is closed")
}

func TestRunCommandSeedsByDefault(t *testing.T) {
	baseURL, cancel, done := startCommand(t, []string{"--addr=127.0.0.1:0", "--token", "flag-token"}, io.Discard)
	defer func() { cancel(); <-done }()

	req, err := http.NewRequest(http.MethodGet, baseURL+"/management/v0/models/deployments", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer flag-token")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), SeededReadyModel)
}

func TestRunCommandHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := RunCommand(context.Background(), []string{"--help"}, &stdout, &stderr)

	require.NoError(t, err)
	help := stdout.String()
	for _, want := range []string{"Usage: rational-mcp simulator", "-addr", DefaultAddr, "-token", TokenEnv, "-gpus", "(default 16)", "-no-seed", "-pulling-weights", "(default 6s)"} {
		assert.Contains(t, help, want)
	}
	assert.Empty(t, stderr.String())
}

func TestRunCommandInvalidArguments(t *testing.T) {
	cases := map[string][]string{
		"unknown flag":     {"--port", "80"},
		"positional":       {"serve"},
		"zero GPUs":        {"--gpus", "0"},
		"negative phase":   {"--loading", "-1s"},
		"bad log level":    {"--log-level", "loud"},
		"invalid address":  {"--addr", "127.0.0.1:-1"},
		"malformed number": {"--gpus", "many"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			err := RunCommand(context.Background(), args, io.Discard, io.Discard)
			assert.Error(t, err)
		})
	}
}

func TestRunCommandHelpNamesEveryVariable(t *testing.T) {
	var stdout bytes.Buffer
	require.NoError(t, RunCommand(context.Background(), []string{"--help"}, &stdout, io.Discard))

	help := stdout.String()
	for _, name := range []string{"addr", "token", "gpus", "seed", "no-seed", "scheduling", "pulling-weights", "loading", "log-level"} {
		assert.Contains(t, help, "[env "+EnvName(name)+"]", "--%s", name)
	}
	assert.Contains(t, help, "[env RATIONAL_SIMULATOR_PULLING_WEIGHTS]")
}

func TestRunCommandReadsEnvironment(t *testing.T) {
	t.Setenv("RATIONAL_SIMULATOR_ADDR", "127.0.0.1:0")
	t.Setenv("RATIONAL_SIMULATOR_TOKEN", "env-token-5c0d")
	t.Setenv("RATIONAL_SIMULATOR_NO_SEED", "true")
	t.Setenv("RATIONAL_SIMULATOR_GPUS", "3")
	t.Setenv("RATIONAL_SIMULATOR_LOG_LEVEL", "debug")
	stderr := &syncBuffer{}
	baseURL, cancel, done := startCommand(t, nil, stderr)
	defer func() { cancel(); <-done }()

	req, err := http.NewRequest(http.MethodGet, baseURL+"/management/v0/models?page=0&size=50", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer env-token-5c0d")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the token comes from RATIONAL_SIMULATOR_TOKEN")
	assert.Contains(t, string(body), `"content":[]`, "RATIONAL_SIMULATOR_NO_SEED empties the catalog")
	assert.Contains(t, stderr.String(), "gpus=3", "RATIONAL_SIMULATOR_GPUS sets the pool")
}

func TestRunCommandFlagBeatsEnvironment(t *testing.T) {
	t.Setenv("RATIONAL_SIMULATOR_GPUS", "0")
	t.Setenv("RATIONAL_SIMULATOR_ADDR", "127.0.0.1:-1")
	stderr := &syncBuffer{}
	_, cancel, done := startCommand(t, []string{"--gpus", "5", "--addr", "127.0.0.1:0"}, stderr)
	defer func() { cancel(); <-done }()

	assert.Contains(t, stderr.String(), "gpus=5")
}

func TestRunCommandInvalidEnvironment(t *testing.T) {
	t.Setenv("RATIONAL_SIMULATOR_GPUS", "many")

	err := RunCommand(context.Background(), []string{"--addr", "127.0.0.1:0"}, io.Discard, io.Discard)

	require.Error(t, err)
	assert.Contains(t, err.Error(), "RATIONAL_SIMULATOR_GPUS")
	assert.Contains(t, err.Error(), `"many"`)
}
