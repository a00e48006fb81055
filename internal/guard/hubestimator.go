package guard

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/estimate"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
)

// HubInspector looks up a repository on the Hugging Face Hub; *hfhub.Client
// implements it.
type HubInspector interface {
	Inspect(ctx context.Context, repoID, revision string) (*hfhub.Facts, error)
}

// HubEstimator estimates a deploy from the model's Hugging Face repository,
// so the figures describe the weights that will be served rather than what
// the catalog record claims. Its estimates have Source EstimateFromHub, the
// only source that policy limits trust.
type HubEstimator struct {
	Hub HubInspector
	// Settings are the GPU size and overhead; zero fields take the
	// estimate package's defaults.
	Settings estimate.Settings
	// Load is the serving load: context length, concurrent sequences and
	// GGUF variant.
	Load estimate.FactsOptions
}

// EstimateDeploy implements Estimator. When the Hub reports the parameter
// count but the GPU figures cannot be computed, it returns the count with
// the reason in Basis and no GPU figures.
func (e HubEstimator) EstimateDeploy(ctx context.Context, model controlroom.Model) (*Estimate, error) {
	if e.Hub == nil {
		return nil, errors.New("no Hugging Face Hub client is configured")
	}
	if model.HuggingFaceID == "" {
		return nil, errors.New("the model record has no huggingFaceId to look up")
	}

	facts, err := e.Hub.Inspect(ctx, model.HuggingFaceID, "")
	if err != nil {
		return nil, fmt.Errorf("look up %q on the Hub: %s", model.HuggingFaceID, hubFailure(err))
	}

	result := &Estimate{Source: EstimateFromHub}
	// A packed 4-bit count is far too low, so it is not passed to policy
	// rules.
	if facts.ParametersNote == "" {
		result.Params = facts.Parameters
	}

	input, err := estimate.InputFromFacts(facts, e.Load)
	if err == nil {
		var computed *estimate.Estimate
		if computed, err = estimate.Compute(input, e.Settings); err == nil {
			result.GPUMemoryBytes = computed.TotalBytes
			result.GPUCount = int(computed.GPUCount)
			result.Basis = strings.Join(computed.Assumptions, " ")
			return result, nil
		}
	}
	result.Basis = "no GPU estimate: " + err.Error()
	return result, nil
}

// anyURL matches an absolute http or https URL.
var anyURL = regexp.MustCompile(`https?://[^\s"'<>)]+`)

// hubFailure describes a failed Hub lookup for an approval plan: the kind,
// the HTTP status and the message, without the hint, which tells an
// inspect_model caller which flag to set. URLs are left out, so that the
// approval page's link is the only link in an approval_required result.
func hubFailure(err error) string {
	text := err.Error()
	var hubErr *hfhub.Error
	if errors.As(err, &hubErr) {
		text = string(hubErr.Kind)
		if hubErr.StatusCode != 0 {
			text += fmt.Sprintf(" (HTTP %d)", hubErr.StatusCode)
		}
		if hubErr.Message != "" {
			text += ": " + hubErr.Message
		}
	}
	return anyURL.ReplaceAllString(text, "[URL left out]")
}
