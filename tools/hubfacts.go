package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/estimate"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
)

// errNoHub is the lookup error when no Hub client is configured.
var errNoHub = errors.New("no Hugging Face Hub client is configured")

// lookupHub inspects repo on the Hub. Without a configured Hub it returns
// errNoHub, which couldNotVerify treats like an unreachable Hub.
func lookupHub(ctx context.Context, services Services, repo, revision string) (*hfhub.Facts, error) {
	if services.Hub == nil {
		return nil, errNoHub
	}
	return services.Hub.Inspect(ctx, repo, revision)
}

// couldNotVerify reports whether err means the Hub gave no definite answer,
// so the repository is neither confirmed nor refuted. A missing repository,
// a bad id and a canceled call are definite.
func couldNotVerify(err error) bool {
	if errors.Is(err, errNoHub) {
		return true
	}
	switch hfhub.KindOf(err) {
	case hfhub.KindUnreachable, hfhub.KindUpstream, hfhub.KindInvalidResponse:
		return true
	}
	return false
}

// hubLookupError turns a definite Hub failure into the tool's error, with
// the next step for the caller.
func hubLookupError(tool, repo string, err error) error {
	switch hfhub.KindOf(err) {
	case hfhub.KindNotFound:
		return fmt.Errorf("%s: %s was not found on the Hugging Face Hub, or it is private and HF_TOKEN has no access; check the exact spelling and case on the model page (owner/name), or set HF_TOKEN for a private repo", tool, quote(repo))
	case hfhub.KindRevisionNotFound:
		return fmt.Errorf("%s: %v", tool, err)
	case hfhub.KindInvalidRepoID:
		return &ArgumentError{Argument: "huggingFaceId", Message: err.Error()}
	case hfhub.KindInvalidRevision:
		return &ArgumentError{Argument: "revision", Message: err.Error()}
	}
	return fmt.Errorf("%s: %w", tool, err)
}

// unverifiedMessage is the "could not verify" line for repo.
func unverifiedMessage(repo string, err error) string {
	return fmt.Sprintf("could not verify %s on the Hugging Face Hub (%v); check the repo id, type and architecture yourself, or retry when the Hub is reachable", quote(repo), err)
}

// registerArguments builds the register_model arguments that facts
// support. Type is left empty when the Control Room has no matching type.
func registerArguments(facts *hfhub.Facts) RegisterModelInput {
	args := RegisterModelInput{
		HuggingFaceID: facts.RepoID,
		Publisher:     facts.Publisher,
		Card:          facts.CardURL,
		Description:   describeFacts(facts),
		IsFineTuned:   len(facts.BaseModels) > 0,
	}
	if facts.Type.Valid() {
		args.Type = string(facts.Type)
	}
	if facts.Parameters > 0 && facts.ParametersNote == "" {
		args.NumberOfParams = strconv.FormatInt(facts.Parameters, 10)
	}
	if facts.QuantMethod != "" {
		args.Quant = facts.QuantMethod
		if facts.QuantBits > 0 {
			args.Quant = fmt.Sprintf("%s %d-bit", facts.QuantMethod, facts.QuantBits)
		}
	}
	if facts.WeightBytesKnown && facts.WeightBytes > 0 {
		args.Size = fmt.Sprintf("%.1f GB", float64(facts.WeightBytes)/1e9)
	}
	return args
}

// describeFacts writes a one-line catalog description from facts.
func describeFacts(facts *hfhub.Facts) string {
	var parts []string
	if facts.Architecture != "" {
		parts = append(parts, facts.Architecture)
	}
	if facts.PipelineTag != "" {
		parts = append(parts, facts.PipelineTag+" model")
	} else {
		parts = append(parts, "model")
	}
	text := strings.Join(parts, " ")
	if facts.Parameters > 0 && facts.ParametersNote == "" {
		text += fmt.Sprintf(", %.1fB parameters", float64(facts.Parameters)/1e9)
	}
	text += fmt.Sprintf(", %s weights", facts.Format)
	if facts.License != "" {
		text += ", license " + facts.License
	}
	return text + " (from the Hugging Face Hub)."
}

// hubWarnings lists what a caller should know before registering or
// deploying the repository in facts.
func hubWarnings(facts *hfhub.Facts) []string {
	var warnings []string
	if facts.Gated.Enabled {
		warnings = append(warnings, "the repo is gated: the Control Room can pull the weights only with a Hugging Face token that was granted access")
	}
	if facts.Private {
		warnings = append(warnings, "the repo is private: the Control Room can pull the weights only with a Hugging Face token that has access")
	}
	if !facts.Type.Valid() {
		warnings = append(warnings, fmt.Sprintf("the repo's weight format %s (%s) matches no Control Room type (base, awq, ggml, gguf)", facts.Format, facts.FormatReason))
	}
	if facts.ParametersNote != "" {
		warnings = append(warnings, facts.ParametersNote)
	}
	return warnings
}

// EstimateSummary is the compact GPU memory estimate: total bytes, GPU
// count and every input and assumption as a sentence.
type EstimateSummary struct {
	TotalBytes  int64
	GPUCount    int64
	Assumptions []string
}

// argumentMap encodes args as a JSON object, leaving out empty fields.
func argumentMap(args RegisterModelInput) map[string]any {
	encoded, err := json.Marshal(args)
	if err != nil {
		return nil
	}
	var object map[string]any
	if err := json.Unmarshal(encoded, &object); err != nil {
		return nil
	}
	return object
}

// estimateFacts computes the GPU estimate for facts. For a GGUF or GGML
// repository with several variants it assumes Q4_K_M, or the first variant
// when there is no Q4_K_M, and says so in the assumptions.
func estimateFacts(facts *hfhub.Facts, settings estimate.Settings) (*EstimateSummary, error) {
	options := estimate.FactsOptions{}
	var note string
	if len(facts.Variants) > 1 {
		options.Variant = facts.Variants[0].Label
		for _, variant := range facts.Variants {
			if strings.EqualFold(variant.Label, "Q4_K_M") {
				options.Variant = variant.Label
			}
		}
		note = fmt.Sprintf("The repo has %d quantization variants; the estimate assumes %s.", len(facts.Variants), options.Variant)
	}

	input, err := estimate.InputFromFacts(facts, options)
	if err != nil {
		return nil, err
	}
	computed, err := estimate.Compute(input, settings)
	if err != nil {
		return nil, err
	}

	summary := &EstimateSummary{TotalBytes: computed.TotalBytes, GPUCount: computed.GPUCount, Assumptions: computed.Assumptions}
	if note != "" {
		summary.Assumptions = append([]string{note}, summary.Assumptions...)
	}
	return summary, nil
}
