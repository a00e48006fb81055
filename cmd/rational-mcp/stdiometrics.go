package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/metrics"
)

func addStdioMetricsFlag(flags *flagSet) *string {
	return flags.stringFlag("metrics-addr", "",
		"serve Prometheus metrics at http://ADDR/metrics, on a loopback address only, e.g. 127.0.0.1:9464; empty serves none")
}

// stdioExtras returns the extras of the stdio command: metrics when
// --metrics-addr is set. The address must be loopback, because the
// metrics endpoint has no authentication in stdio mode.
func stdioExtras(metricsAddr string) (serverExtras, error) {
	if metricsAddr == "" {
		return serverExtras{}, nil
	}
	if !mcpserver.IsLoopbackAddr(metricsAddr) {
		return serverExtras{}, fmt.Errorf("--metrics-addr %s is not a loopback address: in stdio mode the metrics have no authentication, so use 127.0.0.1:PORT or [::1]:PORT", metricsAddr)
	}
	return serverExtras{metrics: metrics.New()}, nil
}

// serveMetrics serves m at MetricsPath on addr until the returned stop
// function is called.
func serveMetrics(ctx context.Context, addr string, m *metrics.Metrics, logger *slog.Logger) (stop func(), err error) {
	listener, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on --metrics-addr %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle(mcpserver.MetricsPath, m.Handler())
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	go func() {
		if err := server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics server stopped", "addr", addr, "err", err)
		}
	}()
	logger.Info("serving Prometheus metrics", "url", "http://"+listener.Addr().String()+mcpserver.MetricsPath)

	return func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdownCtx)
	}, nil
}
