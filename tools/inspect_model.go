package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
)

// InspectModelInput is the input of inspect_model.
type InspectModelInput struct {
	HuggingFaceID string `json:"huggingFaceId" jsonschema:"required,minLength=3,maxLength=96" jsonschema_description:"Repo id, e.g. Qwen/Qwen2.5-7B-Instruct."`
	Revision      string `json:"revision,omitempty" jsonschema_description:"Branch, tag or commit."`
}

// InspectModelOutput is the result of inspect_model: what the Hub reports
// about the repository, the GPU estimate and the register_model arguments.
// Its nested objects are declared as plain objects whose descriptions name
// their fields, which keeps tools/list small.
type InspectModelOutput struct {
	HuggingFaceID string         `json:"huggingFaceId" jsonschema_description:"Repo id."`
	Type          string         `json:"type" jsonschema_description:"Control Room type."`
	Repo          RepoFacts      `json:"repo" jsonschema_description:"gated, private, license, publisher, parameters, format, architecture, contextLength, cardUrl."`
	Estimate      *GPUEstimate   `json:"estimate,omitempty" jsonschema_description:"gpuMemoryBytes, gpuCount, basis."`
	RegisterArgs  map[string]any `json:"registerArgs" jsonschema_description:"For register_model."`
	Warnings      []string       `json:"warnings,omitempty" jsonschema_description:"Caveats."`
	Message       string         `json:"message" jsonschema_description:"Next step."`
}

// RepoFacts are the Hub's facts about a repository in inspect_model.
type RepoFacts struct {
	Gated     bool   `json:"gated"`
	Private   bool   `json:"private"`
	License   string `json:"license,omitempty"`
	Publisher string `json:"publisher,omitempty"`
	// Parameters is 0 when unknown or when the Hub's count is known to be
	// wrong (packed 4-bit weights); the warnings say which.
	Parameters    int64  `json:"parameters"`
	Format        string `json:"format"`
	Architecture  string `json:"architecture,omitempty"`
	ContextLength int64  `json:"contextLength,omitempty"`
	CardURL       string `json:"cardUrl,omitempty"`
}

// JSONSchema declares RepoFacts as a plain object; see InspectModelOutput.
func (RepoFacts) JSONSchema() *jsonschema.Schema { return &jsonschema.Schema{Type: "object"} }

// GPUEstimate is the compact GPU memory estimate in inspect_model. Every
// figure is an estimate, and Basis lists every input and assumption.
type GPUEstimate struct {
	GPUMemoryBytes int64    `json:"gpuMemoryBytes"`
	GPUCount       int64    `json:"gpuCount"`
	Basis          []string `json:"basis"`
}

// JSONSchema declares GPUEstimate as a plain object; see InspectModelOutput.
func (GPUEstimate) JSONSchema() *jsonschema.Schema { return &jsonschema.Schema{Type: "object"} }

var inspectModel = define(Tool{
	Name:        "inspect_model",
	Title:       "Inspect a Hub model",
	Description: "Check a Hugging Face repo before register_model: type, license, gating, GPU estimate.",
	Toolset:     ToolsetModels,
	Effect:      EffectRead,
	// OpenWorld: the tool reads the Hugging Face Hub, an outside system
	// whose answers this server does not control.
	Annotations: Annotations{ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: true},
}, runInspectModel)

func runInspectModel(ctx context.Context, _ controlroom.API, in InspectModelInput) (InspectModelOutput, error) {
	repo := strings.TrimSpace(in.HuggingFaceID)
	if err := checkRepoID(repo); err != nil {
		return InspectModelOutput{}, err
	}
	revision := strings.TrimSpace(in.Revision)
	services := servicesFrom(ctx)

	facts, err := lookupHub(ctx, services, repo, revision)
	if err != nil {
		if couldNotVerify(err) {
			return InspectModelOutput{}, fmt.Errorf("inspect_model: %s; register_model still works with an explicit type", unverifiedMessage(repo, err))
		}
		return InspectModelOutput{}, hubLookupError("inspect_model", repo, err)
	}

	out := InspectModelOutput{
		HuggingFaceID: facts.RepoID,
		Type:          string(facts.Type),
		Repo: RepoFacts{
			Gated:         facts.Gated.Enabled,
			Private:       facts.Private,
			License:       facts.License,
			Publisher:     facts.Publisher,
			Format:        string(facts.Format),
			Architecture:  facts.Architecture,
			ContextLength: facts.ContextLength,
			CardURL:       facts.CardURL,
		},
		RegisterArgs: argumentMap(registerArguments(facts)),
		Warnings:     hubWarnings(facts),
	}
	if facts.ParametersNote == "" {
		out.Repo.Parameters = facts.Parameters
	}
	if facts.Architecture != "" && !services.architectureSupported(facts.Architecture) {
		out.Warnings = append(out.Warnings, unsupportedArchitecture(facts.Architecture))
	}

	summary, err := estimateFacts(facts, services.Estimate)
	if err != nil {
		out.Warnings = append(out.Warnings, "no GPU estimate: "+err.Error())
	} else {
		out.Estimate = &GPUEstimate{GPUMemoryBytes: summary.TotalBytes, GPUCount: summary.GPUCount, Basis: summary.Assumptions}
	}

	out.Message = inspectMessage(facts)
	return out, nil
}

func unsupportedArchitecture(architecture string) string {
	return fmt.Sprintf("architecture %s is not in this server's supported list, so the Control Room may fail to serve it; the operator sets the list with --supported-architectures", architecture)
}

func inspectMessage(facts *hfhub.Facts) string {
	if !facts.Type.Valid() {
		return fmt.Sprintf("%s exists, but its format %s has no Control Room type; pick a repo with safetensors, AWQ, GGUF or GGML weights", quote(facts.RepoID), facts.Format)
	}
	return fmt.Sprintf("%s exists (type %s); call register_model with registerArgs, then deploy_model", quote(facts.RepoID), facts.Type)
}
