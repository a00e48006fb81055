package reliability

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/mcpserver"
)

// Foreign Origin (403), missing bearer token (401), oversized bodies (413)
// and graceful shutdown are covered in internal/mcpserver (TestOriginValidation,
// TestBearerTokenRequired, TestBodyLimit, TestGracefulShutdownFinishesRunningCall)
// and cmd/rational-mcp (TestHTTPCommandRequiresToken). This file covers the
// cases those tests leave out.

func TestSessionIDsUnknownAndEnded(t *testing.T) {
	s := newStack(t, stackConfig{})
	session := initializeRaw(t, s.url)
	ping := `{"jsonrpc":"2.0","id":1,"method":"ping"}`

	status, reply := postRaw(t, s.url, session, ping)
	require.Equal(t, http.StatusOK, status, reply)

	for name, id := range map[string]string{
		"unknown id with the server's prefix": "mcp-session-00000000-0000-4000-8000-000000000000",
		"foreign id":                          "not-a-session",
		"id with traversal":                   "mcp-session-../../x",
	} {
		status, reply := postRaw(t, s.url, id, ping)
		assert.Equal(t, http.StatusNotFound, status, "%s: %s", name, reply)
	}

	request, err := http.NewRequest(http.MethodDelete, s.url, nil)
	require.NoError(t, err)
	request.Header.Set("Mcp-Session-Id", session)
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	_ = response.Body.Close()
	require.Less(t, response.StatusCode, 300)

	status, reply = postRaw(t, s.url, session, ping)
	assert.Equal(t, http.StatusNotFound, status, "an ended session: %s", reply)
}

func TestSessionIdleExpiry(t *testing.T) {
	const ttl = 300 * time.Millisecond
	s := newStack(t, stackConfig{http: mcpserver.HTTPOptions{SessionIdleTTL: ttl}})
	session := initializeRaw(t, s.url)
	ping := `{"jsonrpc":"2.0","id":1,"method":"ping"}`

	status, _ := postRaw(t, s.url, session, ping)
	require.Equal(t, http.StatusOK, status)

	// The idle TTL runs on the real clock inside mcp-go, so the test polls
	// for the expiry rather than sleeping a fixed time.
	require.Eventually(t, func() bool {
		return liveSessions(t, s.base) == 0
	}, 10*time.Second, 50*time.Millisecond, "the idle session is dropped")
	status, reply := postRaw(t, s.url, session, ping)
	assert.Equal(t, http.StatusNotFound, status, "an expired session: %s", reply)
}

func TestSlowHeaderClientTimesOut(t *testing.T) {
	const timeout = 300 * time.Millisecond
	process := startHTTPProcess(t, []string{"http", "--demo", "--addr", "127.0.0.1:0",
		"--read-header-timeout", timeout.String()}, serverEnv())
	address := strings.TrimPrefix(strings.TrimSuffix(process.url, mcpserver.EndpointPath), "http://")

	conn, err := net.Dial("tcp", address)
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /mcp HTTP/1.1\r\nHost: "+address+"\r\nContent-Type: app")
	require.NoError(t, err)

	started := time.Now()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, err = io.ReadAll(conn)
	elapsed := time.Since(started)
	require.NoError(t, err, "the server closes the connection instead of leaving it open")
	assert.Less(t, elapsed, 5*time.Second, "the connection closed soon after the header timeout")

	session := initializeRaw(t, process.url)
	assert.NotEmpty(t, session, "the server still serves other clients")
	t.Logf("slow header: connection closed after %s (--read-header-timeout %s)", elapsed.Round(10*time.Millisecond), timeout)

	require.NoError(t, process.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, process.wait(t), "stderr:\n%s", process.stderr.String())
}

func TestThousandConcurrentSessions(t *testing.T) {
	const sessions = 1000
	s := newStack(t, stackConfig{})
	transport := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
	defer transport.CloseIdleConnections()
	httpClient := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	ids := make([]string, sessions)
	var failures atomic.Int64
	parallel(64, sessions, func(i int) {
		id, err := openSession(httpClient, s.url)
		if err != nil {
			failures.Add(1)
			return
		}
		ids[i] = id
	})
	require.Zero(t, failures.Load(), "every session opened")
	assert.Equal(t, sessions, liveSessions(t, s.base), "all sessions are held at once")

	var pings atomic.Int64
	parallel(64, sessions, func(i int) {
		if status, _ := send(httpClient, http.MethodPost, s.url, ids[i], `{"jsonrpc":"2.0","id":2,"method":"ping"}`); status == http.StatusOK {
			pings.Add(1)
		}
	})
	assert.EqualValues(t, sessions, pings.Load(), "every held session answers")

	parallel(64, sessions, func(i int) {
		if status, _ := send(httpClient, http.MethodDelete, s.url, ids[i], ""); status >= 300 {
			failures.Add(1)
		}
	})
	require.Zero(t, failures.Load(), "every session ended")
	assert.Zero(t, liveSessions(t, s.base), "ended sessions are released")
	t.Logf("sessions: %d opened and held at once, %d answered a ping, all released", sessions, pings.Load())
}

// parallel runs work(0..n-1) on at most workers goroutines.
func parallel(workers, n int, work func(i int)) {
	var wait sync.WaitGroup
	next := make(chan int)
	for range workers {
		wait.Add(1)
		go func() {
			defer wait.Done()
			for i := range next {
				work(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wait.Wait()
}

// openSession initializes a 2025-11-25 session and returns its id.
func openSession(httpClient *http.Client, url string) (string, error) {
	request, err := http.NewRequest(http.MethodPost, url, strings.NewReader(
		`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"`+mcp.ProtocolVersion20251125+`","capabilities":{},"clientInfo":{"name":"load","version":"1"}}}`))
	if err != nil {
		return "", err
	}
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("Accept", "application/json, text/event-stream")
	response, err := httpClient.Do(request)
	if err != nil {
		return "", err
	}
	defer response.Body.Close()
	_, _ = io.Copy(io.Discard, response.Body)
	if response.StatusCode != http.StatusOK || response.Header.Get("Mcp-Session-Id") == "" {
		return "", io.ErrUnexpectedEOF
	}
	id := response.Header.Get("Mcp-Session-Id")
	if status, _ := send(httpClient, http.MethodPost, url, id, `{"jsonrpc":"2.0","method":"notifications/initialized"}`); status >= 300 {
		return "", io.ErrUnexpectedEOF
	}
	return id, nil
}

// send sends one request in session and returns its status and body.
func send(httpClient *http.Client, method, url, session, body string) (int, string) {
	request, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("Accept", "application/json, text/event-stream")
	request.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
	request.Header.Set("Mcp-Session-Id", session)
	response, err := httpClient.Do(request)
	if err != nil {
		return 0, err.Error()
	}
	defer response.Body.Close()
	reply, _ := io.ReadAll(bufio.NewReader(response.Body))
	return response.StatusCode, string(reply)
}

// liveSessions returns the session count that /healthz reports.
func liveSessions(t *testing.T, base string) int {
	t.Helper()
	response, err := http.Get(base + mcpserver.HealthPath)
	require.NoError(t, err)
	defer response.Body.Close()
	var health struct {
		Sessions int `json:"sessions"`
	}
	require.NoError(t, json.NewDecoder(response.Body).Decode(&health))
	return health.Sessions
}
