// Command rational-mcp is an MCP server that provisions open-source LLMs on
// the Rational AI Control Room. Run "rational-mcp --help" for its commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise it comes from the module's build information.
var version = ""

const rootUsage = `rational-mcp: an MCP server for the Rational AI Control Room.

Usage:
  rational-mcp [stdio] [flags]      serve MCP over stdin/stdout (the default)
  rational-mcp http [flags]         serve MCP over streamable HTTP at /mcp
  rational-mcp simulator [flags]    run the Control Room simulator alone
  rational-mcp version              print the version (also --version, -v)

Run 'rational-mcp COMMAND --help' for the flags of a command. Every flag can
also be set with an environment variable, shown next to it.

The Control Room is configured with RATIONAL_BASE_URL (or RATIONAL_TENANT) and
RATIONAL_API_TOKEN (or RATIONAL_API_TOKEN_FILE). Without them, run with --demo
to use the embedded simulator.
`

func main() {
	// Everything written to os.Stdout by any package would corrupt the stdio
	// protocol stream, so only the writer passed to run may reach the real
	// standard output.
	protocolOut := os.Stdout
	os.Stdout = os.Stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, protocolOut, os.Stderr, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rational-mcp:", err)
		os.Exit(1)
	}
}

// run executes the command in args. stdout carries the MCP protocol in stdio
// mode and usage or version text otherwise; stderr receives logs.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, rootUsage)
		return nil
	}

	command := "stdio"
	if len(args) > 0 && (!isFlag(args[0]) || isVersionFlag(args[0])) {
		command, args = args[0], args[1:]
	}
	if isVersionFlag(command) {
		command = "version"
	}

	var err error
	switch command {
	case "stdio":
		err = runStdio(ctx, args, stdin, stdout, stderr, getenv)
	case "http":
		err = runHTTP(ctx, args, stdout, stderr, getenv)
	case "simulator":
		err = runSimulator(ctx, args, stdout, stderr)
	case "version":
		err = runVersion(args, stdout)
	case "help":
		fmt.Fprint(stdout, rootUsage)
	default:
		err = fmt.Errorf("unknown command %q; run 'rational-mcp --help' for the commands", command)
	}
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// runVersion prints the version and the Go release it was built with.
func runVersion(args []string, stdout io.Writer) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, "Usage: rational-mcp version\n\nPrints the version of rational-mcp and the Go release that built it.\n")
		return nil
	}
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q; 'rational-mcp version' takes no arguments", args[0])
	}
	fmt.Fprintf(stdout, "rational-mcp %s (%s)\n", buildVersion(), runtime.Version())
	return nil
}

func isFlag(arg string) bool {
	return len(arg) > 1 && arg[0] == '-'
}

// isVersionFlag reports whether arg asks for the version as a flag, which
// works only in first place, like --help.
func isVersionFlag(arg string) bool {
	return arg == "--version" || arg == "-version" || arg == "-v"
}

// buildVersion returns the version set at link time, the module version, or
// "devel".
func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}
