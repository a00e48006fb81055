package simulator

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// EnvPrefix starts the environment variable of every simulator flag:
// --pulling-weights is RATIONAL_SIMULATOR_PULLING_WEIGHTS. A flag given on
// the command line wins over its variable.
const EnvPrefix = "RATIONAL_SIMULATOR_"

// TokenEnv is the environment variable that RunCommand reads the bearer
// token from when --token is not given.
const TokenEnv = EnvPrefix + "TOKEN"

// DefaultAddr is the address the simulator command listens on by default.
const DefaultAddr = "127.0.0.1:18080"

// shutdownTimeout bounds how long RunCommand waits for open requests after
// ctx is cancelled.
const shutdownTimeout = 5 * time.Second

const commandUsage = `Usage: rational-mcp simulator [flags]

Serves an in-memory simulator of the Rational AI Control Room Management API
over HTTP. Point a client at the base URL it prints (http://ADDR/api). State
is lost when the process stops. Stop it with Ctrl-C (SIGINT) or SIGTERM.

Flags (one or two dashes):
`

// RunCommand runs the simulator subcommand with args (without the
// subcommand's own name). It prints the base URL on stdout, logs to stderr
// and serves until ctx is cancelled, then shuts down within 5 seconds.
// --help prints the usage on stdout and returns nil.
func RunCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("simulator", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	demo := DemoTimings()
	addr := flags.String("addr", DefaultAddr, "TCP address to listen on, host:port (port 0 picks a free port)")
	token := flags.String("token", "", "bearer token that every request must carry (empty disables authentication)")
	gpus := flags.Int("gpus", DefaultGPUs, "number of GPUs in the simulated cluster's pool")
	seed := flags.Bool("seed", true, "fill the catalog with demo models and one ready deployment")
	noSeed := flags.Bool("no-seed", false, "start with an empty catalog (overrides --seed)")
	scheduling := flags.Duration("scheduling", demo.Scheduling, "duration of the scheduling phase, as a Go duration such as 2s (0 makes it instant)")
	pulling := flags.Duration("pulling-weights", demo.PullingWeights, "duration of the pullingWeights phase, as a Go duration (0 makes it instant)")
	loading := flags.Duration("loading", demo.Loading, "duration of the loading phase, as a Go duration (0 makes it instant)")
	logLevel := flags.String("log-level", "info", "log level on stderr: debug, info, warn or error")

	if err := applyEnvironment(flags, os.Getenv); err != nil {
		return err
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, flags)
			return nil
		}
		return fmt.Errorf("invalid simulator arguments: %w; run 'rational-mcp simulator --help' for the flags", err)
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: the simulator takes only flags; run 'rational-mcp simulator --help'", flags.Arg(0))
	}
	if *gpus < 1 {
		return fmt.Errorf("invalid --gpus %d: the GPU pool needs at least 1 GPU", *gpus)
	}
	timings, err := commandTimings(*scheduling, *pulling, *loading)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("invalid --log-level %q: use debug, info, warn or error", *logLevel)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	sim := New(Options{
		Token:   *token,
		Timings: timings,
		GPUs:    *gpus,
		Seed:    *seed && !*noSeed,
		Logger:  logger,
	})
	return serve(ctx, *addr, sim, *token != "", stdout, logger)
}

// EnvName returns the environment variable that sets the simulator flag
// called name.
func EnvName(name string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// applyEnvironment sets every flag whose environment variable is not empty
// to the variable's value, before the command line is parsed so that a flag
// given there wins. It also names the variable in each flag's usage. An
// invalid value is reported with the variable's name.
func applyEnvironment(flags *flag.FlagSet, getenv func(string) string) error {
	var errs []error
	flags.VisitAll(func(f *flag.Flag) {
		variable := EnvName(f.Name)
		f.Usage += " [env " + variable + "]"

		value := strings.TrimSpace(getenv(variable))
		if value == "" {
			return
		}
		if err := f.Value.Set(value); err != nil {
			errs = append(errs, fmt.Errorf("invalid %s=%q: %w; see 'rational-mcp simulator --help'", variable, value, err))
		}
	})
	return errors.Join(errs...)
}

func printUsage(w io.Writer, flags *flag.FlagSet) {
	fmt.Fprint(w, commandUsage)
	flags.SetOutput(w)
	flags.PrintDefaults()
	flags.SetOutput(io.Discard)
}

// commandTimings turns the phase flags into Timings. A zero phase becomes
// one nanosecond, because all-zero Timings mean DemoTimings.
func commandTimings(phases ...time.Duration) (Timings, error) {
	names := []string{"--scheduling", "--pulling-weights", "--loading"}
	for i, phase := range phases {
		if phase < 0 {
			return Timings{}, fmt.Errorf("invalid %s %s: a phase duration cannot be negative", names[i], phase)
		}
		if phase == 0 {
			phases[i] = time.Nanosecond
		}
	}
	return Timings{Scheduling: phases[0], PullingWeights: phases[1], Loading: phases[2]}, nil
}

// serve listens on addr and serves sim until ctx is cancelled.
func serve(ctx context.Context, addr string, sim *Simulator, authEnabled bool, stdout io.Writer, logger *slog.Logger) error {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s failed: %w; pick another address with --addr", addr, err)
	}

	baseURL := "http://" + listener.Addr().String() + "/api"
	logger.Info("simulator listening", "base_url", baseURL, "auth", authEnabled, "gpus", sim.gpus)
	if !authEnabled {
		logger.Warn("authentication is disabled: set --token or " + TokenEnv + " to require a bearer token")
	}
	if host, _, err := net.SplitHostPort(listener.Addr().String()); err == nil {
		if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() && !authEnabled {
			logger.Warn("listening on a non-loopback address without a token: anyone who can reach it can change the catalog", "addr", listener.Addr().String())
		}
	}
	fmt.Fprintf(stdout, "Control Room simulator listening on %s\n", baseURL)

	server := &http.Server{
		Handler:           sim,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

	select {
	case err := <-served:
		return fmt.Errorf("simulator server stopped: %w", err)
	case <-ctx.Done():
	}

	logger.Info("simulator shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		_ = server.Close()
		return fmt.Errorf("simulator shutdown did not finish within %s: %w", shutdownTimeout, err)
	}
	<-served
	logger.Info("simulator stopped")
	return nil
}
