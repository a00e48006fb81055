package bench

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// scaleFilters are the list_models filters of the scale figure. The text
// matches one generated model in a hundred, so the tool has to scan far;
// the type matches one in four, so it fills a page early and stops.
var scaleFilters = []struct {
	name      string
	arguments map[string]any
}{
	{"text 1%", map[string]any{"text": "synthetic-org-7/"}},
	{"type 25%", map[string]any{"type": "gguf"}},
}

// measureScale calls list_models with a filter over in-process simulator
// catalogs of each size and reports the upstream page requests, the time
// and the bytes allocated per call. Allocations include the simulator's
// work for those pages, because it runs in the same process.
func measureScale(ctx context.Context, cfg Config, report *Report) error {
	for _, size := range cfg.CatalogSizes {
		catalog, err := newInProcess(simulator.Options{SyntheticModels: size})
		if err != nil {
			return err
		}
		for _, filter := range scaleFilters {
			var upstream, millis, allocated []float64
			for range cfg.Repeats {
				requests, elapsed, bytes, err := scaleRun(ctx, catalog, filter.arguments, cfg.ScaleCalls)
				if err != nil {
					catalog.close()
					return fmt.Errorf("%d models, %s: %w", size, filter.name, err)
				}
				upstream = append(upstream, requests)
				millis = append(millis, elapsed)
				allocated = append(allocated, bytes)
			}
			name := fmt.Sprintf("%d models, %s", size, filter.name)
			report.Rows = append(report.Rows,
				newRow("scale", name+": upstream pages per call", "requests", upstream, nil),
				newRow("scale", name+": time per call", "ms", millis, nil),
				newRow("scale", name+": allocated per call", "MiB", allocated, nil))
		}
		catalog.close()
	}
	return nil
}

// scaleRun makes calls calls with arguments and returns per call the
// upstream list requests, the milliseconds and the MiB allocated.
func scaleRun(ctx context.Context, catalog *inProcess, arguments map[string]any, calls int) (requests, millis, mebibytes float64, err error) {
	before := catalog.sim.Stats().Requests[simulator.EndpointListModels]
	var memBefore, memAfter runtime.MemStats
	runtime.ReadMemStats(&memBefore)
	started := time.Now()

	for range calls {
		if _, err := catalog.call(ctx, toolListModels, arguments); err != nil {
			return 0, 0, 0, err
		}
	}

	elapsed := time.Since(started)
	runtime.ReadMemStats(&memAfter)
	after := catalog.sim.Stats().Requests[simulator.EndpointListModels]
	perCall := float64(calls)
	requests = float64(after-before) / perCall
	millis = float64(elapsed.Microseconds()) / 1e3 / perCall
	mebibytes = float64(memAfter.TotalAlloc-memBefore.TotalAlloc) / (1 << 20) / perCall
	return requests, millis, mebibytes, nil
}
