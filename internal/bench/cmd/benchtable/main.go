// Command benchtable runs the rational-mcp benchmarks against a built
// binary, prints one table and writes it as JSON. `make bench` runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/bench"
)

func main() {
	binary := flag.String("bin", "bin/rational-mcp", "the rational-mcp binary to measure")
	jsonPath := flag.String("json", "", "write the report as JSON to this file")
	markdown := flag.Bool("markdown", false, "print the table as Markdown")
	smoke := flag.Bool("smoke", false, "run every measurement once with minimal counts, without targets (for CI)")
	repeats := flag.Int("repeats", 0, "measure each figure this many times (0 keeps the default: 5, or 1 with -smoke)")
	render := flag.String("render", "", "print the table of this JSON report instead of running the benchmarks")
	only := flag.String("only", "", "comma-separated measurements to run: start-up, latency, throughput, memory, tokens, scale (default all)")
	flag.Parse()

	if *render != "" {
		report, err := bench.ReadReport(*render)
		if err == nil {
			err = printReport(report, *markdown)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
		return
	}

	cfg := bench.DefaultConfig(*binary)
	if *smoke {
		cfg = bench.SmokeConfig(*binary)
	}
	if *only != "" {
		cfg.Only = strings.Split(*only, ",")
	}
	if *repeats > 0 {
		cfg.Repeats = *repeats
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	command := strings.Join(append([]string{"benchtable"}, os.Args[1:]...), " ")
	report, err := bench.Run(ctx, cfg, command, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}

	if err := printReport(report, *markdown); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if *jsonPath != "" {
		if err := report.WriteJSON(*jsonPath); err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
	}
}

func printReport(report *bench.Report, markdown bool) error {
	if markdown {
		return report.WriteMarkdown(os.Stdout)
	}
	return report.WriteTable(os.Stdout)
}
