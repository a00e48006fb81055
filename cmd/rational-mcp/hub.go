package main

import (
	"log/slog"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
	"github.com/rational-ai/rational-mcp/tools"
)

// hubOptions are the flags of the Hugging Face Hub lookups.
type hubOptions struct {
	endpoint         *string
	offline          *bool
	strict           *bool
	architectures    *string
	terminalStatuses *string
}

func addHubFlags(flags *flagSet) hubOptions {
	return hubOptions{
		endpoint:         flags.stringFlag("hub-endpoint", "", "Hugging Face Hub base URL; default: HF_ENDPOINT, else "+hfhub.DefaultEndpoint+" (HF_TOKEN, if set, is sent for private or gated repos)"),
		offline:          flags.boolFlag("hub-offline", false, "never contact the Hugging Face Hub; lookups report \"could not verify\" (default true with --demo unless HF_ENDPOINT or --hub-endpoint is set)"),
		strict:           flags.boolFlag("hub-strict", false, "reject register_model when the Hub cannot verify the repo, or contradicts its type or architecture, instead of warning"),
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
// demo mode the Hub is offline unless an endpoint was given explicitly, so
// the demo sends nothing outside the machine.
func openHub(o hubOptions, demo bool, getenv func(string) string, logger *slog.Logger) (*hubSetup, error) {
	options := hfhub.OptionsFromEnv(getenv)
	explicitEndpoint := strings.TrimSpace(*o.endpoint) != "" || strings.TrimSpace(getenv("HF_ENDPOINT")) != ""
	if endpoint := strings.TrimSpace(*o.endpoint); endpoint != "" {
		options.Endpoint = endpoint
	}
	if *o.offline || (demo && !explicitEndpoint) {
		options.Offline = true
	}
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
