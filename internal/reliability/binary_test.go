package reliability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	buildOnce   sync.Once
	builtBinary string
	buildErr    error
	buildDir    string
)

// TestMain removes the built server binary after the suites ran.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// serverBinary builds cmd/rational-mcp once per test run and returns its
// path.
func serverBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "rational-mcp-reliability-")
		if buildErr != nil {
			return
		}
		builtBinary = filepath.Join(buildDir, "rational-mcp")
		goTool, err := exec.LookPath("go")
		if err != nil {
			buildErr = fmt.Errorf("the go command is not on PATH, so the server binary cannot be built: %w", err)
			return
		}
		cmd := exec.Command(goTool, "build", "-o", builtBinary, "github.com/rational-ai/rational-mcp/cmd/rational-mcp")
		output, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build ./cmd/rational-mcp: %v\n%s", err, output)
		}
	})
	require.NoError(t, buildErr)
	return builtBinary
}

// serverEnv is the environment of a server process: the test's own
// environment without any RATIONAL_ or HF_ setting, plus extra.
func serverEnv(extra ...string) []string {
	var env []string
	for _, entry := range os.Environ() {
		if regexp.MustCompile(`^(RATIONAL_|HF_)`).MatchString(entry) {
			continue
		}
		env = append(env, entry)
	}
	return append(env, extra...)
}

// lockedBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type lockedBuffer struct {
	mu     sync.Mutex
	buffer bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buffer.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buffer.String()
}

// stdioServer is the server binary in stdio mode, driven with raw JSON-RPC
// lines. Every stdout line is kept for inspection.
type stdioServer struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan []byte
	stdout lockedBuffer
	stderr lockedBuffer
	done   chan struct{}
}

// startStdio starts the binary with args and env; the process is killed
// when the test ends if it is still running.
func startStdio(t *testing.T, args []string, env []string) *stdioServer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, serverBinary(t), args...)
	cmd.Env = env

	server := &stdioServer{cmd: cmd, lines: make(chan []byte, 64), done: make(chan struct{})}
	cmd.Stderr = &server.stderr
	var err error
	server.stdin, err = cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	go func() {
		defer close(server.done)
		defer close(server.lines)
		reader := bufio.NewReaderSize(stdout, 1<<20)
		for {
			line, err := reader.ReadBytes('\n')
			if len(line) > 0 {
				_, _ = server.stdout.Write(line)
				server.lines <- bytes.TrimSpace(line)
			}
			if err != nil {
				return
			}
		}
	}()
	return server
}

// send writes one raw line to stdin.
func (s *stdioServer) send(t *testing.T, line string) {
	t.Helper()
	_, err := io.WriteString(s.stdin, line)
	require.NoError(t, err)
}

// next returns the next stdout message, decoded.
func (s *stdioServer) next(t *testing.T, timeout time.Duration) map[string]any {
	t.Helper()
	select {
	case line, ok := <-s.lines:
		require.True(t, ok, "stdout closed; stderr:\n%s", s.stderr.String())
		var message map[string]any
		require.NoError(t, json.Unmarshal(line, &message), "stdout line is not JSON: %.200q", line)
		require.Equal(t, "2.0", message["jsonrpc"], "stdout line is not JSON-RPC: %.200q", line)
		return message
	case <-time.After(timeout):
		t.Fatalf("no stdout message within %s; stderr:\n%s", timeout, s.stderr.String())
		return nil
	}
}

// request sends one JSON-RPC request and returns the response with its id,
// skipping notifications.
func (s *stdioServer) request(t *testing.T, id int, method string, params any) map[string]any {
	t.Helper()
	encoded, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	require.NoError(t, err)
	s.send(t, string(encoded)+"\n")
	for {
		message := s.next(t, 30*time.Second)
		if message["id"] == float64(id) {
			return message
		}
	}
}

// initialize runs the MCP handshake in the 2025-11-25 era.
func (s *stdioServer) initialize(t *testing.T) {
	t.Helper()
	response := s.request(t, 0, "initialize", map[string]any{
		"protocolVersion": "2025-11-25", "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "reliability-raw", "version": "1"},
	})
	require.NotNil(t, response["result"], "initialize failed: %v", response)
	s.send(t, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
}

// wait closes stdin and waits for the process to exit.
func (s *stdioServer) wait(t *testing.T, timeout time.Duration) error {
	t.Helper()
	_ = s.stdin.Close()
	exited := make(chan error, 1)
	go func() {
		<-s.done
		exited <- s.cmd.Wait()
	}()
	select {
	case err := <-exited:
		return err
	case <-time.After(timeout):
		t.Fatalf("the server did not exit within %s; stderr:\n%s", timeout, s.stderr.String())
		return nil
	}
}
