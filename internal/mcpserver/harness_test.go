package mcpserver_test

import (
	"context"
	"encoding/json"
	"errors"
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
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

const simulatorToken = "simulator-token-7d2e"

// testTimings are the lifecycle phase durations, driven by a manual clock.
var testTimings = simulator.Timings{
	Scheduling:     10 * time.Second,
	PullingWeights: 60 * time.Second,
	Loading:        30 * time.Second,
}

// eras are the two protocol eras that mcp-go v1.2.1 speaks.
var eras = []string{mcp.ProtocolVersion20251125, mcp.ProtocolVersion20260728}

// harness is the MCP server over real streamable HTTP on 127.0.0.1, backed by
// a real Control Room client talking to the simulator over real HTTP.
type harness struct {
	sim   *simulator.Simulator
	clock *simulator.ManualClock
	api   controlroom.API
	url   string // the MCP endpoint
	base  string // http://127.0.0.1:PORT
	stop  func() error
}

type harnessConfig struct {
	options mcpserver.Options
	http    mcpserver.HTTPOptions
	// wrapAPI, when set, wraps the real client before the server uses it.
	wrapAPI func(controlroom.API) controlroom.API
	// clientConfig, when set, adjusts the Control Room client's settings.
	clientConfig func(*controlroom.Config)
}

func newHarness(t *testing.T, cfg harnessConfig) *harness {
	t.Helper()
	clock := simulator.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	sim := simulator.New(simulator.Options{Token: simulatorToken, Clock: clock, Timings: testTimings, Seed: true})
	simServer := httptest.NewServer(sim)
	t.Cleanup(simServer.Close)

	clientConfig := controlroom.Config{BaseURL: simServer.URL + "/api", Token: simulatorToken}
	if cfg.clientConfig != nil {
		cfg.clientConfig(&clientConfig)
	}
	apiClient, err := controlroom.New(clientConfig)
	require.NoError(t, err)
	var api controlroom.API = apiClient
	if cfg.wrapAPI != nil {
		api = cfg.wrapAPI(api)
	}

	cfg.options.API = api
	mcpServer, err := mcpserver.New(cfg.options)
	require.NoError(t, err)
	httpServer, err := mcpserver.NewHTTPServer(mcpServer, cfg.http)
	require.NoError(t, err)

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ctx, listener) }()

	var stopErr error
	stopped := false
	stop := func() error {
		if stopped {
			return stopErr
		}
		stopped = true
		cancel()
		select {
		case stopErr = <-served:
		case <-time.After(20 * time.Second):
			stopErr = errors.New("HTTP server did not stop within 20s")
		}
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })

	base := "http://" + listener.Addr().String()
	return &harness{sim: sim, clock: clock, api: api, url: base + mcpserver.EndpointPath, base: base, stop: stop}
}

// connect returns an initialized mcp-go client in the given protocol era.
func (h *harness) connect(t *testing.T, era string, headers map[string]string) *client.Client {
	t.Helper()
	httpTransport, err := transport.NewStreamableHTTP(h.url, transport.WithHTTPHeaders(headers))
	require.NoError(t, err)
	mcpClient := client.NewClient(httpTransport, client.WithProtocolVersion(era))
	t.Cleanup(func() { _ = mcpClient.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, mcpClient.Start(ctx))
	_, err = mcpClient.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: era,
		ClientInfo:      mcp.Implementation{Name: "mcpserver-test", Version: "1"},
	}})
	require.NoError(t, err)
	require.Equal(t, era, mcpClient.ProtocolVersion())
	return mcpClient
}

// callResult is a tool result with its text and decoded structured content.
type callResult struct {
	isError    bool
	text       string
	structured map[string]any
}

func call(t *testing.T, mcpClient *client.Client, name string, arguments any) callResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	request := mcp.CallToolRequest{}
	request.Params.Name = name
	request.Params.Arguments = arguments
	result, err := mcpClient.CallTool(ctx, request)
	require.NoError(t, err, "tools/call %s", name)

	out := callResult{isError: result.IsError}
	require.Len(t, result.Content, 1, "%s: one text content", name)
	text, ok := result.Content[0].(mcp.TextContent)
	require.True(t, ok, "%s: content is text", name)
	out.text = text.Text
	if !result.IsError {
		encoded, err := json.Marshal(result.StructuredContent)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(encoded, &out.structured))
		require.JSONEq(t, out.text, string(encoded), "%s: text and structuredContent differ", name)
	}
	return out
}

// postJSON sends one raw JSON-RPC message to the MCP endpoint.
func postJSON(t *testing.T, url string, body string, headers map[string]string) *http.Response {
	t.Helper()
	request, err := http.NewRequest(http.MethodPost, url, stringsReader(body))
	require.NoError(t, err)
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("Accept", "application/json, text/event-stream")
	for key, value := range headers {
		request.Header.Set(key, value)
	}
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	t.Cleanup(func() { _ = response.Body.Close() })
	return response
}

func stringsReader(body string) *strings.Reader { return strings.NewReader(body) }
