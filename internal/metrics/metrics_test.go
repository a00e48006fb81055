package metrics_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/metrics"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

const (
	simulatorToken = "metrics-sim-token-5b1c"
	mcpToken       = "metrics-mcp-token-0123456789abcdef"
)

// serve runs the MCP server with metrics, the guard in deny mode and the
// simulator behind a real client, over HTTP on 127.0.0.1 with a bearer
// token. It returns the server's base URL.
func serve(t *testing.T, m *metrics.Metrics, sim *simulator.Simulator) string {
	t.Helper()
	simServer := httptest.NewServer(sim)
	t.Cleanup(simServer.Close)
	apiClient, err := controlroom.New(controlroom.Config{
		BaseURL: simServer.URL + "/api", Token: simulatorToken,
		OnRetry: m.OnRetry, RetryInitialInterval: time.Millisecond, RetryMaxInterval: 5 * time.Millisecond,
	})
	require.NoError(t, err)
	api := m.InstrumentAPI(apiClient)

	guarded, err := mcpguard.Start(mcpguard.Settings{
		Confirmation: "deny",
		OnDecision:   func(d guard.Decision) { m.ObserveDecision(string(d)) },
	}, api, nil, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = guarded.Close(context.Background()) })

	mcpServer, err := mcpserver.New(mcpserver.Options{
		API:          api,
		Middleware:   []mcpserver.Middleware{m.Middleware(), guarded.Adapter.Middleware()},
		DecorateTool: guarded.Adapter.DecorateTool,
	})
	require.NoError(t, err)
	httpServer, err := mcpserver.NewHTTPServer(mcpServer, mcpserver.HTTPOptions{AuthToken: mcpToken, Metrics: m.Handler()})
	require.NoError(t, err)

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- httpServer.Serve(ctx, listener) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + listener.Addr().String()
}

func callTool(t *testing.T, mcpClient *client.Client, name string, arguments map[string]any) *mcp.CallToolResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	request := mcp.CallToolRequest{}
	request.Params.Name = name
	request.Params.Arguments = arguments
	result, err := mcpClient.CallTool(ctx, request)
	require.NoError(t, err)
	return result
}

func scrape(t *testing.T, url, token string) (int, string) {
	t.Helper()
	request, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if token != "" {
		request.Header.Set("Authorization", "Bearer "+token)
	}
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	require.NoError(t, err)
	return response.StatusCode, string(body)
}

func TestMetricsAfterToolCalls(t *testing.T) {
	m := metrics.New()
	sim := simulator.New(simulator.Options{Token: simulatorToken, Seed: true})
	base := serve(t, m, sim)

	httpTransport, err := transport.NewStreamableHTTP(base+mcpserver.EndpointPath,
		transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + mcpToken}))
	require.NoError(t, err)
	mcpClient := client.NewClient(httpTransport, client.WithProtocolVersion(mcp.ProtocolVersion20260728))
	t.Cleanup(func() { _ = mcpClient.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, mcpClient.Start(ctx))
	_, err = mcpClient.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.ProtocolVersion20260728,
		ClientInfo:      mcp.Implementation{Name: "metrics-test", Version: "1"},
	}})
	require.NoError(t, err)

	// One success, after two 503s that the client retries.
	sim.SetFaults(simulator.Faults{Next: []simulator.Fault{simulator.FaultServerError, simulator.FaultServerError}})
	require.False(t, callTool(t, mcpClient, "list_models", map[string]any{}).IsError)
	sim.SetFaults(simulator.Faults{})

	// One upstream not_found.
	require.True(t, callTool(t, mcpClient, "get_deployment_status", map[string]any{"deploymentId": "no-such-deployment-1"}).IsError)

	// One refusal by the guard in deny mode: nothing reaches the Control Room.
	require.True(t, callTool(t, mcpClient, "cancel_deployment", map[string]any{"deploymentId": "no-such-deployment-1"}).IsError)

	status, _ := scrape(t, base+mcpserver.MetricsPath, "")
	require.Equal(t, http.StatusUnauthorized, status, "metrics need the same token as /mcp")

	status, body := scrape(t, base+mcpserver.MetricsPath, mcpToken)
	require.Equal(t, http.StatusOK, status)
	for _, line := range []string{
		`rational_mcp_tool_calls_total{outcome="ok",tool="list_models"} 1`,
		`rational_mcp_tool_calls_total{outcome="error",tool="get_deployment_status"} 1`,
		`rational_mcp_tool_calls_total{outcome="error",tool="cancel_deployment"} 1`,
		// The tool's own lookup, and the guard's plan for cancel_deployment,
		// which looks the deployment up before refusing.
		`rational_mcp_upstream_errors_total{kind="not_found",op="get deployment status"} 2`,
		`rational_mcp_upstream_retries_total{op="list models"} 2`,
		`rational_mcp_approvals_total{decision="refused"} 1`,
		`rational_mcp_tool_call_duration_seconds_count{tool="list_models"} 1`,
	} {
		require.True(t, strings.Contains(body, line+"\n"), "missing %s in:\n%s", line, ownMetrics(body))
	}
	require.NotContains(t, body, mcpToken)
	require.NotContains(t, body, simulatorToken)
	require.Zero(t, sim.Stats().Mutations)
}

func TestOutcome(t *testing.T) {
	require.Equal(t, metrics.OutcomeProtocolError, metrics.Outcome(nil, nil))
	require.Equal(t, metrics.OutcomeError, metrics.Outcome(mcp.NewToolResultError("x"), nil))
	require.Equal(t, metrics.OutcomeOK, metrics.Outcome(mcp.NewToolResultText("x"), nil))
	asked := mcp.NewToolResultText("x")
	asked.InputRequests = mcp.InputRequests{"approve": mcp.InputRequest{}}
	require.Equal(t, metrics.OutcomeInputRequired, metrics.Outcome(asked, nil))
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *metrics.Metrics
	m.ObserveToolCall("x", metrics.OutcomeOK, time.Second)
	m.ObserveUpstreamError("op", io.EOF)
	m.OnRetry("op", 1, io.EOF)
	m.ObserveDecision("refused")
	m.ObserveRateLimited()
	require.True(t, strings.HasPrefix(metrics.Namespace, "rational"))
}

// ownMetrics returns the rational_mcp lines of a scrape, for failure
// messages.
func ownMetrics(body string) string {
	var kept []string
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, metrics.Namespace) {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}
