package guard

import (
	"fmt"
	"path"
	"slices"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// DeployRule pre-approves deploys that match every condition it sets. Model
// and HuggingFaceIDs are path.Match patterns ('*' does not cross '/'),
// matched case-sensitively against printable-ASCII names only. A zero limit
// means no limit.
type DeployRule struct {
	// Name identifies the rule in results and audit lines.
	Name string
	// Models are patterns for the catalog name; empty matches any name.
	Models []string
	// HuggingFaceIDs are patterns for the Hugging Face id; empty matches any
	// id, and a model without an id never matches a non-empty list.
	HuggingFaceIDs []string
	// Types are the allowed model types; empty allows every type.
	Types []controlroom.ModelType
	// MaxParams is the maximum parameter count, taken from the Hub
	// estimate. A model whose count is unknown or comes only from the
	// catalog record does not match a rule that sets it.
	MaxParams int64
	// MaxGPUs is the maximum GPU count of the new deployment, taken from the
	// Hub estimate. A deploy without a Hub GPU estimate does not match a
	// rule that sets it.
	MaxGPUs int
	// MaxConcurrentDeployments caps the live deployments in the tenant,
	// counting the new one.
	MaxConcurrentDeployments int
	// AllowForceDeployment lets the rule approve a deploy with
	// forceDeployment true while the model already has a deployment.
	AllowForceDeployment bool
}

// DeployFacts are the facts about a deploy that rules are matched against.
// They come from the Control Room and the estimate, never from the agent's
// free text.
type DeployFacts struct {
	ModelName       string
	HuggingFaceID   string
	Type            controlroom.ModelType
	Params          int64 // from the Hub estimate; 0 when unknown or unverified
	GPUs            int   // from the Hub estimate; 0 when unknown or unverified
	LiveDeployments int   // live deployments in the tenant now, -1 when unknown
	ForceDeployment bool
	ModelHasLive    bool // the model already has a deployment
}

// PreapprovalResult is the outcome of matching a deploy against the rules.
// Rule is nil when no rule matched; Misses then lists for each rule why it
// did not match, so an operator can fix the policy.
type PreapprovalResult struct {
	Rule   *DeployRule
	Misses []string
}

// MatchDeploy returns the first rule in rules that pre-approves the deploy
// described by facts.
func MatchDeploy(rules []DeployRule, facts DeployFacts) PreapprovalResult {
	var result PreapprovalResult
	for i := range rules {
		miss := rules[i].miss(facts)
		if miss == "" {
			result.Rule = &rules[i]
			return result
		}
		result.Misses = append(result.Misses, fmt.Sprintf("rule %q: %s", rules[i].Name, miss))
	}
	return result
}

// miss returns why the rule does not match facts, or "" when it does.
func (r DeployRule) miss(facts DeployFacts) string {
	if len(r.Models) > 0 {
		if reason := matchAny(r.Models, facts.ModelName, "model name"); reason != "" {
			return reason
		}
	}

	if len(r.HuggingFaceIDs) > 0 {
		if reason := matchAny(r.HuggingFaceIDs, facts.HuggingFaceID, "Hugging Face id"); reason != "" {
			return reason
		}
	}

	if len(r.Types) > 0 && !slices.Contains(r.Types, facts.Type) {
		return fmt.Sprintf("type %q is not one of %q", facts.Type, r.Types)
	}

	if r.MaxParams > 0 {
		if facts.Params <= 0 {
			return "the parameter count is unknown or not verified on the Hugging Face Hub"
		}
		if facts.Params > r.MaxParams {
			return fmt.Sprintf("%d parameters exceed the maximum %d", facts.Params, r.MaxParams)
		}
	}

	if r.MaxGPUs > 0 {
		if facts.GPUs <= 0 {
			return "the GPU count is unknown or not verified on the Hugging Face Hub"
		}
		if facts.GPUs > r.MaxGPUs {
			return fmt.Sprintf("%d GPUs exceed the maximum %d", facts.GPUs, r.MaxGPUs)
		}
	}

	if r.MaxConcurrentDeployments > 0 {
		if facts.LiveDeployments < 0 {
			return "the number of live deployments is unknown"
		}
		if facts.LiveDeployments+1 > r.MaxConcurrentDeployments {
			return fmt.Sprintf("%d live deployments plus this one exceed the maximum %d",
				facts.LiveDeployments, r.MaxConcurrentDeployments)
		}
	}

	if facts.ForceDeployment && facts.ModelHasLive && !r.AllowForceDeployment {
		return "forceDeployment would replace an existing deployment and the rule does not allow it"
	}

	return ""
}

// matchAny returns "" when name matches one of patterns, else the reason.
func matchAny(patterns []string, name, what string) string {
	if err := checkMatchableName(name); err != nil {
		return fmt.Sprintf("%s not matched: %v", what, err)
	}
	for _, pattern := range patterns {
		// Patterns were checked with path.Match at load time, so the error is
		// always nil here.
		if ok, _ := path.Match(pattern, name); ok {
			return ""
		}
	}
	return fmt.Sprintf("%s %q matches none of %q", what, name, patterns)
}
