package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

const (
	simulatorToken = "reliability-simulator-token"
	// verifierAgent is the User-Agent of the fault-free client that checks
	// the simulator's state; fault plans never match it.
	verifierAgent = "reliability-verifier/1"
	// approvedNamespace is the Hugging Face namespace that the suite's
	// policy pre-approves for deploys.
	approvedNamespace = "reliability"
)

// suitePolicy pre-approves deploys of models from approvedNamespace and
// allows pause, cancel and delete, so every tool runs without a human.
const suitePolicy = `version: 1
rules:
  effects:
    read: allow
    write: allow
    gpu: require_approval
    interrupt: allow
    destructive: allow
deploy:
  preapprove:
    - name: reliability-suite
      huggingFaceIds: ["` + approvedNamespace + `/*"]
      types: [base]
`

// stack is the MCP server with the guard in deny mode and the suite's
// policy, served over streamable HTTP on 127.0.0.1, backed by a real Control
// Room client that talks to the simulator over real HTTP.
type stack struct {
	sim      *simulator.Simulator
	clock    *simulator.ManualClock
	api      *controlroom.Client
	verifier *controlroom.Client
	url      string // the MCP endpoint
	base     string // http://127.0.0.1:PORT
}

// stackConfig adjusts newStack.
type stackConfig struct {
	// client adjusts the server's Control Room client settings.
	client func(*controlroom.Config)
	// auditLog, when set, is the guard's audit log file.
	auditLog string
	// logger receives the server's logs; nil discards them.
	logger *slog.Logger
	// http configures the HTTP transport; its Logger is set to logger.
	http mcpserver.HTTPOptions
}

func newStack(t *testing.T, cfg stackConfig) *stack {
	t.Helper()
	clock := simulator.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	sim := simulator.New(simulator.Options{Token: simulatorToken, Clock: clock, Seed: true})
	simServer := httptest.NewServer(sim)
	t.Cleanup(simServer.Close)

	s := &stack{sim: sim, clock: clock}
	logger := cfg.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	config := controlroom.Config{BaseURL: simServer.URL + "/api", Token: simulatorToken, Logger: logger}
	if cfg.client != nil {
		cfg.client(&config)
	}
	api, err := controlroom.New(config)
	require.NoError(t, err)
	s.api = api

	s.verifier, err = controlroom.New(controlroom.Config{
		BaseURL: simServer.URL + "/api", Token: simulatorToken, UserAgent: verifierAgent,
	})
	require.NoError(t, err)

	policyFile := filepath.Join(t.TempDir(), "policy.yaml")
	require.NoError(t, os.WriteFile(policyFile, []byte(suitePolicy), 0o600))
	running, err := mcpguard.Start(mcpguard.Settings{
		Confirmation: "deny", PolicyFile: policyFile, AuditLogFile: cfg.auditLog,
	}, api, nil, logger)
	require.NoError(t, err)
	t.Cleanup(func() { _ = running.Close(context.Background()) })

	mcpServer, err := mcpserver.New(mcpserver.Options{
		API:          api,
		Middleware:   []mcpserver.Middleware{running.Adapter.Middleware()},
		DecorateTool: running.Adapter.DecorateTool,
		Logger:       logger,
	})
	require.NoError(t, err)
	httpOptions := cfg.http
	httpOptions.Logger = logger
	httpServer, err := mcpserver.NewHTTPServer(mcpServer, httpOptions)
	require.NoError(t, err)
	s.base = serveHTTP(t, httpServer)
	s.url = s.base + mcpserver.EndpointPath
	return s
}

// serveHTTP serves httpServer on a loopback port until the test ends and
// returns its base URL.
func serveHTTP(t *testing.T, httpServer *mcpserver.HTTPServer) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ctx, listener) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("HTTP server stopped with an error: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("HTTP server did not stop within 20s")
		}
	})
	return "http://" + listener.Addr().String()
}

// connect returns an initialized mcp-go client of the 2025-11-25 era.
func connect(t *testing.T, url string, headers map[string]string) *client.Client {
	t.Helper()
	httpTransport, err := transport.NewStreamableHTTP(url, transport.WithHTTPHeaders(headers))
	require.NoError(t, err)
	mcpClient := client.NewClient(httpTransport)
	t.Cleanup(func() { _ = mcpClient.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, mcpClient.Start(ctx))
	_, err = mcpClient.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.ProtocolVersion20251125,
		ClientInfo:      mcp.Implementation{Name: "reliability-test", Version: "1"},
	}})
	require.NoError(t, err)
	return mcpClient
}

// toolResult is one tools/call outcome.
type toolResult struct {
	isError    bool
	text       string
	structured map[string]any
	elapsed    time.Duration
}

// callTool sends one tools/call bounded by timeout. A JSON-RPC error or a
// transport failure is returned as err.
func callTool(mcpClient *client.Client, timeout time.Duration, name string, arguments any) (toolResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	request := mcp.CallToolRequest{}
	request.Params.Name = name
	request.Params.Arguments = arguments

	started := time.Now()
	result, err := mcpClient.CallTool(ctx, request)
	out := toolResult{elapsed: time.Since(started)}
	if err != nil {
		return out, err
	}

	out.isError = result.IsError
	for _, content := range result.Content {
		if text, ok := content.(mcp.TextContent); ok {
			out.text += text.Text
		}
	}
	if len(result.Content) != 1 {
		return out, fmt.Errorf("%s returned %d content items, want 1", name, len(result.Content))
	}
	if result.StructuredContent != nil {
		encoded, err := json.Marshal(result.StructuredContent)
		if err != nil {
			return out, err
		}
		if err := json.Unmarshal(encoded, &out.structured); err != nil {
			return out, err
		}
	}
	return out, nil
}

// findModel returns the id of the catalog model named name, or "" when the
// catalog has none, read through the fault-free verifier.
func (s *stack) findModel(ctx context.Context, name string) (string, error) {
	for page := 0; ; page++ {
		models, err := s.verifier.ListModels(ctx, page, 100)
		if err != nil {
			return "", err
		}
		for _, model := range models.Content {
			if model.Name == name {
				return model.ID, nil
			}
		}
		if page+1 >= models.TotalPages || len(models.Content) == 0 {
			return "", nil
		}
	}
}

// deploymentsOf counts the simulator's deployments of modelID.
func (s *stack) deploymentsOf(modelID string) []string {
	var ids []string
	for _, deployment := range s.sim.Deployments() {
		if deployment.ModelID == modelID {
			ids = append(ids, deployment.DeploymentID)
		}
	}
	return ids
}
