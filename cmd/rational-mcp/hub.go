package main

import (
	"flag"
	"log/slog"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
	"github.com/rational-ai/rational-mcp/tools"
)

// hubOptions are the flags of the Hugging Face Hub lookups.
type hubOptions struct {
	endpoint *string
	offline  *bool
	// offlineGiven reports, after parsing, whether --hub-offline was set on
	// the command line or through its environment variable.
	offlineGiven     func() bool
	strict           *bool
	architectures    *string
	terminalStatuses *string
}

func addHubFlags(flags *flagSet) hubOptions {
	return hubOptions{
		endpoint:         flags.stringFlag("hub-endpoint", "", "Hugging Face Hub base URL; default: HF_ENDPOINT, else "+hfhub.DefaultEndpoint+" (HF_TOKEN, if set, is sent for private or gated repos)"),
		offline:          flags.boolFlag("hub-offline", false, "never contact the Hugging Face Hub; lookups report \"could not verify\" (default true with --demo unless HF_ENDPOINT or --hub-endpoint is set; --hub-offline=false then uses the default Hub)"),
		offlineGiven:     func() bool { return flagGiven(flags, "hub-offline") },
		strict:           flags.boolFlag("hub-strict", false, "reject register_model and update_model when the Hub cannot verify the repo, or contradicts its type or architecture, instead of warning"),
		architectures:    flags.stringFlag("supported-architectures", strings.Join(tools.DefaultSupportedArchitectures, ","), "comma-separated model architectures (config.architectures or GGUF names) that register_model accepts without a warning"),
		terminalStatuses: flags.stringFlag("terminal-statuses", strings.Join(tools.DefaultTerminalStatuses, ","), "comma-separated deployment statuses that end a get_deployment_status wait besides ready"),
	}
}

// hubSetup is the Hub client and what the tools and the guard get from it.
type hubSetup struct {
	services  tools.Services
	estimator guard.Estimator
	endpoint  string
	offline   bool
}

// openHub builds the Hub client from the flags and the environment. In
// demo mode the Hub is offline unless an endpoint or --hub-offline was given
// explicitly, so the demo sends nothing outside the machine by default.
func openHub(o hubOptions, demo bool, getenv func(string) string, logger *slog.Logger) (*hubSetup, error) {
	options := hfhub.OptionsFromEnv(getenv)
	explicitEndpoint := strings.TrimSpace(*o.endpoint) != "" || strings.TrimSpace(getenv("HF_ENDPOINT")) != ""
	if endpoint := strings.TrimSpace(*o.endpoint); endpoint != "" {
		options.Endpoint = endpoint
	}
	setOffline(&options, o, demo && !explicitEndpoint)
	options.Logger = logger.With("component", "hfhub")

	client, err := hfhub.New(options)
	if err != nil {
		return nil, err
	}

	services := tools.Services{
		Hub:                    client,
		HubStrict:              *o.strict,
		SupportedArchitectures: splitList(*o.architectures),
		TerminalStatuses:       splitList(*o.terminalStatuses),
	}
	estimator := guard.FallbackEstimator{
		Primary:  guard.HubEstimator{Hub: client},
		Fallback: guard.CatalogEstimator{},
	}
	return &hubSetup{services: services, estimator: estimator, endpoint: client.Endpoint(), offline: options.Offline}, nil
}

// setOffline decides whether the Hub is offline, and why, so the "could not
// verify" message names the setting to change. An explicit --hub-offline
// wins over HF_HUB_OFFLINE and the demo default; demoDefault is true in demo
// mode without an explicit endpoint.
func setOffline(options *hfhub.Options, o hubOptions, demoDefault bool) {
	switch {
	case o.offlineGiven():
		options.Offline = *o.offline
		options.OfflineReason = "offline mode is on (--hub-offline or " + envName("hub-offline") + "), no request was sent"
		options.OfflineHint = "set --hub-offline=false to verify the repository"
	case options.Offline:
		// HF_HUB_OFFLINE is set; hfhub's own message names it.
	case demoDefault:
		options.Offline = true
		options.OfflineReason = "the Hub is offline because --demo sends nothing off this machine, no request was sent"
		options.OfflineHint = "set --hub-endpoint or HF_ENDPOINT to a reachable Hub, or --hub-offline=false for the default Hub, to verify the repository"
	}
}

// flagGiven reports whether the flag called name was set on the command
// line or through its environment variable. Call it after parsing.
func flagGiven(flags *flagSet, name string) bool {
	if _, fromEnv := flags.envValue(name); fromEnv {
		return true
	}
	given := false
	flags.Visit(func(f *flag.Flag) {
		if f.Name == name {
			given = true
		}
	})
	return given
}
