package guard

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Unknown is shown for a fact that could not be established.
const Unknown = "unknown"

// EstimateSource names where an estimate's figures come from.
type EstimateSource string

// The sources of an estimate. Only EstimateFromHub figures can satisfy a
// policy's maxParams or maxGpus.
const (
	// EstimateFromHub marks figures read from the Hugging Face Hub for the
	// record's huggingFaceId while the deploy is being planned.
	EstimateFromHub EstimateSource = "hub"
	// EstimateFromCatalog marks figures derived from the catalog record,
	// whose numberOfParams any agent can write with register_model or
	// update_model.
	EstimateFromCatalog EstimateSource = "catalog"
)

// Estimate is a GPU estimate for a deploy. The estimating code lives
// elsewhere; the guard shows whatever it is given and "unknown" without it.
type Estimate struct {
	// Params is the parameter count the estimate used, 0 when unknown.
	Params int64 `json:"params,omitempty"`
	// GPUMemoryBytes is the estimated GPU memory, 0 when unknown.
	GPUMemoryBytes int64 `json:"gpuMemoryBytes,omitempty"`
	// GPUCount is the estimated GPU count, 0 when unknown.
	GPUCount int `json:"gpuCount,omitempty"`
	// Basis states the inputs and assumptions, shown next to the figures.
	Basis string `json:"basis,omitempty"`
	// Source is the origin of the figures. An empty Source is unverified,
	// like EstimateFromCatalog.
	Source EstimateSource `json:"source,omitempty"`
}

// verified reports whether the estimate's figures come from the Hub.
func (e *Estimate) verified() bool {
	return e != nil && e.Source == EstimateFromHub
}

// DeployPlan is the plan of a deploy_model call.
type DeployPlan struct {
	ModelID       string                `json:"modelId"`
	ModelName     string                `json:"modelName"`
	HuggingFaceID string                `json:"huggingFaceId,omitempty"`
	Type          controlroom.ModelType `json:"type"`
	IsFineTuned   bool                  `json:"isFineTuned"`
	Quant         string                `json:"quant,omitempty"`
	// NumberOfParams is the catalog's parameter count as stored.
	NumberOfParams string `json:"numberOfParams,omitempty"`
	// Estimate is nil when no estimate is available.
	Estimate *Estimate `json:"estimate,omitempty"`
	// Parameters are the deployment parameters of the call.
	Parameters controlroom.DeploymentParameters `json:"parameters"`
	// Existing are the model's deployments before the deploy.
	Existing []controlroom.Deployment `json:"existing,omitempty"`
	// LiveDeployments counts the tenant's live deployments, -1 when unknown.
	LiveDeployments int `json:"liveDeployments"`
}

// ModelIdentity returns the fields of the model record that the plan shows
// and a deploy must still find when it runs.
func (d *DeployPlan) ModelIdentity() controlroom.ModelIdentity {
	return controlroom.ModelIdentity{
		Name:           d.ModelName,
		HuggingFaceID:  d.HuggingFaceID,
		Type:           d.Type,
		NumberOfParams: d.NumberOfParams,
	}
}

// Params returns the parameter count for policy rules: the Hub estimate's,
// or 0 when there is none. The catalog's numberOfParams, and any estimate
// derived from it, are not used, because any agent can write it with
// register_model or update_model.
func (d *DeployPlan) Params() int64 {
	if d.Estimate.verified() && d.Estimate.Params > 0 {
		return d.Estimate.Params
	}
	return 0
}

// GPUs returns the GPU count for policy rules: the Hub estimate's, or 0
// when there is none, for the same reason as Params.
func (d *DeployPlan) GPUs() int {
	if d.Estimate.verified() && d.Estimate.GPUCount > 0 {
		return d.Estimate.GPUCount
	}
	return 0
}

// Facts returns the facts that policy rules are matched against.
func (d *DeployPlan) Facts() DeployFacts {
	return DeployFacts{
		ModelName:       d.ModelName,
		HuggingFaceID:   d.HuggingFaceID,
		Type:            d.Type,
		Params:          d.Params(),
		GPUs:            d.GPUs(),
		LiveDeployments: d.LiveDeployments,
		ForceDeployment: d.Parameters.ForceDeployment,
		ModelHasLive:    len(d.Existing) > 0,
	}
}

// ForceEffect describes what the deploy does to the model's existing
// deployments, given forceDeployment.
func (d *DeployPlan) ForceEffect() string {
	if len(d.Existing) == 0 {
		if d.Parameters.ForceDeployment {
			return "forceDeployment true: the model has no deployment; a new one is started"
		}
		return "forceDeployment false: the model has no deployment; a new one is started"
	}

	existing := describeDeployments(d.Existing)
	if d.Parameters.ForceDeployment {
		return "forceDeployment true: forces a fresh rollout although the model has " + existing + "; it may be replaced"
	}
	return "forceDeployment false: the model already has " + existing + "; the Control Room rejects this deploy while the model has a deployment that is not cancelled, paused ones included. To serve a paused model again, reject this and call deploy_model with forceDeployment true"
}

// plan builds the Plan for display and binding.
func (d *DeployPlan) plan() *Plan {
	facts := []Fact{
		{"Model", fmt.Sprintf("%s (id %s)", quote(d.ModelName), quote(d.ModelID))},
		{"Hugging Face id", quote(d.HuggingFaceID)},
		{"Type", quote(string(d.Type))},
		{"Fine-tuned", strconv.FormatBool(d.IsFineTuned)},
		{"Parameters", d.paramsText()},
		{"GPU memory (estimate)", d.memoryText()},
		{"GPUs (estimate)", d.gpusText()},
		{"Existing deployments", d.forceSummary()},
		{"Sampling defaults", samplingText(d.Parameters)},
	}
	if d.Quant != "" {
		facts = append(facts[:4], append([]Fact{{"Quantization", quote(d.Quant)}}, facts[4:]...)...)
	}
	if d.Estimate != nil && d.Estimate.Basis != "" {
		facts = append(facts, Fact{"Estimate basis", d.Estimate.Basis})
	}
	if d.LiveDeployments >= 0 {
		facts = append(facts, Fact{"Live deployments in the tenant", strconv.Itoa(d.LiveDeployments)})
	}

	identity := map[string]string{
		"modelId":         d.ModelID,
		"name":            d.ModelName,
		"huggingFaceId":   d.HuggingFaceID,
		"type":            string(d.Type),
		"isFineTuned":     strconv.FormatBool(d.IsFineTuned),
		"quant":           d.Quant,
		"numberOfParams":  d.NumberOfParams,
		"forceDeployment": strconv.FormatBool(d.Parameters.ForceDeployment),
		"existing":        deploymentIDs(d.Existing),
	}

	return &Plan{
		Tool:     "deploy_model",
		Summary:  fmt.Sprintf("Deploy model %s: this starts serving pods on GPUs, which costs money every hour until paused or cancelled.", quote(d.ModelName)),
		Facts:    facts,
		Deploy:   d,
		Identity: identity,
	}
}

func (d *DeployPlan) forceSummary() string { return d.ForceEffect() }

// unverifiedNote marks plan figures that come from the catalog record.
const unverifiedNote = "from the catalog record (agent-editable), not verified"

// paramsText shows the Hub estimate's count, else the catalog's, with its
// source.
func (d *DeployPlan) paramsText() string {
	if params := d.Params(); params > 0 {
		return fmt.Sprintf("%d (%s), from the Hugging Face Hub", params, humanCount(params))
	}
	if params := parseParamCount(d.NumberOfParams); params > 0 {
		return fmt.Sprintf("%d (%s), %s", params, humanCount(params), unverifiedNote)
	}
	if d.NumberOfParams != "" {
		return fmt.Sprintf("%s (not a number; treated as unknown)", quote(d.NumberOfParams))
	}
	return Unknown
}

func (d *DeployPlan) memoryText() string {
	if d.Estimate == nil || d.Estimate.GPUMemoryBytes <= 0 {
		return Unknown
	}
	return fmt.Sprintf("%.1f GiB", float64(d.Estimate.GPUMemoryBytes)/(1<<30)) + d.sourceSuffix()
}

func (d *DeployPlan) gpusText() string {
	if d.Estimate == nil || d.Estimate.GPUCount <= 0 {
		return Unknown
	}
	return strconv.Itoa(d.Estimate.GPUCount) + d.sourceSuffix()
}

// sourceSuffix labels estimate figures that the Hub did not verify.
func (d *DeployPlan) sourceSuffix() string {
	if d.Estimate.verified() {
		return ""
	}
	return ", " + unverifiedNote
}

// describeDeployments renders deployments as "deployment X (status S, N
// GPUs)" joined by commas.
func describeDeployments(deployments []controlroom.Deployment) string {
	parts := make([]string, 0, len(deployments))
	for _, deployment := range deployments {
		gpus := Unknown + " GPUs"
		if deployment.GPUCount > 0 {
			gpus = fmt.Sprintf("%d GPUs", deployment.GPUCount)
		}
		parts = append(parts, fmt.Sprintf("deployment %s (status %s, %s)", quote(deployment.DeploymentID), quote(deployment.Status), gpus))
	}
	return strings.Join(parts, ", ")
}

func deploymentIDs(deployments []controlroom.Deployment) string {
	ids := make([]string, 0, len(deployments))
	for _, deployment := range deployments {
		ids = append(ids, deployment.DeploymentID)
	}
	return strings.Join(ids, "\x00")
}

// samplingText lists the sampling defaults that the call sets.
func samplingText(p controlroom.DeploymentParameters) string {
	var parts []string
	addFloat := func(name string, value *float64) {
		if value != nil {
			parts = append(parts, fmt.Sprintf("%s %s", name, strconv.FormatFloat(*value, 'g', -1, 64)))
		}
	}
	addFloat("temperature", p.Temperature)
	addFloat("topP", p.TopP)
	addFloat("topK", p.TopK)
	addFloat("minP", p.MinP)
	addFloat("repetitionPenalty", p.RepetitionPenalty)
	if p.MaxOutputTokens != nil {
		parts = append(parts, fmt.Sprintf("maxOutputTokens %d", *p.MaxOutputTokens))
	}
	addFloat("adapterScale", p.AdapterScale)

	if len(parts) == 0 {
		return "none given; the model's defaults apply"
	}
	return strings.Join(parts, ", ")
}

// parseParamCount reads a catalog parameter count: a plain integer such as
// "12000000000", or a number with a K, M, B or T suffix such as "12B". It
// returns 0 for anything else.
func parseParamCount(text string) int64 {
	text = strings.TrimSpace(text)
	if n, err := strconv.ParseInt(text, 10, 64); err == nil && n > 0 {
		return n
	}

	multipliers := map[byte]float64{'K': 1e3, 'M': 1e6, 'B': 1e9, 'T': 1e12}
	if len(text) < 2 {
		return 0
	}
	multiplier, ok := multipliers[text[len(text)-1]]
	if !ok {
		return 0
	}
	value, err := strconv.ParseFloat(text[:len(text)-1], 64)
	if err != nil || value <= 0 || value*multiplier > 9e18 {
		return 0
	}
	return int64(value * multiplier)
}

// humanCount renders a count as "12.0 B", "350.0 M" and so on.
func humanCount(n int64) string {
	switch {
	case n >= 1e12:
		return fmt.Sprintf("%.1f T", float64(n)/1e12)
	case n >= 1e9:
		return fmt.Sprintf("%.1f B", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f M", float64(n)/1e6)
	default:
		return fmt.Sprintf("%.1f K", float64(n)/1e3)
	}
}
