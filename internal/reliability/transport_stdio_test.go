package reliability

import (
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// The stdio tests run the built binary. CRLF line ends and a 100 KiB
// argument are also covered by cmd/rational-mcp's TestStdioRawProtocol.

// slowControlRoom starts a simulator whose every request waits latency, and
// returns the server environment that points the binary at it.
func slowControlRoom(t *testing.T, latency time.Duration) []string {
	t.Helper()
	sim := simulator.New(simulator.Options{Token: simulatorToken, Seed: true})
	sim.SetFaults(simulator.Faults{Latency: latency})
	server := httptest.NewServer(sim)
	t.Cleanup(server.Close)
	return serverEnv("RATIONAL_BASE_URL="+server.URL+"/api", "RATIONAL_API_TOKEN="+simulatorToken)
}

func TestStdioGarbageAndHugeLines(t *testing.T) {
	server := startStdio(t, []string{"stdio", "--demo"}, serverEnv())
	server.initialize(t)

	garbage := []string{
		"not json at all",
		"{",
		"\x00\x01\x02\x03",
		`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_models","arguments":{"size":NaN}}}`,
		"\xff\xfe invalid UTF-8",
		`}}}]]]`,
	}
	for _, line := range garbage {
		server.send(t, line+"\r\n")
		reply := server.next(t, 10*time.Second)
		errorObject, ok := reply["error"].(map[string]any)
		require.True(t, ok, "%q gets a JSON-RPC error, got %v", line, reply)
		assert.EqualValues(t, -32700, errorObject["code"], "%q gets a parse error", line)
	}

	megabyte := strings.Repeat("x", 1<<20)
	ping := server.request(t, 20, "ping", map[string]any{"_meta": map[string]any{"padding": megabyte}})
	assert.NotNil(t, ping["result"], "a 1 MiB ping is answered: %.200v", ping)

	huge := server.request(t, 21, "tools/call", map[string]any{"name": "get_model", "arguments": map[string]any{"modelId": megabyte}})
	result, ok := huge["result"].(map[string]any)
	require.True(t, ok, "a 1 MiB argument gets a tool result: %.200v", huge)
	assert.Equal(t, true, result["isError"])
	assert.Contains(t, toText(result), "modelId", "the error names the argument")

	listed := server.request(t, 22, "tools/call", map[string]any{"name": "list_models", "arguments": map[string]any{"size": 1}})
	listedResult, ok := listed["result"].(map[string]any)
	require.True(t, ok, "the server still serves calls: %v", listed)
	assert.Nil(t, listedResult["isError"])

	require.NoError(t, server.wait(t, 20*time.Second), "stderr:\n%s", server.stderr.String())
	t.Logf("stdio: %d garbage lines answered with parse errors, 1 MiB messages answered, server kept serving", len(garbage))
}

func TestStdioStdinClosedMidCall(t *testing.T) {
	server := startStdio(t, []string{"stdio"}, slowControlRoom(t, time.Second))
	server.initialize(t)

	server.send(t, `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"list_models","arguments":{"size":1}}}`+"\n")
	require.NoError(t, server.stdin.Close())

	reply := server.next(t, 20*time.Second)
	assert.EqualValues(t, 5, reply["id"], "the running call is answered after stdin closed")
	result, ok := reply["result"].(map[string]any)
	require.True(t, ok, "%v", reply)
	assert.Nil(t, result["isError"], "the call completed: %v", result)
	require.NoError(t, server.wait(t, 20*time.Second), "the server exits cleanly; stderr:\n%s", server.stderr.String())
}

func TestStdioSIGTERMExitsCleanly(t *testing.T) {
	server := startStdio(t, []string{"stdio"}, slowControlRoom(t, 500*time.Millisecond))
	server.initialize(t)

	server.send(t, `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"list_models","arguments":{"size":1}}}`+"\n")
	require.NoError(t, server.cmd.Process.Signal(syscall.SIGTERM))

	err := server.wait(t, 20*time.Second)
	require.NoError(t, err, "SIGTERM ends the server with exit code 0; stderr:\n%s", server.stderr.String())
	for _, line := range strings.Split(strings.TrimSpace(server.stdout.String()), "\n") {
		if line != "" {
			assert.True(t, strings.HasPrefix(line, `{"jsonrpc":"2.0"`), "stdout carries only protocol messages: %.200q", line)
		}
	}
}

// toText joins the text content items of a raw tool result.
func toText(result map[string]any) string {
	var texts []string
	contents, _ := result["content"].([]any)
	for _, content := range contents {
		if item, ok := content.(map[string]any); ok {
			if text, ok := item["text"].(string); ok {
				texts = append(texts, text)
			}
		}
	}
	return strings.Join(texts, "\n")
}
