package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// backend is the Control Room that the tools call, and how to stop it.
type backend struct {
	api  controlroom.API
	demo bool
	stop func()
}

// openBackend connects to the Control Room configured in the environment, or
// with demo set starts the embedded simulator on a loopback port. onRetry,
// when set, is called before each retried Control Room request.
func openBackend(ctx context.Context, demo bool, callTimeout time.Duration, getenv func(string) string, logger *slog.Logger, onRetry func(string, int, error)) (*backend, error) {
	if demo {
		return startDemo(ctx, callTimeout, logger, onRetry)
	}

	cfg, err := controlroom.ConfigFromEnv(getenv)
	if errors.Is(err, controlroom.ErrNotConfigured) {
		return nil, fmt.Errorf("%w\nset %s (or %s) and %s to use a real Control Room, or run with --demo to try the embedded simulator",
			err, controlroom.EnvBaseURL, controlroom.EnvTenant, controlroom.EnvToken)
	}
	if err != nil {
		return nil, err
	}
	cfg.Logger = logger.With("component", "controlroom")
	cfg.CallTimeout = callTimeout
	cfg.OnRetry = onRetry
	client, err := controlroom.New(cfg)
	if err != nil {
		return nil, err
	}
	logger.Info("using the Control Room", "base_url", cfg.BaseURL)
	return &backend{api: client, stop: func() {}}, nil
}

// startDemo serves a seeded simulator on 127.0.0.1 with a random token and
// returns a real client pointed at it.
func startDemo(ctx context.Context, callTimeout time.Duration, logger *slog.Logger, onRetry func(string, int, error)) (*backend, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("generate the demo token: %w", err)
	}
	token := hex.EncodeToString(secret)

	sim := simulator.New(simulator.Options{
		Token:   token,
		Timings: simulator.DemoTimings(),
		Seed:    true,
		Logger:  logger.With("component", "simulator"),
	})
	listener, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the demo simulator on 127.0.0.1: %w", err)
	}
	httpServer := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := httpServer.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("demo simulator stopped", "error", err)
		}
	}()

	baseURL := "http://" + listener.Addr().String() + "/api"
	client, err := controlroom.New(controlroom.Config{
		BaseURL:     baseURL,
		Token:       token,
		Logger:      logger.With("component", "controlroom"),
		CallTimeout: callTimeout,
		OnRetry:     onRetry,
	})
	if err != nil {
		_ = httpServer.Close()
		return nil, fmt.Errorf("connect to the demo simulator: %w", err)
	}

	logger.Warn("DEMO MODE: using the embedded Control Room simulator; nothing runs on real GPUs and all changes are lost on exit",
		"simulator_url", baseURL)
	stop := func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = httpServer.Shutdown(shutdownCtx)
	}
	return &backend{api: client, demo: true, stop: stop}, nil
}
