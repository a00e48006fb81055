package mcpguard_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

const simulatorToken = "simulator-token-guard"

var eras = []string{mcp.ProtocolVersion20251125, mcp.ProtocolVersion20260728}

// harness is the guarded MCP server over real streamable HTTP on
// 127.0.0.1, backed by the simulator over real HTTP, with the approval page
// on its own loopback port and the audit log in a temporary file.
type harness struct {
	mcpServer *server.MCPServer
	sim       *simulator.Simulator
	api       controlroom.API
	url       string
	page      *guard.PageServer
	auditPath string
}

type harnessConfig struct {
	mode      guard.Mode
	policy    *guard.Policy
	estimator guard.Estimator
	// linkMode and opener, when set, go to Adapter.SetApprovalLink.
	linkMode, opener string
	// logs receives the server's logs; nil discards them.
	logs io.Writer
	// stateClock, when set, is the clock of the request-state signer.
	stateClock func() time.Time
	// wrapAPI, when set, wraps the API that the tools call; the planner
	// keeps the plain client.
	wrapAPI func(controlroom.API) controlroom.API
}

func newHarness(t *testing.T, cfg harnessConfig) *harness {
	t.Helper()
	logs := cfg.logs
	if logs == nil {
		logs = io.Discard
	}
	logger := slog.New(slog.NewTextHandler(logs, nil))

	clock := simulator.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	sim := simulator.New(simulator.Options{Token: simulatorToken, Clock: clock, Seed: true})
	simServer := httptest.NewServer(sim)
	t.Cleanup(simServer.Close)
	api, err := controlroom.New(controlroom.Config{BaseURL: simServer.URL + "/api", Token: simulatorToken})
	require.NoError(t, err)

	auditPath := filepath.Join(t.TempDir(), "audit.jsonl")
	audit, err := guard.OpenAuditLog(auditPath)
	require.NoError(t, err)
	t.Cleanup(func() { _ = audit.Close() })

	signer, err := guard.NewStateSigner(guard.NewRandomKey(), 0, cfg.stateClock)
	require.NoError(t, err)
	approvals := guard.NewApprovals(0, nil)
	page, err := guard.StartPageServer(approvals, logger)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = page.Close(ctx)
	})

	policy := guard.DefaultPolicy()
	if cfg.policy != nil {
		policy = *cfg.policy
	}
	g, err := guard.New(guard.Config{
		Policy: policy, Mode: cfg.mode, Signer: signer, Approvals: approvals,
		Planner: &guard.ControlRoomPlanner{API: api, Estimator: cfg.estimator}, Audit: audit, Logger: logger,
	})
	require.NoError(t, err)
	adapter := mcpguard.New(g, logger)
	if cfg.linkMode != "" {
		require.NoError(t, adapter.SetApprovalLink(cfg.linkMode, cfg.opener))
	}

	toolAPI := controlroom.API(api)
	if cfg.wrapAPI != nil {
		toolAPI = cfg.wrapAPI(api)
	}
	mcpServer, err := mcpserver.New(mcpserver.Options{
		API:          toolAPI,
		Middleware:   []mcpserver.Middleware{adapter.Middleware()},
		DecorateTool: adapter.DecorateTool,
		Logger:       logger,
	})
	require.NoError(t, err)
	httpServer, err := mcpserver.NewHTTPServer(mcpServer, mcpserver.HTTPOptions{Logger: logger, PrincipalHeader: principalHeader})
	require.NoError(t, err)

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ctx, listener) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-served:
		case <-time.After(20 * time.Second):
			t.Error("the MCP HTTP server did not stop within 20s")
		}
	})

	return &harness{mcpServer: mcpServer, sim: sim, api: api, url: "http://" + listener.Addr().String() + mcpserver.EndpointPath, page: page, auditPath: auditPath}
}

// fixedEstimator returns one estimate for every model.
type fixedEstimator struct{ estimate guard.Estimate }

func (e fixedEstimator) EstimateDeploy(context.Context, controlroom.Model) (*guard.Estimate, error) {
	estimate := e.estimate
	return &estimate, nil
}

// elicitor returns a fixed result for every elicitation and counts them.
type elicitor struct {
	action  mcp.ElicitationResponseAction
	content map[string]any
	calls   int
	last    mcp.ElicitationRequest
}

func (e *elicitor) Elicit(_ context.Context, request mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	e.calls++
	e.last = request
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: e.action, Content: e.content}}, nil
}

func approvingUser() *elicitor {
	return &elicitor{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"approve": true}}
}

// principalHeader is the header whose value names the caller's principal,
// as the Control Room token header does in a multi-user deployment.
const principalHeader = "X-Rational-Api-Token"

// connect returns an initialized client in era; with a non-nil elicitor it
// declares elicitation.
func (h *harness) connect(t *testing.T, era string, user *elicitor) *client.Client {
	t.Helper()
	return h.connectWithHeaders(t, era, user, nil)
}

// connectWithHeaders is connect with extra HTTP headers on every request.
func (h *harness) connectWithHeaders(t *testing.T, era string, user *elicitor, headers map[string]string) *client.Client {
	t.Helper()
	httpTransport, err := transport.NewStreamableHTTP(h.url, transport.WithHTTPHeaders(headers))
	require.NoError(t, err)
	options := []client.ClientOption{client.WithProtocolVersion(era)}
	if user != nil {
		options = append(options, client.WithElicitationHandler(user))
	}
	mcpClient := client.NewClient(httpTransport, options...)
	t.Cleanup(func() { _ = mcpClient.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, mcpClient.Start(ctx))
	_, err = mcpClient.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: era,
		ClientInfo:      mcp.Implementation{Name: "guard-test", Version: "1"},
	}})
	require.NoError(t, err)
	return mcpClient
}

// connectStdio serves the harness's MCP server over a stdio pipe pair and
// returns an initialized client on the other end.
func (h *harness) connectStdio(t *testing.T, user client.ElicitationHandler) *client.Client {
	t.Helper()
	clientToServer, serverIn := io.Pipe()
	serverOut, serverToClient := io.Pipe()

	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- mcpserver.ServeStdio(ctx, h.mcpServer, clientToServer, serverToClient, nil, time.Second)
	}()

	var options []client.ClientOption
	if user != nil {
		options = append(options, client.WithElicitationHandler(user))
	}
	mcpClient := client.NewClient(transport.NewIO(serverOut, serverIn, io.NopCloser(strings.NewReader(""))), options...)
	t.Cleanup(func() {
		_ = mcpClient.Close()
		_ = serverIn.Close()
		cancel()
		select {
		case <-served:
		case <-time.After(10 * time.Second):
			t.Error("the stdio server did not stop within 10s")
		}
		_ = serverToClient.Close()
	})

	// The stdio transport handles server-to-client requests, such as
	// elicitation/create, on the context given to Start, so that context
	// lives as long as the client.
	require.NoError(t, mcpClient.Start(context.Background()))
	startCtx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	_, err := mcpClient.Initialize(startCtx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.ProtocolVersion20251125,
		ClientInfo:      mcp.Implementation{Name: "guard-stdio-test", Version: "1"},
	}})
	require.NoError(t, err)
	return mcpClient
}

type callResult struct {
	isError    bool
	text       string
	structured map[string]any
}

func callTool(t *testing.T, mcpClient *client.Client, name string, arguments map[string]any) callResult {
	t.Helper()
	result, err := callToolRaw(mcpClient, name, arguments)
	require.NoError(t, err, "tools/call %s", name)

	out := callResult{isError: result.IsError}
	for _, content := range result.Content {
		if text, ok := content.(mcp.TextContent); ok {
			out.text = text.Text
			break
		}
	}
	if result.StructuredContent != nil {
		encoded, err := json.Marshal(result.StructuredContent)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(encoded, &out.structured))
	}
	return out
}

func callToolRaw(mcpClient *client.Client, name string, arguments map[string]any) (*mcp.CallToolResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	request := mcp.CallToolRequest{}
	request.Params.Name = name
	request.Params.Arguments = arguments
	return mcpClient.CallTool(ctx, request)
}

// registerModel registers a fresh model through the (unguarded) tool and
// returns its id.
func registerModel(t *testing.T, mcpClient *client.Client, repo string) string {
	t.Helper()
	result := callTool(t, mcpClient, "register_model", map[string]any{
		"name": repo, "type": "base", "isFineTuned": false, "huggingFaceId": repo, "numberOfParams": "8000000000",
	})
	require.False(t, result.isError, result.text)
	id, ok := result.structured["modelId"].(string)
	require.True(t, ok, "register_model result: %s", result.text)
	return id
}

func (h *harness) deployments() int64 { return h.sim.Stats().DeploymentsCreated }

func (h *harness) auditLines(t *testing.T) []map[string]any {
	t.Helper()
	file, err := os.Open(h.auditPath)
	require.NoError(t, err)
	defer file.Close()

	var lines []map[string]any
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		var line map[string]any
		require.NoError(t, json.Unmarshal(scanner.Bytes(), &line))
		lines = append(lines, line)
	}
	require.NoError(t, scanner.Err())
	return lines
}
