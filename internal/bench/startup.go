package bench

import (
	"context"
	"fmt"
	"time"
)

// measureStartup times process spawn to the first response over stdio, for
// initialize and for a 2026-07-28 server/discover.
func measureStartup(ctx context.Context, cfg Config, report *Report) error {
	requests := []struct {
		name    string
		message []byte
		target  *Target
	}{
		{"spawn to initialize response", initializeRequest(1), cfg.target(Below, 15)},
		{"spawn to server/discover response", discoverRequest(1), nil},
	}

	for _, req := range requests {
		var runs []float64
		for range cfg.Repeats * cfg.Spawns {
			elapsed, err := timeStartup(ctx, cfg.Binary, req.message)
			if err != nil {
				return fmt.Errorf("%s: %w", req.name, err)
			}
			runs = append(runs, float64(elapsed.Microseconds())/1e3)
		}
		report.Rows = append(report.Rows, newRow("start-up", req.name, "ms", runs, req.target))
	}
	return nil
}

// timeStartup starts the binary, sends message and returns the time from
// before the spawn until the response line arrived.
func timeStartup(ctx context.Context, binary string, message []byte) (time.Duration, error) {
	started := time.Now()
	server, err := startStdio(ctx, binary)
	if err != nil {
		return 0, err
	}
	defer server.stop()

	line, err := server.roundTrip(message)
	elapsed := time.Since(started)
	if err != nil {
		return 0, err
	}
	if _, err := checkResponse(line); err != nil {
		return 0, err
	}
	return elapsed, nil
}
