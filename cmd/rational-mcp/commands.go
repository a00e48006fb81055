package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

const stdioUsage = `Usage: rational-mcp [stdio] [flags]

Serves MCP over stdin and stdout, one JSON-RPC message per line. Only protocol
messages are written to stdout; logs go to stderr or --log-file. The server
exits when stdin closes, after answering the requests still running.

Flags:
`

const httpUsage = `Usage: rational-mcp http [flags]

Serves MCP over streamable HTTP at http://ADDR/mcp, with a liveness probe at
/healthz. Requests from a browser Origin other than loopback or
--allowed-origins get 403. A non-loopback --addr requires a bearer token
(--auth-token-file) or --insecure-no-auth. SIGTERM or Ctrl-C stops accepting
requests and lets running ones finish for up to --shutdown-timeout.

Flags:
`

// runStdio serves MCP on stdin and stdout.
func runStdio(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	flags := newFlagSet("stdio", getenv)
	common := addCommonFlags(flags)
	metricsAddr := addStdioMetricsFlag(flags)
	if err := parseFlags(flags, args, stdioUsage, stdout); err != nil {
		return err
	}
	extras, err := stdioExtras(*metricsAddr)
	if err != nil {
		return err
	}

	mcpServer, logger, cleanup, err := buildServer(ctx, common, extras, stderr, getenv)
	if err != nil {
		return err
	}
	defer cleanup()
	if extras.metrics != nil {
		stopMetrics, err := serveMetrics(ctx, *metricsAddr, extras.metrics, logger)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	// TODO: SIGTERM cancels running calls at once here. The HTTP transport
	// instead ends get_deployment_status waits early with the current status.
	return mcpserver.ServeStdio(ctx, mcpServer, stdin, stdout, logger, 0)
}

// runHTTP serves MCP over streamable HTTP until ctx is canceled.
func runHTTP(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	flags := newFlagSet("http", getenv)
	common := addCommonFlags(flags)
	httpFlags := addHTTPFlags(flags)
	shared := addSharedFlags(flags)
	if err := parseFlags(flags, args, httpUsage, stdout); err != nil {
		return err
	}
	if err := validateAddr("addr", *httpFlags.addr); err != nil {
		return err
	}
	extras, err := shared.extras()
	if err != nil {
		return err
	}

	token, err := authToken(httpFlags)
	if err != nil {
		return err
	}

	mcpServer, logger, cleanup, err := buildServer(ctx, common, extras, stderr, getenv)
	if err != nil {
		return err
	}
	defer cleanup()

	if *httpFlags.maxSessions < 1 {
		return fmt.Errorf("invalid --max-sessions %d: use a positive number, such as %d", *httpFlags.maxSessions, mcpserver.DefaultMaxSessions)
	}
	httpServer, err := mcpserver.NewHTTPServer(mcpServer, extras.httpOptions(mcpserver.HTTPOptions{
		AuthToken:         token,
		AllowedOrigins:    splitList(*httpFlags.allowedOrigins),
		MaxBodyBytes:      *httpFlags.maxBodyBytes,
		ReadHeaderTimeout: *httpFlags.readHeaderTimeout,
		ReadTimeout:       *httpFlags.readTimeout,
		IdleTimeout:       *httpFlags.idleTimeout,
		ShutdownTimeout:   *httpFlags.shutdownTimeout,
		SessionIdleTTL:    *httpFlags.sessionIdleTTL,
		MaxSessions:       int(*httpFlags.maxSessions),
		Version:           buildVersion(),
		Logger:            logger,
	}))
	if err != nil {
		return err
	}

	listener, err := (&net.ListenConfig{}).Listen(ctx, "tcp", *httpFlags.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on --addr %s: %w", *httpFlags.addr, err)
	}
	printConnectHint(stderr, listener.Addr().String(), token != "")
	return httpServer.Serve(ctx, listener)
}

// printConnectHint tells the user where the server listens and how a client
// connects. Tests and scripts read the "MCP endpoint" line.
func printConnectHint(stderr io.Writer, addr string, withToken bool) {
	base := "http://" + addr
	fmt.Fprintf(stderr, "rational-mcp: MCP endpoint %s%s (streamable HTTP), health check %s%s\n",
		base, mcpserver.EndpointPath, base, mcpserver.HealthPath)
	if withToken {
		fmt.Fprintln(stderr, "rational-mcp: clients must send the token from --auth-token-file as \"Authorization: Bearer <token>\"")
	}
}

// authToken reads --auth-token-file and enforces that a non-loopback
// address has a token unless --insecure-no-auth is set.
func authToken(flags httpOptions) (string, error) {
	token := ""
	if path := *flags.authTokenFile; path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("cannot read --auth-token-file: %w", err)
		}
		token = strings.TrimSpace(string(data))
		if token == "" {
			return "", fmt.Errorf("--auth-token-file %s is empty; write the token into it", path)
		}
		if len(token) < 16 {
			return "", fmt.Errorf("the token in --auth-token-file %s is %d characters long; use at least 16 random characters, e.g. from 'openssl rand -hex 32'", path, len(token))
		}
	}

	if token == "" && !*flags.insecureNoAuth && !mcpserver.IsLoopbackAddr(*flags.addr) {
		return "", fmt.Errorf("--addr %s is not a loopback address, so MCP clients must authenticate: pass --auth-token-file with a token, or --insecure-no-auth to serve without one", *flags.addr)
	}
	return token, nil
}

// buildServer sets up logging, the Control Room backend and the MCP server.
// cleanup stops the backend and closes the log file.
func buildServer(ctx context.Context, common commonOptions, extras serverExtras, stderr io.Writer, getenv func(string) string) (*server.MCPServer, *slog.Logger, func(), error) {
	selection, err := common.selection()
	if err != nil {
		return nil, nil, nil, err
	}
	if err := common.checkApprovalTTL(); err != nil {
		return nil, nil, nil, err
	}
	logger, closeLog, err := newLogger(common, stderr, openLogFile)
	if err != nil {
		return nil, nil, nil, err
	}

	backend, err := extras.openBackend(ctx, common, getenv, logger)
	if err != nil {
		closeLog()
		return nil, nil, nil, err
	}
	hub, err := openHub(common.hub, backend.demo, getenv, logger)
	if err != nil {
		backend.stop()
		closeLog()
		return nil, nil, nil, err
	}
	if backend.demo && hub.offline {
		logger.Info("DEMO MODE: the Hugging Face Hub is offline, so no request leaves this machine; inspect_model reports \"could not verify\" and deploy estimates come from the catalog. Set HF_ENDPOINT or --hub-endpoint to use a Hub")
	}
	guarded, err := mcpguard.Start(extras.guardSettings(common.guardSettings()), backend.api, hub.estimator, logger)
	if err != nil {
		backend.stop()
		closeLog()
		return nil, nil, nil, err
	}
	cleanup := func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := guarded.Close(closeCtx); err != nil {
			logger.Error("guard shutdown failed", "err", err)
		}
		backend.stop()
		closeLog()
	}

	services := hub.services
	if extras.stopping != nil {
		services.Stopping = extras.stopping
	}
	mcpServer, err := mcpserver.New(mcpserver.Options{
		API:          backend.api,
		Services:     services,
		Selection:    selection,
		Middleware:   extras.middleware(guarded.Adapter.Middleware()),
		DecorateTool: guarded.Adapter.DecorateTool,
		Instructions: joinInstructions(mcpserver.DefaultInstructions(backend.demo), guarded.Adapter.Instructions()),
		Version:      buildVersion(),
		Logger:       logger,
	})
	if err != nil {
		cleanup()
		return nil, nil, nil, err
	}
	logger.Info("rational-mcp ready", "version", buildVersion(), "demo", backend.demo,
		"toolsets", *common.toolsets, "read_only", selection.ReadOnly,
		"hub_endpoint", hub.endpoint, "hub_offline", hub.offline, "hub_strict", hub.services.HubStrict)
	return mcpServer, logger, cleanup, nil
}

// joinInstructions joins the non-empty paragraphs of the server
// instructions.
func joinInstructions(paragraphs ...string) string {
	var kept []string
	for _, paragraph := range paragraphs {
		if paragraph != "" {
			kept = append(kept, paragraph)
		}
	}
	return strings.Join(kept, "\n\n")
}

func openLogFile(path string) (io.WriteCloser, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
}

// runSimulator runs the Control Room simulator alone.
func runSimulator(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return simulator.RunCommand(ctx, args, stdout, stderr)
}
