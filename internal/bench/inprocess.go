package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// simulatorToken is the bearer token of in-process simulators. They listen
// on 127.0.0.1 only and live as long as one measurement.
const simulatorToken = "bench-token-0123456789abcdef"

// inProcess is a simulator served over loopback HTTP, a real Control Room
// client pointed at it, and an MCP server built on that client.
type inProcess struct {
	sim    *simulator.Simulator
	http   *httptest.Server
	api    controlroom.API
	server *server.MCPServer
	nextID int
}

// newInProcess starts a simulator with opts (the token is set here) and
// builds the MCP server with every tool and no middleware.
func newInProcess(opts simulator.Options) (*inProcess, error) {
	opts.Token = simulatorToken
	sim := simulator.New(opts)
	httpServer := httptest.NewServer(sim)

	api, err := controlroom.New(controlroom.Config{BaseURL: httpServer.URL + "/api", Token: simulatorToken})
	if err != nil {
		httpServer.Close()
		return nil, fmt.Errorf("connect to the in-process simulator: %w", err)
	}
	mcpServer, err := mcpserver.New(mcpserver.Options{API: api, Version: "bench"})
	if err != nil {
		httpServer.Close()
		return nil, err
	}
	return &inProcess{sim: sim, http: httpServer, api: api, server: mcpServer}, nil
}

func (p *inProcess) close() { p.http.Close() }

// handle sends one JSON-RPC message to the MCP server and returns the
// encoded response.
func (p *inProcess) handle(ctx context.Context, message []byte) ([]byte, error) {
	reply := p.server.HandleMessage(ctx, message)
	encoded, err := json.Marshal(reply)
	if err != nil {
		return nil, fmt.Errorf("encode the reply: %w", err)
	}
	return encoded, nil
}

// call runs one tools/call in process and returns the tool result as the
// client receives it.
func (p *inProcess) call(ctx context.Context, tool string, arguments map[string]any) (json.RawMessage, error) {
	p.nextID++
	encoded, err := p.handle(ctx, callRequest(p.nextID, tool, arguments))
	if err != nil {
		return nil, err
	}
	result, err := checkResponse(encoded)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tool, err)
	}
	return result, nil
}

// readyDeploymentID returns the id of the ready deployment that the seeded
// simulator starts with. The seed is deterministic, so the demo binary has
// the same id.
func (p *inProcess) readyDeploymentID(ctx context.Context) (string, error) {
	deployments, err := p.api.ListDeployments(ctx)
	if err != nil {
		return "", fmt.Errorf("list deployments of the seeded simulator: %w", err)
	}
	for _, deployment := range deployments {
		if deployment.Ready() {
			return deployment.DeploymentID, nil
		}
	}
	return "", fmt.Errorf("the seeded simulator has no ready deployment among %d", len(deployments))
}

// timeUpstream measures calls calls of fn, the Control Room client's own
// round trip to the simulator.
func timeUpstream(calls int, fn func() error) ([]time.Duration, error) {
	durations := make([]time.Duration, 0, calls)
	for range calls {
		started := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		durations = append(durations, time.Since(started))
	}
	return durations, nil
}
