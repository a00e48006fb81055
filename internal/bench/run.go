package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Config sets how much work each measurement does. Every count bounds the
// run. DefaultConfig took about three minutes on two shared cores.
type Config struct {
	// Binary is the built rational-mcp binary. Required.
	Binary string `json:"binary"`
	// Repeats is how many times each figure is measured.
	Repeats int `json:"repeats"`
	// Spawns is the number of process starts per start-up repeat.
	Spawns int `json:"spawns"`
	// Calls is the number of timed tools/call per latency repeat.
	Calls int `json:"calls"`
	// Warmup is the number of untimed calls before each latency repeat.
	Warmup int `json:"warmup"`
	// Concurrency lists the numbers of concurrent HTTP sessions of the
	// throughput figure.
	Concurrency []int `json:"concurrency"`
	// LoadDuration and LoadMaxCalls bound each throughput repeat.
	LoadDuration time.Duration `json:"loadDurationNanoseconds"`
	LoadMaxCalls int           `json:"loadMaxCalls"`
	// MemoryCalls is the number of calls before the "after calls" RSS.
	MemoryCalls int `json:"memoryCalls"`
	// MemorySessions is the number of open HTTP sessions of the last RSS
	// figure.
	MemorySessions int `json:"memorySessions"`
	// TokenModels is the number of models in the list_models reply whose
	// size is measured.
	TokenModels int `json:"tokenModels"`
	// CatalogSizes are the simulator catalog sizes of the scale figure.
	CatalogSizes []int `json:"catalogSizes"`
	// ScaleCalls is the number of list_models calls per scale repeat.
	ScaleCalls int `json:"scaleCalls"`
	// Only, when not empty, names the measurements to run (start-up,
	// latency, throughput, memory, tokens, scale); empty runs them all.
	Only []string `json:"only,omitempty"`
	// Targets turns the pass/miss column on. Smoke runs leave it off,
	// because their counts are too small to compare.
	Targets bool `json:"targets"`
}

// DefaultConfig returns the counts of `make bench`.
func DefaultConfig(binary string) Config {
	return Config{
		Binary:         binary,
		Repeats:        5,
		Spawns:         10,
		Calls:          1000,
		Warmup:         100,
		Concurrency:    []int{1, 16, 64, 256},
		LoadDuration:   3 * time.Second,
		LoadMaxCalls:   100_000,
		MemoryCalls:    10_000,
		MemorySessions: 1000,
		TokenModels:    50,
		CatalogSizes:   []int{100, 1000, 10_000},
		ScaleCalls:     5,
		Targets:        true,
	}
}

// SmokeConfig returns minimal counts that run every measurement once, so CI
// notices when the harness breaks.
func SmokeConfig(binary string) Config {
	return Config{
		Binary:         binary,
		Repeats:        1,
		Spawns:         1,
		Calls:          5,
		Warmup:         1,
		Concurrency:    []int{1, 4},
		LoadDuration:   100 * time.Millisecond,
		LoadMaxCalls:   50,
		MemoryCalls:    20,
		MemorySessions: 5,
		TokenModels:    50,
		CatalogSizes:   []int{100},
		ScaleCalls:     1,
	}
}

// measurement adds rows to the report.
type measurement struct {
	name string
	run  func(ctx context.Context, cfg Config, report *Report) error
}

var measurements = []measurement{
	{"start-up", measureStartup},
	{"latency", measureLatency},
	{"throughput", measureThroughput},
	{"memory", measureMemory},
	{"tokens", measureTokens},
	{"scale", measureScale},
}

// Run runs every measurement in order and returns the report. progress
// receives one line per measurement; nil discards them.
func Run(ctx context.Context, cfg Config, command string, progress io.Writer) (*Report, error) {
	if progress == nil {
		progress = io.Discard
	}
	if _, err := os.Stat(cfg.Binary); err != nil {
		return nil, fmt.Errorf("binary %s: %w; build it with make build", cfg.Binary, err)
	}
	// The in-process simulator and client log nothing; the default logger
	// is quieted for libraries that write to it.
	slog.SetDefault(slog.New(slog.DiscardHandler))

	started := time.Now()
	report := &Report{Environment: environment(cfg.Binary, command), Config: cfg}
	for _, m := range measurements {
		if len(cfg.Only) > 0 && !slices.Contains(cfg.Only, m.name) {
			continue
		}
		fmt.Fprintf(progress, "bench: %s...\n", m.name)
		stepStarted := time.Now()
		if err := m.run(ctx, cfg, report); err != nil {
			return report, fmt.Errorf("%s: %w", m.name, err)
		}
		fmt.Fprintf(progress, "bench: %s done in %s\n", m.name, time.Since(stepStarted).Round(time.Millisecond))
	}
	report.Elapsed = time.Since(started)
	return report, nil
}

// target returns a target when cfg compares figures to targets.
func (cfg Config) target(comparison Comparison, value float64) *Target {
	if !cfg.Targets {
		return nil
	}
	return &Target{Comparison: comparison, Value: value}
}

func environment(binary, command string) Environment {
	env := Environment{
		Date:      time.Now().UTC(),
		GoVersion: runtime.Version(),
		CPUs:      runtime.NumCPU(),
		Binary:    binary,
		Command:   command,
	}
	if output, err := exec.Command(binary, "version").Output(); err == nil {
		env.BinaryVersion, _, _ = strings.Cut(strings.TrimSpace(string(output)), "\n")
	}
	if cpuinfo, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(cpuinfo), "\n") {
			if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
				env.CPUModel = strings.TrimSpace(value)
				break
			}
		}
	}
	if meminfo, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.SplitSeq(string(meminfo), "\n") {
			if value, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				env.MemTotal = strings.TrimSpace(value)
				break
			}
		}
	}
	if loadavg, err := os.ReadFile("/proc/loadavg"); err == nil {
		if fields := strings.Fields(string(loadavg)); len(fields) > 0 {
			env.Load1 = fields[0]
		}
	}
	return env
}
