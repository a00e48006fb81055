package bench

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// The two read tools whose latency is measured, and the upstream request
// each one sends: list_models without a filter reads one catalog page of
// 20, get_deployment_status reads one deployment.
const (
	toolListModels    = "list_models"
	toolGetStatus     = "get_deployment_status"
	listModelsSize    = 20
	upstreamTransport = "simulator"
	// pingMethod is the series of ping requests, the transport's floor.
	pingMethod = "ping"
)

// latencyRuns holds the p50 and p99 of every repeat of one series.
type latencyRuns struct {
	p50, p99 []float64
}

func (l *latencyRuns) add(durations []time.Duration) {
	summary := summarize(durations)
	l.p50 = append(l.p50, summary.p50)
	l.p99 = append(l.p99, summary.p99)
}

// measureLatency times tools/call of list_models and get_deployment_status
// over stdio and streamable HTTP, and the Control Room client's own
// requests to a simulator, so that the server's share can be read off.
func measureLatency(ctx context.Context, cfg Config, report *Report) error {
	upstream, err := newInProcess(simulator.Options{Seed: true})
	if err != nil {
		return err
	}
	defer upstream.close()
	deploymentID, err := upstream.readyDeploymentID(ctx)
	if err != nil {
		return err
	}
	arguments := map[string]map[string]any{
		toolListModels: {},
		toolGetStatus:  {"deploymentId": deploymentID},
	}

	httpServer, err := startHTTP(ctx, cfg.Binary)
	if err != nil {
		return err
	}
	defer httpServer.stop()
	client := newHTTPClient(1)

	series := map[string]*latencyRuns{}
	runs := func(transport, tool string) *latencyRuns {
		key := transport + " " + tool
		if series[key] == nil {
			series[key] = &latencyRuns{}
		}
		return series[key]
	}
	tools := []string{toolListModels, toolGetStatus}
	cpuPerCall := map[string][]float64{}

	for range cfg.Repeats {
		recordCPU := func(tool string, perCall time.Duration) {
			cpuPerCall[tool] = append(cpuPerCall[tool], float64(perCall.Nanoseconds())/1e3)
		}
		if err := latencyOverStdio(ctx, cfg, tools, arguments, func(tool string, d []time.Duration) { runs("stdio", tool).add(d) }, recordCPU); err != nil {
			return fmt.Errorf("stdio: %w", err)
		}
		if err := latencyOverHTTP(ctx, cfg, client, httpServer.endpoint, tools, arguments, func(tool string, d []time.Duration) { runs("HTTP", tool).add(d) }); err != nil {
			return fmt.Errorf("streamable HTTP: %w", err)
		}
		if err := latencyUpstream(ctx, cfg, upstream, deploymentID, func(tool string, d []time.Duration) { runs(upstreamTransport, tool).add(d) }); err != nil {
			return fmt.Errorf("simulator: %w", err)
		}
	}

	ping := runs("stdio", pingMethod)
	report.Rows = append(report.Rows,
		newRow("per-call", "stdio ping (transport floor) p50", "µs", ping.p50, nil),
		newRow("per-call", "stdio ping (transport floor) p99", "µs", ping.p99, nil))
	for _, tool := range tools {
		for _, transport := range []string{"stdio", "HTTP", upstreamTransport} {
			label := transport + " " + tool
			if transport == upstreamTransport {
				label = "simulator alone, request of " + tool
			}
			r := runs(transport, tool)
			report.Rows = append(report.Rows,
				newRow("per-call", label+" p50", "µs", r.p50, nil),
				newRow("per-call", label+" p99", "µs", r.p99, nil))
		}
	}

	// CPU time is counted in ticks of 10 ms, so Calls has to be large for a
	// precise figure; smoke runs get a rough one.
	for _, tool := range tools {
		report.Rows = append(report.Rows, newRow("overhead", "server process CPU per call, stdio "+tool, "µs", cpuPerCall[tool], nil))
	}

	// The server's share is the tools/call latency minus the latency of the
	// upstream request it sends, repeat by repeat.
	for _, tool := range tools {
		base := runs(upstreamTransport, tool)
		for _, transport := range []string{"stdio", "HTTP"} {
			r := runs(transport, tool)
			var p50Target, p99Target *Target
			if transport == "stdio" {
				p50Target, p99Target = cfg.target(Below, 100), cfg.target(Below, 1000)
			}
			report.Rows = append(report.Rows,
				newRow("overhead", "server share "+transport+" "+tool+" p50", "µs", subtract(r.p50, base.p50), p50Target),
				newRow("overhead", "server share "+transport+" "+tool+" p99", "µs", subtract(r.p99, base.p99), p99Target))
		}
	}
	return nil
}

func subtract(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

func latencyOverStdio(ctx context.Context, cfg Config, tools []string, arguments map[string]map[string]any, record func(string, []time.Duration), recordCPU func(string, time.Duration)) error {
	server, err := startStdio(ctx, cfg.Binary)
	if err != nil {
		return err
	}
	defer server.stop()
	if err := server.initialize(); err != nil {
		return err
	}

	pings := make([]time.Duration, 0, cfg.Calls)
	for i := range cfg.Warmup + cfg.Calls {
		elapsed, err := server.ping()
		if err != nil {
			return err
		}
		if i >= cfg.Warmup {
			pings = append(pings, elapsed)
		}
	}
	record(pingMethod, pings)

	for _, tool := range tools {
		for range cfg.Warmup {
			if _, _, err := server.call(tool, arguments[tool]); err != nil {
				return err
			}
		}
		cpuBefore, err := processCPU(server.cmd.Process.Pid)
		if err != nil {
			return err
		}
		durations := make([]time.Duration, 0, cfg.Calls)
		for range cfg.Calls {
			elapsed, _, err := server.call(tool, arguments[tool])
			if err != nil {
				return err
			}
			durations = append(durations, elapsed)
		}
		cpuAfter, err := processCPU(server.cmd.Process.Pid)
		if err != nil {
			return err
		}
		record(tool, durations)
		recordCPU(tool, (cpuAfter-cpuBefore)/time.Duration(cfg.Calls))
	}
	return nil
}

func latencyOverHTTP(ctx context.Context, cfg Config, client *http.Client, endpoint string, tools []string, arguments map[string]map[string]any, record func(string, []time.Duration)) error {
	session, err := openSession(ctx, client, endpoint)
	if err != nil {
		return err
	}
	defer func() { _ = session.close(ctx) }()

	for _, tool := range tools {
		durations := make([]time.Duration, 0, cfg.Calls)
		for i := range cfg.Warmup + cfg.Calls {
			elapsed, _, err := session.call(ctx, tool, arguments[tool])
			if err != nil {
				return err
			}
			if i >= cfg.Warmup {
				durations = append(durations, elapsed)
			}
		}
		record(tool, durations)
	}
	return nil
}

func latencyUpstream(ctx context.Context, cfg Config, upstream *inProcess, deploymentID string, record func(string, []time.Duration)) error {
	requests := map[string]func() error{
		toolListModels: func() error {
			_, err := upstream.api.ListModels(ctx, 0, listModelsSize)
			return err
		},
		toolGetStatus: func() error {
			_, err := upstream.api.GetDeploymentStatus(ctx, deploymentID)
			return err
		},
	}
	for _, tool := range []string{toolListModels, toolGetStatus} {
		if _, err := timeUpstream(cfg.Warmup, requests[tool]); err != nil {
			return err
		}
		durations, err := timeUpstream(cfg.Calls, requests[tool])
		if err != nil {
			return err
		}
		record(tool, durations)
	}
	return nil
}
