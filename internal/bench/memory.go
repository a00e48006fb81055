package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// settle is the pause before an RSS reading, so that the runtime returns
// freed memory of a burst of work, as it does in a long-running server.
const settle = 200 * time.Millisecond

// measureMemory reads the resident set size of the demo binary (the server
// and its embedded simulator): idle over stdio, after MemoryCalls calls
// over stdio, and over HTTP with MemorySessions open sessions.
func measureMemory(ctx context.Context, cfg Config, report *Report) error {
	upstream, err := newInProcess(simulator.Options{Seed: true})
	if err != nil {
		return err
	}
	defer upstream.close()

	var idle, idleUpstream, afterCalls, withSessions []float64
	for range cfg.Repeats {
		rss, err := idleMemoryUpstream(ctx, cfg.Binary, upstream.http.URL+"/api")
		if err != nil {
			return err
		}
		idleUpstream = append(idleUpstream, rss)

		idleRSS, callsRSS, err := stdioMemory(ctx, cfg)
		if err != nil {
			return err
		}
		idle = append(idle, idleRSS)
		afterCalls = append(afterCalls, callsRSS)

		sessionsRSS, err := sessionMemory(ctx, cfg)
		if err != nil {
			return err
		}
		withSessions = append(withSessions, sessionsRSS)
	}

	report.Rows = append(report.Rows,
		newRow("memory", "RSS idle (stdio, after initialize)", "MiB", idle, cfg.target(Below, 20)),
		newRow("memory", "RSS idle (stdio, simulator outside the server)", "MiB", idleUpstream, nil),
		newRow("memory", fmt.Sprintf("RSS after %d calls (stdio)", cfg.MemoryCalls), "MiB", afterCalls, nil),
		newRow("memory", fmt.Sprintf("RSS with %d open sessions (HTTP)", cfg.MemorySessions), "MiB", withSessions, cfg.target(Below, 150)))
	return nil
}

// stdioMemory returns the RSS after initialize and after MemoryCalls calls
// of list_models, in MiB.
func stdioMemory(ctx context.Context, cfg Config) (idle, afterCalls float64, err error) {
	server, err := startStdio(ctx, cfg.Binary)
	if err != nil {
		return 0, 0, err
	}
	defer server.stop()
	if err := server.initialize(); err != nil {
		return 0, 0, err
	}

	time.Sleep(settle)
	if idle, err = residentMegabytes(server.cmd.Process.Pid); err != nil {
		return 0, 0, err
	}
	for range cfg.MemoryCalls {
		if _, _, err := server.call(toolListModels, map[string]any{}); err != nil {
			return 0, 0, err
		}
	}
	time.Sleep(settle)
	afterCalls, err = residentMegabytes(server.cmd.Process.Pid)
	return idle, afterCalls, err
}

// sessionMemory returns the RSS of the HTTP server with MemorySessions
// initialized sessions, each of which made one call, in MiB.
func sessionMemory(ctx context.Context, cfg Config) (float64, error) {
	server, err := startHTTP(ctx, cfg.Binary)
	if err != nil {
		return 0, err
	}
	defer server.stop()

	client := newHTTPClient(16)
	defer client.CloseIdleConnections()
	sessions, err := openSessions(ctx, client, server.endpoint, cfg.MemorySessions)
	if err != nil {
		return 0, err
	}
	for _, session := range sessions {
		if _, _, err := session.call(ctx, toolListModels, map[string]any{}); err != nil {
			return 0, err
		}
	}
	time.Sleep(settle)
	return residentMegabytes(server.cmd.Process.Pid)
}

// idleMemoryUpstream returns the RSS after initialize, in MiB, of the binary
// configured for the Control Room at baseURL instead of demo mode.
func idleMemoryUpstream(ctx context.Context, binary, baseURL string) (float64, error) {
	server, err := startStdioUpstream(ctx, binary, baseURL, simulatorToken)
	if err != nil {
		return 0, err
	}
	defer server.stop()
	if err := server.initialize(); err != nil {
		return 0, err
	}
	time.Sleep(settle)
	return residentMegabytes(server.cmd.Process.Pid)
}
