package reliability

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// Distinctive secrets that the suite looks for in every output.
const (
	secretControlRoomToken = "crtoken-SECRET-5f1d9e7a2b4c"
	secretBearerToken      = "mcp-bearer-SECRET-9c4e1b7d3a"
	// secretHubToken is the token that hubtest accepts for gated fixtures,
	// so a lookup of a gated repo proves the server sent it.
	secretHubToken = hubtest.Token
	// gatedRepo needs secretHubToken on the Hub fixture server.
	gatedRepo = "meta-llama/Llama-3.1-8B-Instruct"
)

// secretStateKey is the guard's HMAC key: distinctive, and at least the 32
// bytes that --state-key-file requires.
var secretStateKey = []byte("guard-state-key-SECRET-0123456789")

// secretFixture is the set of servers and files that one secrets run uses.
type secretFixture struct {
	sim       *simulator.Simulator
	hub       *hubtest.Server
	dir       string
	env       []string
	auditLog  string
	logFile   string
	guardArgs []string
}

func newSecretFixture(t *testing.T) *secretFixture {
	t.Helper()
	clock := simulator.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	sim := simulator.New(simulator.Options{Token: secretControlRoomToken, Clock: clock, Seed: true})
	simServer := httptest.NewServer(sim)
	t.Cleanup(simServer.Close)
	hub := hubtest.New(t, hubtest.FixtureDir(t))

	dir := t.TempDir()
	fixture := &secretFixture{sim: sim, hub: hub, dir: dir,
		auditLog: filepath.Join(dir, "audit.jsonl"), logFile: filepath.Join(dir, "server.log")}

	policy := `version: 1
rules:
  effects:
    interrupt: allow
    destructive: allow
deploy:
  preapprove:
    - name: secrets-suite
      huggingFaceIds: ["meta-llama/*"]
      types: [base]
`
	writeFile(t, filepath.Join(dir, "policy.yaml"), policy)
	writeFile(t, filepath.Join(dir, "state.key"), hex.EncodeToString(secretStateKey)+"\n")
	writeFile(t, filepath.Join(dir, "bearer"), secretBearerToken+"\n")

	fixture.env = serverEnv(
		"RATIONAL_BASE_URL="+simServer.URL+"/api",
		"RATIONAL_API_TOKEN="+secretControlRoomToken,
		"HF_ENDPOINT="+hub.URL,
		"HF_TOKEN="+secretHubToken,
	)
	fixture.guardArgs = []string{
		"--confirmation", "deny",
		"--policy", filepath.Join(dir, "policy.yaml"),
		"--state-key-file", filepath.Join(dir, "state.key"),
		"--audit-log", fixture.auditLog,
		"--log-level", "debug",
	}
	return fixture
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}

// secretForms are every spelling of the secrets that must never appear.
func secretForms() map[string]string {
	return map[string]string{
		"RATIONAL_API_TOKEN":          secretControlRoomToken,
		"HF_TOKEN":                    secretHubToken,
		"--auth-token-file token":     secretBearerToken,
		"--state-key-file key (raw)":  string(secretStateKey),
		"--state-key-file key (hex)":  hex.EncodeToString(secretStateKey),
		"--state-key-file key (b64)":  base64.StdEncoding.EncodeToString(secretStateKey),
		"--state-key-file key (b64u)": base64.RawURLEncoding.EncodeToString(secretStateKey),
	}
}

// assertNoSecrets checks one output for every secret form.
func assertNoSecrets(t *testing.T, where, output string) int {
	t.Helper()
	for name, secret := range secretForms() {
		assert.NotContains(t, output, secret, "%s contains the %s", where, name)
	}
	return len(secretForms())
}

// secretFlow runs the end-to-end flow through call and returns every tool
// result text. call sends one tool call and returns its text and isError.
func secretFlow(t *testing.T, call func(tool string, arguments map[string]any) (string, bool)) []string {
	t.Helper()
	var texts []string
	record := func(tool string, arguments map[string]any, wantError bool) string {
		text, isError := call(tool, arguments)
		texts = append(texts, text)
		assert.Equal(t, wantError, isError, "%s: %.300s", tool, text)
		return text
	}

	record("list_models", map[string]any{}, false)
	registered := record("register_model", map[string]any{"huggingFaceId": gatedRepo, "type": "base"}, false)
	modelID := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`).FindString(registered)
	require.NotEmpty(t, modelID, "register_model names the model id: %s", registered)

	record("get_model", map[string]any{"modelId": modelID}, false)
	deployed := record("deploy_model", map[string]any{"modelId": modelID}, false)
	deploymentID := regexp.MustCompile(`"deploymentId":"([a-z0-9-]+)"`).FindStringSubmatch(deployed)
	require.Len(t, deploymentID, 2, "deploy_model names the deployment id: %s", deployed)

	record("get_deployment_status", map[string]any{"deploymentId": deploymentID[1]}, false)
	record("list_deployments", map[string]any{"modelId": modelID}, false)
	record("pause_deployment", map[string]any{"deploymentId": deploymentID[1]}, false)
	record("cancel_deployment", map[string]any{"deploymentId": deploymentID[1]}, false)

	// Failures: an invalid id, an unknown id, a deploy no rule approves, a
	// Hub repo that needs a token for its files, an unknown repo.
	record("get_model", map[string]any{"modelId": "not-a-uuid"}, true)
	record("get_model", map[string]any{"modelId": validModelID}, true)
	other := record("register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct", "type": "base"}, false)
	otherID := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`).FindString(other)
	record("deploy_model", map[string]any{"modelId": otherID}, true)
	record("register_model", map[string]any{"huggingFaceId": "rational-ai/no-such-model-7b", "type": "base"}, true)
	return texts
}

func TestSecretsNeverLeak(t *testing.T) {
	checks := 0

	t.Run("http", func(t *testing.T) {
		fixture := newSecretFixture(t)
		args := append([]string{"http", "--addr", "127.0.0.1:0",
			"--auth-token-file", filepath.Join(fixture.dir, "bearer"),
			"--log-file", fixture.logFile}, fixture.guardArgs...)
		process := startHTTPProcess(t, args, fixture.env)

		unauthorized, err := http.Post(process.url, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
		require.NoError(t, err)
		_ = unauthorized.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, unauthorized.StatusCode)

		mcpClient := connect(t, process.url, map[string]string{"Authorization": "Bearer " + secretBearerToken})
		texts := secretFlow(t, httpCaller(t, mcpClient))
		assert.Contains(t, hubAuthorizations(fixture.hub), "Bearer "+secretHubToken, "the Hub lookups used HF_TOKEN")

		require.NoError(t, process.cmd.Process.Signal(syscall.SIGTERM))
		require.NoError(t, process.wait(t), "stderr:\n%s", process.stderr.String())

		logs, err := os.ReadFile(fixture.logFile)
		require.NoError(t, err)
		audit, err := os.ReadFile(fixture.auditLog)
		require.NoError(t, err)
		require.NotEmpty(t, logs, "the log file has lines")
		require.NotEmpty(t, audit, "the audit log has lines")

		checks += assertNoSecrets(t, "stderr", process.stderr.String())
		checks += assertNoSecrets(t, "log file", string(logs))
		checks += assertNoSecrets(t, "audit log", string(audit))
		checks += assertNoSecrets(t, "tool results", strings.Join(texts, "\n"))
		t.Logf("http: %d tool results, %d log bytes, %d audit bytes checked", len(texts), len(logs), len(audit))
	})

	t.Run("stdio", func(t *testing.T) {
		fixture := newSecretFixture(t)
		server := startStdio(t, append([]string{"stdio"}, fixture.guardArgs...), fixture.env)
		server.initialize(t)

		id := 1
		texts := secretFlow(t, func(tool string, arguments map[string]any) (string, bool) {
			id++
			response := server.request(t, id, "tools/call", map[string]any{"name": tool, "arguments": arguments})
			result, ok := response["result"].(map[string]any)
			require.True(t, ok, "%s: no result in %v", tool, response)
			return fmt.Sprint(result["content"]), result["isError"] == true
		})
		assert.Contains(t, hubAuthorizations(fixture.hub), "Bearer "+secretHubToken, "the Hub lookups used HF_TOKEN")
		require.NoError(t, server.wait(t, 20*time.Second), "stderr:\n%s", server.stderr.String())

		audit, err := os.ReadFile(fixture.auditLog)
		require.NoError(t, err)
		require.NotEmpty(t, server.stderr.String(), "stderr has log lines")

		checks += assertNoSecrets(t, "stdout", server.stdout.String())
		checks += assertNoSecrets(t, "stderr", server.stderr.String())
		checks += assertNoSecrets(t, "audit log", string(audit))
		checks += assertNoSecrets(t, "tool results", strings.Join(texts, "\n"))
		t.Logf("stdio: %d tool results, %d stdout bytes, %d stderr bytes checked", len(texts), len(server.stdout.String()), len(server.stderr.String()))
	})

	t.Logf("secrets: %d secret forms × outputs checked, none found", checks)
}

// hubAuthorizations returns the Authorization headers the Hub received.
func hubAuthorizations(hub *hubtest.Server) []string {
	var headers []string
	for _, request := range hub.Requests() {
		headers = append(headers, request.Authorization)
	}
	return headers
}

// httpCaller returns a secretFlow caller over an mcp-go client.
func httpCaller(t *testing.T, mcpClient *client.Client) func(string, map[string]any) (string, bool) {
	return func(tool string, arguments map[string]any) (string, bool) {
		result, err := callTool(mcpClient, 30*time.Second, tool, arguments)
		require.NoError(t, err, tool)
		return result.text, result.isError
	}
}

// httpProcess is the server binary in HTTP mode.
type httpProcess struct {
	cmd    *exec.Cmd
	url    string
	stderr lockedBuffer
	exited chan error
}

var endpointLine = regexp.MustCompile(`MCP endpoint (http://\S+)`)

// startHTTPProcess starts the binary with args and env, and waits for the
// endpoint line on stderr. The process is killed when the test ends if it
// is still running.
func startHTTPProcess(t *testing.T, args, env []string) *httpProcess {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	process := &httpProcess{exited: make(chan error, 1)}
	process.cmd = exec.CommandContext(ctx, serverBinary(t), args...)
	process.cmd.Env = env
	process.cmd.Stderr = &process.stderr
	require.NoError(t, process.cmd.Start())
	go func() { process.exited <- process.cmd.Wait() }()

	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if match := endpointLine.FindStringSubmatch(process.stderr.String()); match != nil {
			process.url = match[1]
			return process
		}
		select {
		case err := <-process.exited:
			t.Fatalf("the server exited before serving: %v\nstderr:\n%s", err, process.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("no endpoint line on stderr within 20s:\n%s", process.stderr.String())
	return nil
}

// wait waits up to 20 s for the process to exit and returns its error.
func (p *httpProcess) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-p.exited:
		return err
	case <-time.After(20 * time.Second):
		t.Fatalf("the server did not exit within 20s; stderr:\n%s", p.stderr.String())
		return nil
	}
}
