package tools

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

const simulatorToken = "tools-test-token-4c1f"

// testTimings are the simulated lifecycle phases, 100 s in all, driven by
// a manual clock.
var testTimings = simulator.Timings{
	Scheduling:     10 * time.Second,
	PullingWeights: 60 * time.Second,
	Loading:        30 * time.Second,
}

// toolEnv is a real Control Room client on the simulator over HTTP and a
// real Hub client on the hubtest fixtures, both on 127.0.0.1.
type toolEnv struct {
	sim      *simulator.Simulator
	clock    *simulator.ManualClock
	api      controlroom.API
	hub      *hubtest.Server
	services Services
}

type envConfig struct {
	gpus     int
	seed     bool
	hubToken string
}

func newToolEnv(t *testing.T, cfg envConfig) *toolEnv {
	t.Helper()
	clock := simulator.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	sim := simulator.New(simulator.Options{Token: simulatorToken, Clock: clock, Timings: testTimings, Seed: cfg.seed, GPUs: cfg.gpus})
	simServer := httptest.NewServer(sim)
	t.Cleanup(simServer.Close)

	api, err := controlroom.New(controlroom.Config{BaseURL: simServer.URL + "/api", Token: simulatorToken})
	require.NoError(t, err)

	hub := hubtest.New(t, hubtest.FixtureDir(t))
	client, err := hfhub.New(hfhub.Options{Endpoint: hub.URL, Token: cfg.hubToken, Logger: slog.New(slog.DiscardHandler), CacheTTL: -1, NegativeCacheTTL: -1})
	require.NoError(t, err)

	return &toolEnv{
		sim:   sim,
		clock: clock,
		api:   api,
		hub:   hub,
		services: Services{
			Hub: client,
			// Sleeping advances the simulated time, so a wait covers the
			// lifecycle without real delays.
			Sleep: func(ctx context.Context, d time.Duration) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				clock.Advance(d)
				return nil
			},
			Now: clock.Now,
		},
	}
}

// call runs the tool called name with args through its registry entry, as
// the MCP adapter does.
func (e *toolEnv) call(t *testing.T, ctx context.Context, name string, args map[string]any) (any, error) {
	t.Helper()
	tool, ok := Lookup(name)
	require.True(t, ok, name)
	encoded, err := json.Marshal(args)
	require.NoError(t, err)
	return tool.Handle(WithServices(ctx, e.services), e.api, encoded)
}

// progressRecorder is a ProgressReporter that keeps every report.
type progressRecorder struct {
	mu      sync.Mutex
	reports []progressReport
	// onReport, when set, runs after each report is stored.
	onReport func()
}

type progressReport struct {
	progress, total float64
	message         string
}

func (r *progressRecorder) ReportProgress(_ context.Context, progress, total float64, message string) {
	r.mu.Lock()
	r.reports = append(r.reports, progressReport{progress, total, message})
	r.mu.Unlock()
	if r.onReport != nil {
		r.onReport()
	}
}

func (r *progressRecorder) all() []progressReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]progressReport(nil), r.reports...)
}
