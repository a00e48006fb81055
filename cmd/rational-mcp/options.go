package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/tools"
)

// commonOptions are the flags of both transports.
type commonOptions struct {
	demo        *bool
	toolsets    *string
	readOnly    *bool
	logLevel    *string
	logFile     *string
	callTimeout *time.Duration
	guard       guardOptions
	hub         hubOptions
}

// guardOptions are the flags of the guard layer.
type guardOptions struct {
	confirmation *string
	policy       *string
	auditLog     *string
	stateKeyFile *string
	approvalTTL  *time.Duration
	approvalLink *string
	opener       *string
}

func addCommonFlags(flags *flagSet) commonOptions {
	return commonOptions{
		demo:        flags.boolFlag("demo", false, "use the embedded Control Room simulator (seeded catalog, deployments ready in about 12 seconds) instead of a real tenant"),
		toolsets:    flags.stringFlag("toolsets", "models,deployments", "comma-separated toolsets to expose: models, deployments"),
		readOnly:    flags.boolFlag("read-only", false, "expose only read-only tools; overrides --toolsets for every tool that changes anything"),
		logLevel:    flags.stringFlag("log-level", "info", "log level: debug, info, warn or error"),
		logFile:     flags.stringFlag("log-file", "", "append logs to this file instead of stderr"),
		callTimeout: flags.durationFlag("call-timeout", controlroom.DefaultCallTimeout, "time budget of one Control Room call, retries included"),
		guard: guardOptions{
			confirmation: flags.stringFlag("confirmation", "auto", "how a user approves deploys, pauses, cancels and deletes: auto (in the client when it supports elicitation, else on a loopback approval page), elicitation, approval-page or deny (only the policy file approves)"),
			policy:       flags.stringFlag("policy", "", "operator policy file (YAML or JSON): rules per effect or tool and deploy pre-approvals"),
			auditLog:     flags.stringFlag("audit-log", "", "append one JSON line per changing or refused tool call to this file (mode 0600)"),
			stateKeyFile: flags.stringFlag("state-key-file", "", "file with a hex or base64 HMAC key of at least 32 bytes for approval states, shared by replicas; default: a random key per process"),
			approvalTTL:  flags.durationFlag("approval-ttl", guard.DefaultApprovalTTL, "how long an approval link stays valid, at most "+guard.MaxApprovalTTL.String()),
			approvalLink: flags.stringFlag("approval-link", mcpguard.LinkInResult, "how an approval page link reaches the user: result (in the tool result, so the agent sees it and could approve by itself), browser (the server opens it with --approval-opener; the agent gets only the approval id) or log (written only to the server's log)"),
			opener:       flags.stringFlag("approval-opener", "", "command that opens a URL in the user's browser for --approval-link browser, given the URL as its last argument; default: xdg-open, open on macOS"),
		},
		hub: addHubFlags(flags),
	}
}

// guardSettings returns the guard settings that the flags ask for.
func (o commonOptions) guardSettings() mcpguard.Settings {
	return mcpguard.Settings{
		Confirmation: *o.guard.confirmation,
		PolicyFile:   *o.guard.policy,
		AuditLogFile: *o.guard.auditLog,
		StateKeyFile: *o.guard.stateKeyFile,
		ApprovalTTL:  *o.guard.approvalTTL,
		ReadOnly:     *o.readOnly,

		ApprovalLink:   *o.guard.approvalLink,
		ApprovalOpener: *o.guard.opener,
	}
}

// checkApprovalTTL rejects an --approval-ttl that is not positive or longer
// than guard.MaxApprovalTTL.
func (o commonOptions) checkApprovalTTL() error {
	ttl := *o.guard.approvalTTL
	if ttl <= 0 || ttl > guard.MaxApprovalTTL {
		return fmt.Errorf("invalid --approval-ttl %s: use a positive duration of at most %s, such as %s",
			ttl, guard.MaxApprovalTTL, guard.DefaultApprovalTTL)
	}
	return nil
}

// selection returns the tool selection that the flags ask for.
func (o commonOptions) selection() (tools.Selection, error) {
	toolsets, err := tools.ParseToolsets(*o.toolsets)
	if err != nil {
		return tools.Selection{}, fmt.Errorf("invalid --toolsets: %w", err)
	}
	return tools.Selection{Toolsets: toolsets, ReadOnly: *o.readOnly}, nil
}

// httpOptions are the flags of the http subcommand.
type httpOptions struct {
	addr              *string
	authTokenFile     *string
	insecureNoAuth    *bool
	allowedOrigins    *string
	maxBodyBytes      *int64
	readHeaderTimeout *time.Duration
	readTimeout       *time.Duration
	idleTimeout       *time.Duration
	shutdownTimeout   *time.Duration
	sessionIdleTTL    *time.Duration
	maxSessions       *int64
}

func addHTTPFlags(flags *flagSet) httpOptions {
	return httpOptions{
		addr:              flags.stringFlag("addr", "127.0.0.1:8787", "TCP address to listen on, host:port; a non-loopback host requires --auth-token-file or --insecure-no-auth"),
		authTokenFile:     flags.stringFlag("auth-token-file", "", "file containing the bearer token that MCP clients must send"),
		insecureNoAuth:    flags.boolFlag("insecure-no-auth", false, "allow a non-loopback --addr without a bearer token"),
		allowedOrigins:    flags.stringFlag("allowed-origins", "", "comma-separated browser origins allowed besides loopback ones, e.g. https://app.example.com"),
		maxBodyBytes:      flags.int64Flag("max-body-bytes", mcpserver.DefaultMaxBodyBytes, "maximum request body size in bytes"),
		readHeaderTimeout: flags.durationFlag("read-header-timeout", mcpserver.DefaultReadHeaderTimeout, "time limit for reading one request's headers; a slower client is disconnected"),
		readTimeout:       flags.durationFlag("read-timeout", mcpserver.DefaultReadTimeout, "time limit for reading one request, body included"),
		idleTimeout:       flags.durationFlag("idle-timeout", mcpserver.DefaultIdleTimeout, "how long an idle keep-alive connection stays open"),
		shutdownTimeout:   flags.durationFlag("shutdown-timeout", mcpserver.DefaultShutdownTimeout, "how long running requests may take to finish after SIGTERM"),
		sessionIdleTTL:    flags.durationFlag("session-idle-ttl", mcpserver.DefaultSessionIdleTTL, "how long an idle MCP session is kept"),
		maxSessions:       flags.int64Flag("max-sessions", mcpserver.DefaultMaxSessions, "maximum live MCP sessions; an initialize beyond it gets HTTP 503 and is asked to retry later"),
	}
}

// validateAddr checks the listen address of flag name before anything
// listens on it: host:port with a host and a numeric port from 0 to 65535.
func validateAddr(name, addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid --%s %q: %v; use host:port, e.g. 127.0.0.1:8787 (0.0.0.0:8787 for every interface)", name, addr, strings.TrimPrefix(err.Error(), "address "+addr+": "))
	}
	if host == "" {
		return fmt.Errorf("invalid --%s %q: the host is missing; use host:port, e.g. 127.0.0.1:8787 (0.0.0.0:8787 for every interface)", name, addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("invalid --%s %q: the port %q is not a number from 0 to 65535; use host:port, e.g. 127.0.0.1:8787", name, addr, port)
	}
	return nil
}

func splitList(list string) []string {
	var items []string
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// parseFlags parses args and reports --help as errHelp after printing usage
// to stdout.
func parseFlags(flags *flagSet, args []string, usage string, stdout io.Writer) error {
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			flags.printDefaults(stdout)
			return errHelp
		}
		return fmt.Errorf("%w; run 'rational-mcp %s --help' for the flags", err, flags.Name())
	}
	if len(flags.envErrors) > 0 {
		return errors.Join(flags.envErrors...)
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; run 'rational-mcp %s --help' for the flags", flags.Arg(0), flags.Name())
	}
	return nil
}

// errHelp ends a command after its usage was printed.
var errHelp = errors.New("help printed")

// newLogger builds the slog logger on stderr or on --log-file. The returned
// close function closes the file.
func newLogger(o commonOptions, stderr io.Writer, openFile func(string) (io.WriteCloser, error)) (*slog.Logger, func(), error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(*o.logLevel)); err != nil {
		return nil, nil, fmt.Errorf("invalid --log-level %q: use debug, info, warn or error", *o.logLevel)
	}

	out := stderr
	closeFile := func() {}
	if *o.logFile != "" {
		file, err := openFile(*o.logFile)
		if err != nil {
			return nil, nil, fmt.Errorf("cannot open --log-file %s: %w", *o.logFile, err)
		}
		out = file
		closeFile = func() { _ = file.Close() }
	}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: level}))
	return logger, closeFile, nil
}
