package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// throughputTool is the call of the load generator: an agent waiting for a
// deployment polls get_deployment_status, the most repeated call of the
// deploy workflow.
const throughputTool = toolGetStatus

// throughputSessions is the session count whose throughput has a target.
const throughputSessions = 64

// measureThroughput runs the load generator against the HTTP server at each
// concurrency level: that many sessions call in a closed loop until the
// duration or the call budget runs out.
func measureThroughput(ctx context.Context, cfg Config, report *Report) error {
	seeded, err := newInProcess(simulator.Options{Seed: true})
	if err != nil {
		return err
	}
	deploymentID, err := seeded.readyDeploymentID(ctx)
	seeded.close()
	if err != nil {
		return err
	}
	arguments := map[string]any{"deploymentId": deploymentID}

	httpServer, err := startHTTP(ctx, cfg.Binary)
	if err != nil {
		return err
	}
	err = loadLevels(ctx, cfg, httpServer, arguments, cfg.Concurrency, "", report)
	httpServer.stop()
	if err != nil {
		return err
	}
	return loadUpstream(ctx, cfg, report)
}

// loadUpstream repeats the targeted level with the simulator in this
// process instead of the server's, so that the server process's CPU per
// call is the server's alone, as against a real Control Room.
func loadUpstream(ctx context.Context, cfg Config, report *Report) error {
	upstream, err := newInProcess(simulator.Options{Seed: true})
	if err != nil {
		return err
	}
	defer upstream.close()
	deploymentID, err := upstream.readyDeploymentID(ctx)
	if err != nil {
		return err
	}

	httpServer, err := startHTTPUpstream(ctx, cfg.Binary, upstream.http.URL+"/api", simulatorToken)
	if err != nil {
		return err
	}
	defer httpServer.stop()

	levels := []int{slices.Max(cfg.Concurrency)}
	if slices.Contains(cfg.Concurrency, throughputSessions) {
		levels = []int{throughputSessions}
	}
	return loadLevels(ctx, cfg, httpServer, map[string]any{"deploymentId": deploymentID}, levels, ", simulator outside the server", report)
}

// loadLevels runs the load at each level and adds its rows; suffix tells
// the setups apart.
func loadLevels(ctx context.Context, cfg Config, httpServer *httpServerProcess, arguments map[string]any, levels []int, suffix string, report *Report) error {
	for _, sessions := range levels {
		var rates, failures, serverCPU, generatorCPU []float64
		note := ""
		for range cfg.Repeats {
			result, err := runLoad(ctx, httpServer, sessions, cfg.LoadDuration, cfg.LoadMaxCalls, arguments)
			if err != nil {
				return fmt.Errorf("%d sessions: %w", sessions, err)
			}
			rates = append(rates, result.rate())
			failures = append(failures, float64(result.errors))
			serverCPU = append(serverCPU, result.serverCPUPerCall)
			generatorCPU = append(generatorCPU, result.generatorCPUPerCall)
			if result.firstErr != nil && note == "" {
				note = "first error: " + result.firstErr.Error()
			}
		}

		var rateTarget, errorTarget *Target
		if sessions == throughputSessions && suffix == "" {
			rateTarget, errorTarget = cfg.target(AtLeast, 5000), cfg.target(Below, 1)
		}
		name := fmt.Sprintf("%d sessions%s", sessions, suffix)
		errorRow := newRow("throughput", name+" errors", "calls", failures, errorTarget)
		errorRow.Note = note
		report.Rows = append(report.Rows,
			newRow("throughput", name+" HTTP "+throughputTool, "calls/s", rates, rateTarget), errorRow,
			newRow("throughput", name+" server process CPU per call", "µs", serverCPU, nil),
			newRow("throughput", name+" load generator CPU per call", "µs", generatorCPU, nil))
	}
	return nil
}

// loadResult counts one load run.
type loadResult struct {
	completed int64
	errors    int64
	elapsed   time.Duration
	firstErr  error
	// serverCPUPerCall and generatorCPUPerCall are the CPU microseconds
	// that the server process and this process spent per completed call.
	serverCPUPerCall    float64
	generatorCPUPerCall float64
}

func (r loadResult) rate() float64 {
	return float64(r.completed) / r.elapsed.Seconds()
}

// runLoad opens sessions sessions and has each call tool in a loop until
// duration passes or maxCalls calls were started, then closes them.
func runLoad(ctx context.Context, server *httpServerProcess, sessions int, duration time.Duration, maxCalls int, arguments map[string]any) (loadResult, error) {
	client := newHTTPClient(sessions)
	defer client.CloseIdleConnections()

	opened, err := openSessions(ctx, client, server.endpoint, sessions)
	defer closeSessions(ctx, opened)
	if err != nil {
		return loadResult{}, err
	}

	var started, completed, failed atomic.Int64
	var firstErr atomic.Pointer[error]
	serverBefore, err := processCPU(server.cmd.Process.Pid)
	if err != nil {
		return loadResult{}, err
	}
	generatorBefore, err := processCPU(os.Getpid())
	if err != nil {
		return loadResult{}, err
	}
	deadline := time.Now().Add(duration)
	begin := time.Now()

	var wg sync.WaitGroup
	for _, session := range opened {
		wg.Go(func() {
			for time.Now().Before(deadline) && started.Add(1) <= int64(maxCalls) {
				if _, _, err := session.call(ctx, throughputTool, arguments); err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, &err)
					continue
				}
				completed.Add(1)
			}
		})
	}
	wg.Wait()

	result := loadResult{completed: completed.Load(), errors: failed.Load(), elapsed: time.Since(begin)}
	serverAfter, err := processCPU(server.cmd.Process.Pid)
	if err != nil {
		return loadResult{}, err
	}
	generatorAfter, err := processCPU(os.Getpid())
	if err != nil {
		return loadResult{}, err
	}
	if result.completed > 0 {
		perCall := float64(result.completed) * 1e3
		result.serverCPUPerCall = float64((serverAfter - serverBefore).Nanoseconds()) / perCall
		result.generatorCPUPerCall = float64((generatorAfter - generatorBefore).Nanoseconds()) / perCall
	}
	if errPointer := firstErr.Load(); errPointer != nil {
		result.firstErr = *errPointer
	}
	return result, nil
}

// openSessions opens count sessions, 16 at a time.
func openSessions(ctx context.Context, client *http.Client, endpoint string, count int) ([]*httpSession, error) {
	sessions := make([]*httpSession, count)
	errs := make([]error, count)
	limit := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i := range count {
		limit <- struct{}{}
		wg.Go(func() {
			defer func() { <-limit }()
			sessions[i], errs[i] = openSession(ctx, client, endpoint)
		})
	}
	wg.Wait()

	var opened []*httpSession
	for i, session := range sessions {
		if errs[i] != nil {
			return opened, fmt.Errorf("open session %d of %d: %w", i+1, count, errs[i])
		}
		opened = append(opened, session)
	}
	return opened, nil
}

func closeSessions(ctx context.Context, sessions []*httpSession) {
	for _, session := range sessions {
		_ = session.close(ctx)
	}
}
