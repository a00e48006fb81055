package guard

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Policy is an operator's policy file after validation: the rules for every
// call and the deploy pre-approvals.
type Policy struct {
	Rules        Rules
	Preapprovals []DeployRule
}

// DefaultPolicy returns the policy in force without a policy file: the
// default rules and no pre-approvals.
func DefaultPolicy() Policy {
	return Policy{Rules: DefaultRules()}
}

// policyFile is the on-disk shape. yaml tags name the keys; unknown keys are
// errors.
type policyFile struct {
	Version int             `yaml:"version"`
	Rules   policyRulesFile `yaml:"rules"`
	Deploy  policyDeploy    `yaml:"deploy"`
}

type policyRulesFile struct {
	Effects map[string]string `yaml:"effects"`
	Tools   map[string]string `yaml:"tools"`
}

type policyDeploy struct {
	Preapprove []deployRuleFile `yaml:"preapprove"`
}

type deployRuleFile struct {
	Name                     string   `yaml:"name"`
	Models                   []string `yaml:"models"`
	HuggingFaceIDs           []string `yaml:"huggingFaceIds"`
	Types                    []string `yaml:"types"`
	MaxParams                int64    `yaml:"maxParams"`
	MaxGPUs                  int      `yaml:"maxGpus"`
	MaxConcurrentDeployments int      `yaml:"maxConcurrentDeployments"`
	AllowForceDeployment     bool     `yaml:"allowForceDeployment"`
}

// policyVersion is the only policy file format version this code reads.
const policyVersion = 1

// LoadPolicyFile reads and validates the policy file at filename. The file
// is YAML; JSON is accepted because it is valid YAML.
func LoadPolicyFile(filename string) (Policy, error) {
	data, err := os.ReadFile(filename)
	if err != nil {
		return Policy{}, fmt.Errorf("read policy file: %w", err)
	}

	policy, err := ParsePolicy(data)
	if err != nil {
		return Policy{}, fmt.Errorf("policy file %s: %w", filename, err)
	}
	return policy, nil
}

// ParsePolicy parses and validates a policy document. Unknown keys,
// duplicate keys, a second document, unknown effects, tools' actions, model
// types and invalid patterns are errors that name the value.
func ParsePolicy(data []byte) (Policy, error) {
	decoder := yaml.NewDecoder(bytes.NewReader(data))
	decoder.KnownFields(true)

	var file policyFile
	if err := decoder.Decode(&file); err != nil {
		if errors.Is(err, io.EOF) {
			return Policy{}, errors.New("the policy is empty; write at least \"version: 1\"")
		}
		return Policy{}, fmt.Errorf("invalid policy: %w", err)
	}

	var extra any
	if err := decoder.Decode(&extra); !errors.Is(err, io.EOF) {
		return Policy{}, errors.New("the policy contains more than one YAML document; keep one")
	}

	return file.validate()
}

func (f policyFile) validate() (Policy, error) {
	if f.Version != policyVersion {
		return Policy{}, fmt.Errorf("version is %d; this server reads version %d", f.Version, policyVersion)
	}

	policy := DefaultPolicy()

	for key, value := range f.Rules.Effects {
		effect := Effect(key)
		if !effect.Valid() {
			return Policy{}, fmt.Errorf("rules.effects: unknown effect %q; use one of %q", key, Effects)
		}
		action := Action(value)
		if !action.Valid() {
			return Policy{}, fmt.Errorf("rules.effects.%s: unknown action %q; use allow, require_approval or deny", key, value)
		}
		policy.Rules.Effects[effect] = action
	}

	for name, value := range f.Rules.Tools {
		action := Action(value)
		if !action.Valid() {
			return Policy{}, fmt.Errorf("rules.tools.%s: unknown action %q; use allow, require_approval or deny", name, value)
		}
		policy.Rules.Tools[name] = action
	}

	seen := map[string]bool{}
	for i, ruleFile := range f.Deploy.Preapprove {
		rule, err := ruleFile.validate()
		if err != nil {
			return Policy{}, fmt.Errorf("deploy.preapprove[%d]: %w", i, err)
		}
		if seen[rule.Name] {
			return Policy{}, fmt.Errorf("deploy.preapprove[%d]: the name %q is used twice", i, rule.Name)
		}
		seen[rule.Name] = true
		policy.Preapprovals = append(policy.Preapprovals, rule)
	}

	return policy, nil
}

func (f deployRuleFile) validate() (DeployRule, error) {
	if err := checkMatchableName(f.Name); err != nil {
		return DeployRule{}, fmt.Errorf("name: %w", err)
	}

	if len(f.Models) == 0 && len(f.HuggingFaceIDs) == 0 {
		return DeployRule{}, fmt.Errorf("rule %q sets neither models nor huggingFaceIds; a rule must name what it approves", f.Name)
	}

	for _, list := range []struct {
		key      string
		patterns []string
		check    func(string) error
	}{{"models", f.Models, checkModelPattern}, {"huggingFaceIds", f.HuggingFaceIDs, checkRepoPattern}} {
		for _, pattern := range list.patterns {
			if err := checkPattern(pattern); err != nil {
				return DeployRule{}, fmt.Errorf("rule %q: %s: %w", f.Name, list.key, err)
			}
			if err := list.check(pattern); err != nil {
				return DeployRule{}, fmt.Errorf("rule %q: %s: %w", f.Name, list.key, err)
			}
		}
	}

	rule := DeployRule{
		Name:                     f.Name,
		Models:                   f.Models,
		HuggingFaceIDs:           f.HuggingFaceIDs,
		MaxParams:                f.MaxParams,
		MaxGPUs:                  f.MaxGPUs,
		MaxConcurrentDeployments: f.MaxConcurrentDeployments,
		AllowForceDeployment:     f.AllowForceDeployment,
	}

	for _, value := range f.Types {
		modelType := controlroom.ModelType(value)
		if !modelType.Valid() {
			return DeployRule{}, fmt.Errorf("rule %q: types: unknown model type %q; use one of %q", f.Name, value, controlroom.ModelTypes)
		}
		rule.Types = append(rule.Types, modelType)
	}

	if f.MaxParams < 0 || f.MaxGPUs < 0 || f.MaxConcurrentDeployments < 0 {
		return DeployRule{}, fmt.Errorf("rule %q: maxParams, maxGpus and maxConcurrentDeployments must be positive, or 0 for no limit", f.Name)
	}

	return rule, nil
}

// checkPattern rejects patterns that are not printable ASCII or not valid
// path.Match syntax.
func checkPattern(pattern string) error {
	if err := checkMatchableName(pattern); err != nil {
		return fmt.Errorf("pattern: %w", err)
	}
	if _, err := path.Match(pattern, ""); err != nil {
		return fmt.Errorf("pattern %q is not valid path.Match syntax: %w", pattern, err)
	}
	return nil
}

// patternMeta are the characters with a meaning in path.Match patterns.
const patternMeta = "*?[\\"

// checkModelPattern rejects a catalog name pattern without a literal
// character, such as "*" or "*/*", which would approve every model.
func checkModelPattern(pattern string) error {
	if strings.Trim(pattern, "*?/") == "" {
		return fmt.Errorf("pattern %q matches every catalog name; name the models, such as \"gemma-4-*\"", pattern)
	}
	return nil
}

// checkRepoPattern rejects a Hugging Face id pattern whose organisation is
// missing or not written out, such as "*/*" or "*/gemma-*": anyone can
// create an organisation and upload weights under any repository name, so
// only the organisation names who published the weights a rule approves.
func checkRepoPattern(pattern string) error {
	organisation, _, found := strings.Cut(pattern, "/")
	if !found {
		return fmt.Errorf("pattern %q has no organisation; Hugging Face ids are organisation/name, such as \"google/gemma-4-*-it\"", pattern)
	}
	if organisation == "" || strings.ContainsAny(organisation, patternMeta) {
		return fmt.Errorf("pattern %q does not write out the organisation, so it approves weights that anyone can upload; write it out, such as \"google/gemma-4-*-it\"", pattern)
	}
	return nil
}
