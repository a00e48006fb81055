package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// execEnv makes the test binary run main instead of the tests, so the tests
// start the real server process without building another binary.
const execEnv = "RATIONAL_MCP_TEST_EXEC_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(execEnv) == "1" {
		os.Args = append([]string{"rational-mcp"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serverEnv is the environment of a server process: no Control Room
// configuration, no RATIONAL_MCP_ settings and no Hugging Face Hub settings
// leak in from the test's own, so no test reaches a real Hub.
func serverEnv(extra ...string) []string {
	env := []string{execEnv + "=1"}
	for _, entry := range os.Environ() {
		if strings.HasPrefix(entry, "RATIONAL_") || strings.HasPrefix(entry, "HF_") || strings.HasPrefix(entry, execEnv+"=") {
			continue
		}
		env = append(env, entry)
	}
	return append(env, extra...)
}

// serverCommand returns the server process for args, killed when the test
// ends if it is still running.
func serverCommand(t *testing.T, args []string, extraEnv ...string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = serverEnv(extraEnv...)
	return cmd
}

// stdioClient starts the server over stdio with mcp-go's client in era.
func stdioClient(t *testing.T, era string, args []string, extraEnv ...string) (*client.Client, *mcp.InitializeResult) {
	t.Helper()
	stderr := &lockedBuffer{}
	stdio := transport.NewStdioWithOptions(os.Args[0], nil, args,
		transport.WithCommandStderrWriter(stderr),
		transport.WithCommandFunc(func(_ context.Context, command string, _ []string, args []string) (*exec.Cmd, error) {
			// The process must outlive the context of Start; Close ends it.
			cmd := exec.Command(command, args...)
			cmd.Env = serverEnv(extraEnv...)
			return cmd, nil
		}))
	mcpClient := client.NewClient(stdio, client.WithProtocolVersion(era))
	t.Cleanup(func() {
		_ = mcpClient.Close()
		if t.Failed() {
			t.Logf("server stderr:\n%s", stderr.String())
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, mcpClient.Start(ctx))
	initialized, err := mcpClient.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: era,
		ClientInfo:      mcp.Implementation{Name: "cmd-test", Version: "1"},
	}})
	require.NoError(t, err)
	require.Equal(t, era, mcpClient.ProtocolVersion())
	return mcpClient, initialized
}

func toolNames(t *testing.T, mcpClient *client.Client) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	listed, err := mcpClient.ListTools(ctx, mcp.ListToolsRequest{})
	require.NoError(t, err)
	var names []string
	for _, tool := range listed.Tools {
		names = append(names, tool.Name)
	}
	return names
}

func callTool(t *testing.T, mcpClient *client.Client, name string, arguments any) (*mcp.CallToolResult, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	request := mcp.CallToolRequest{}
	request.Params.Name = name
	request.Params.Arguments = arguments
	result, err := mcpClient.CallTool(ctx, request)
	require.NoError(t, err)
	require.NotEmpty(t, result.Content)
	text, ok := result.Content[0].(mcp.TextContent)
	require.True(t, ok)
	return result, text.Text
}

var eras = []string{mcp.ProtocolVersion20251125, mcp.ProtocolVersion20260728}

func TestStdioDemoBothEras(t *testing.T) {
	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			mcpClient, initialized := stdioClient(t, era, []string{"stdio", "--demo"})
			assert.Contains(t, initialized.Instructions, "DEMO MODE")
			assert.Len(t, toolNames(t, mcpClient), 11)

			result, text := callTool(t, mcpClient, "list_models", map[string]any{"text": "gemma"})
			require.False(t, result.IsError, text)
			assert.Contains(t, text, "google/gemma-2-9b-it")

			result, text = callTool(t, mcpClient, "get_model", map[string]any{"modelId": "00000000-0000-4000-8000-000000000000"})
			require.True(t, result.IsError)
			assert.Contains(t, text, "'00000000-0000-4000-8000-000000000000' not found; call list_models")
		})
	}
}

func TestStdioDefaultCommandAndFlagsFromEnv(t *testing.T) {
	mcpClient, _ := stdioClient(t, mcp.ProtocolVersion20251125, nil, "RATIONAL_MCP_DEMO=true", "RATIONAL_MCP_READ_ONLY=1")
	assert.ElementsMatch(t, []string{"list_models", "get_model", "inspect_model", "get_deployment_status", "list_deployments"}, toolNames(t, mcpClient))

	mcpClient, _ = stdioClient(t, mcp.ProtocolVersion20260728, []string{"--demo", "--toolsets", "deployments"})
	assert.ElementsMatch(t, []string{"deploy_model", "get_deployment_status", "list_deployments", "pause_deployment", "cancel_deployment"}, toolNames(t, mcpClient))
}

// TestStdioRawProtocol writes JSON-RPC lines by hand: CRLF line ends, a
// request larger than 64 KiB, a last request without a line end, then EOF.
// Every stdout line must be a JSON-RPC message, every request must get a
// response, and the process must exit by itself well within the 30 s drain
// timeout.
func TestStdioRawProtocol(t *testing.T) {
	cmd := serverCommand(t, []string{"stdio", "--demo", "--log-level", "debug"})
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())

	bigText := strings.Repeat("x", 100<<10)
	lines := []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_models","arguments":{"text":"` + bigText + `"}}}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"list_deployments","arguments":null}}`,
	}
	go func() {
		for _, line := range lines {
			_, _ = io.WriteString(stdin, line+"\r\n")
		}
		// The last request has no line end at all.
		_, _ = io.WriteString(stdin, `{"jsonrpc":"2.0","id":5,"method":"ping"}`)
		_ = stdin.Close()
	}()

	responses := map[float64]map[string]any{}
	scanner := bufio.NewScanner(stdout)
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		var message map[string]any
		require.NoError(t, json.Unmarshal(scanner.Bytes(), &message), "stdout line is not JSON: %.200q", scanner.Text())
		require.Equal(t, "2.0", message["jsonrpc"], "stdout line is not JSON-RPC: %.200q", scanner.Text())
		if id, ok := message["id"].(float64); ok {
			responses[id] = message
		}
	}
	require.NoError(t, scanner.Err())

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		require.NoError(t, err, "the server exits cleanly when stdin closes; stderr:\n%s", stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not exit after stdin closed")
	}

	require.Len(t, responses, 5, "every request is answered before exit; stderr:\n%s", stderr.String())
	big := responses[2]["result"].(map[string]any)
	assert.Equal(t, true, big["isError"], "the 100 KiB text is longer than maxLength")
	assert.Contains(t, fmt.Sprint(big["content"]), "'text'")
	assert.Len(t, responses[3]["result"].(map[string]any)["tools"], 11)
	assert.Nil(t, responses[4]["result"].(map[string]any)["isError"])
	assert.Contains(t, stderr.String(), "DEMO MODE")
}

func TestLogFileReceivesLogs(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "server.log")
	cmd := serverCommand(t, []string{"stdio", "--demo", "--log-file", logFile})
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	cmd.Stdin = strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}` + "\n")
	require.NoError(t, cmd.Run())

	logs, err := os.ReadFile(logFile)
	require.NoError(t, err)
	assert.Contains(t, string(logs), "DEMO MODE")
	assert.Contains(t, string(logs), "mcp.method=ping")
	assert.Empty(t, stderr.String(), "logs go to the file only")
	assert.JSONEq(t, `{"jsonrpc":"2.0","id":1,"result":{}}`, stdout.String())
}

func TestStdioWithoutConfigurationFails(t *testing.T) {
	cmd := serverCommand(t, []string{"stdio"})
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	cmd.Stdin = strings.NewReader("")
	err := cmd.Run()

	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr)
	assert.Equal(t, 1, exitErr.ExitCode())
	assert.Empty(t, stdout.String(), "nothing but protocol messages on stdout")
	for _, want := range []string{"RATIONAL_BASE_URL", "RATIONAL_TENANT", "RATIONAL_API_TOKEN", "--demo"} {
		assert.Contains(t, stderr.String(), want)
	}
}

// httpProcess is a running "rational-mcp http" process.
type httpProcess struct {
	cmd    *exec.Cmd
	url    string        // the MCP endpoint
	stderr *lockedBuffer // everything the process wrote to stderr so far
	// stderrDone is closed once stderr reached EOF, that is once the
	// process has exited. Wait may be called only after that.
	stderrDone chan struct{}
}

// httpServer starts "rational-mcp http" on a free loopback port.
func httpServer(t *testing.T, args ...string) *httpProcess {
	t.Helper()
	cmd := serverCommand(t, append([]string{"http", "--demo", "--addr", "127.0.0.1:0"}, args...))
	pipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	process := &httpProcess{cmd: cmd, stderr: &lockedBuffer{}, stderrDone: make(chan struct{})}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-process.stderrDone
		_ = cmd.Wait()
	})

	process.url = readEndpoint(t, pipe, process.stderr, process.stderrDone)
	return process
}

// endpointPattern matches the line in which the http command prints its
// MCP endpoint.
var endpointPattern = regexp.MustCompile(`MCP endpoint (http://127\.0\.0\.1:\d+/mcp)`)

// readEndpoint copies the server's stderr into buffer line by line and
// returns the MCP endpoint once the server has printed it. It closes done
// when stderr reaches EOF, that is once the process has exited.
func readEndpoint(t *testing.T, stderr io.Reader, buffer *lockedBuffer, done chan<- struct{}) string {
	t.Helper()
	endpoint := make(chan string, 1)
	go func() {
		defer close(done)
		scanner := bufio.NewScanner(stderr)
		for scanner.Scan() {
			buffer.Write(append(scanner.Bytes(), '\n'))
			if match := endpointPattern.FindStringSubmatch(scanner.Text()); match != nil {
				endpoint <- match[1]
			}
		}
	}()

	select {
	case url := <-endpoint:
		return url
	case <-time.After(20 * time.Second):
		t.Fatalf("the HTTP server did not print its endpoint; stderr:\n%s", buffer.String())
		return ""
	}
}

func httpClient(t *testing.T, url, era string, headers map[string]string) *client.Client {
	t.Helper()
	httpTransport, err := transport.NewStreamableHTTP(url, transport.WithHTTPHeaders(headers))
	require.NoError(t, err)
	mcpClient := client.NewClient(httpTransport, client.WithProtocolVersion(era))
	t.Cleanup(func() { _ = mcpClient.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, mcpClient.Start(ctx))
	_, err = mcpClient.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: era,
		ClientInfo:      mcp.Implementation{Name: "cmd-test", Version: "1"},
	}})
	require.NoError(t, err)
	return mcpClient
}

func TestHTTPCommandServesAndStopsOnSIGTERM(t *testing.T) {
	process := httpServer(t)
	url := process.url

	for _, era := range eras {
		mcpClient := httpClient(t, url, era, nil)
		result, text := callTool(t, mcpClient, "list_deployments", nil)
		require.False(t, result.IsError, text)
		assert.Contains(t, text, "waitingForChat")
	}

	health, err := http.Get(strings.TrimSuffix(url, "/mcp") + "/healthz")
	require.NoError(t, err)
	health.Body.Close()
	assert.Equal(t, http.StatusOK, health.StatusCode)

	request, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(url, "/mcp")+"/healthz", nil)
	require.NoError(t, err)
	request.Header.Set("Origin", "https://attacker.example")
	forbidden, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	forbidden.Body.Close()
	assert.Equal(t, http.StatusForbidden, forbidden.StatusCode)

	require.NoError(t, process.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-process.stderrDone:
	case <-time.After(20 * time.Second):
		t.Fatal("the HTTP server did not stop after SIGTERM")
	}
	require.NoError(t, process.cmd.Wait(), "stderr:\n%s", process.stderr.String())
	assert.Contains(t, process.stderr.String(), "HTTP server stopped")
}

func TestHTTPCommandRequiresToken(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "token")
	const token = "cmd-test-token-0123456789"
	require.NoError(t, os.WriteFile(tokenFile, []byte(token+"\n"), 0o600))
	url := httpServer(t, "--auth-token-file", tokenFile).url

	request, err := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
	require.NoError(t, err)
	request.Header.Set("Content-Type", "application/json")
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	response.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, response.StatusCode)

	mcpClient := httpClient(t, url, mcp.ProtocolVersion20251125, map[string]string{"Authorization": "Bearer " + token})
	result, text := callTool(t, mcpClient, "list_models", map[string]any{"size": 1})
	assert.False(t, result.IsError, text)
}

// TestMCPJSONStartsServer runs the command that mcp.json configures, from
// the repository root, and talks to it.
func TestMCPJSONStartsServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server with go run")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(root, "mcp.json"))
	require.NoError(t, err)

	var config struct {
		MCPServers map[string]struct {
			Type    string   `json:"type"`
			Command string   `json:"command"`
			Args    []string `json:"args"`
		} `json:"mcpServers"`
	}
	require.NoError(t, json.Unmarshal(data, &config))
	server, ok := config.MCPServers["rational"]
	require.True(t, ok, "mcp.json names the server rational")
	assert.Equal(t, "stdio", server.Type)
	assert.Contains(t, server.Args, "--demo")

	stderr := &lockedBuffer{}
	stdio := transport.NewStdioWithOptions(server.Command, nil, server.Args,
		transport.WithCommandStderrWriter(stderr),
		transport.WithCommandFunc(func(_ context.Context, command string, _ []string, args []string) (*exec.Cmd, error) {
			cmd := exec.Command(command, args...)
			cmd.Dir = root
			cmd.Env = serverEnv()[1:]
			return cmd, nil
		}))
	mcpClient := client.NewClient(stdio, client.WithProtocolVersion(mcp.ProtocolVersion20251125))
	t.Cleanup(func() { _ = mcpClient.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	require.NoError(t, mcpClient.Start(ctx))
	initialized, err := mcpClient.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.ProtocolVersion20251125,
		ClientInfo:      mcp.Implementation{Name: "mcp-json-test", Version: "1"},
	}})
	require.NoError(t, err, "stderr:\n%s", stderr.String())
	assert.Equal(t, "rational-mcp", initialized.ServerInfo.Name)
	assert.Contains(t, initialized.Instructions, "DEMO MODE")
	assert.Len(t, toolNames(t, mcpClient), 11)
}

func TestHelpShowsDefaultsAndEnv(t *testing.T) {
	for _, command := range []string{"stdio", "http", "simulator"} {
		t.Run(command, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			require.NoError(t, run(context.Background(), []string{command, "--help"}, strings.NewReader(""), &stdout, &stderr, noEnv))
			assert.Regexp(t, `^Usage: rational-mcp \[?`+command, stdout.String())
			assert.Contains(t, stdout.String(), "(default")
			if command != "simulator" {
				assert.Contains(t, stdout.String(), "[env RATIONAL_MCP_LOG_LEVEL]")
			}
		})
	}

	var stdout bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"--help"}, nil, &stdout, io.Discard, noEnv))
	assert.Contains(t, stdout.String(), "rational-mcp http [flags]")

	stdout.Reset()
	require.NoError(t, run(context.Background(), []string{"version"}, nil, &stdout, io.Discard, noEnv))
	assert.Regexp(t, `^rational-mcp \S+ \(go\d`, stdout.String())

	stdout.Reset()
	require.NoError(t, run(context.Background(), []string{"version", "--help"}, nil, &stdout, io.Discard, noEnv))
	assert.Contains(t, stdout.String(), "Usage: rational-mcp version")
}

func TestCommandErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"unknown command", []string{"serve"}, nil, []string{`"serve"`, "--help"}},
		{"version with argument", []string{"version", "extra"}, nil, []string{`"extra"`}},
		{"unknown flag", []string{"stdio", "--bogus"}, nil, []string{"bogus", "rational-mcp stdio --help"}},
		{"bad env bool", []string{"stdio", "--demo"}, map[string]string{"RATIONAL_MCP_READ_ONLY": "maybe"}, []string{"RATIONAL_MCP_READ_ONLY", "maybe"}},
		{"bad toolset", []string{"stdio", "--demo", "--toolsets", "gpus"}, nil, []string{"--toolsets", "gpus"}},
		{"bad log level", []string{"http", "--demo", "--log-level", "loud"}, nil, []string{"--log-level", "loud"}},
		{"non-loopback without token", []string{"http", "--demo", "--addr", "0.0.0.0:8787"}, nil, []string{"0.0.0.0:8787", "--auth-token-file", "--insecure-no-auth"}},
		{"short token", []string{"http", "--demo", "--auth-token-file", writeTemp(t, "short")}, nil, []string{"at least 16"}},
		{"port not a number", []string{"http", "--demo", "--addr", "127.0.0.1:8787x"}, nil, []string{"--addr", `"127.0.0.1:8787x"`, `port "8787x"`, "0 to 65535"}},
		{"port out of range", []string{"http", "--demo", "--addr", "127.0.0.1:65536"}, nil, []string{"--addr", `port "65536"`}},
		{"no port", []string{"http", "--demo", "--addr", "127.0.0.1"}, nil, []string{"--addr", `"127.0.0.1"`, "host:port"}},
		{"no host", []string{"http", "--demo", "--addr", ":8787"}, nil, []string{"--addr", "host is missing"}},
		{"bad allowed origin", []string{"http", "--demo", "--addr", "127.0.0.1:0", "--allowed-origins", "example.com"}, nil, []string{"example.com"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(name string) string { return tc.env[name] }
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := run(ctx, tc.args, strings.NewReader(""), io.Discard, io.Discard, getenv)
			require.Error(t, err)
			for _, want := range tc.want {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func noEnv(string) string { return "" }

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// lockedBuffer is a bytes.Buffer safe for concurrent writes and reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
