package guard

import (
	"fmt"
	"slices"
)

// Rules maps each call to an Action. A rule for the tool's name wins over the
// rule for its effect; an effect without a rule falls back to DefaultRules.
// ReadOnly wins over both and denies every call whose effect is not read.
type Rules struct {
	Effects  map[Effect]Action
	Tools    map[string]Action
	ReadOnly bool
}

// DefaultRules returns the built-in rules: reads and catalog writes pass,
// deploys, pauses and destructive calls (cancel, delete) need approval.
func DefaultRules() Rules {
	return Rules{
		Effects: map[Effect]Action{
			EffectRead:        ActionAllow,
			EffectWrite:       ActionAllow,
			EffectGPU:         ActionRequireApproval,
			EffectInterrupt:   ActionRequireApproval,
			EffectDestructive: ActionRequireApproval,
		},
		Tools: map[string]Action{},
	}
}

// RuleSource names the rule that produced a decision, for audit lines and
// refusal messages.
type RuleSource string

// RuleReadOnly is the source of every denial in read-only mode.
const RuleReadOnly RuleSource = "read-only mode"

// Decide returns the action for tool and the rule that chose it. A tool with
// an unknown effect is denied, so a registry mistake cannot open a tool.
func (r Rules) Decide(tool Tool) (Action, RuleSource) {
	if !tool.Effect.Valid() {
		return ActionDeny, RuleSource(fmt.Sprintf("unknown effect %q", tool.Effect))
	}

	if r.ReadOnly && tool.Effect != EffectRead {
		return ActionDeny, RuleReadOnly
	}

	if action, ok := r.Tools[tool.Name]; ok {
		return action, RuleSource("tool rule " + tool.Name)
	}

	if action, ok := r.Effects[tool.Effect]; ok {
		return action, RuleSource("effect rule " + string(tool.Effect))
	}

	return DefaultRules().Effects[tool.Effect], RuleSource("default rule " + string(tool.Effect))
}

// Visible reports whether tool is listed to clients. In read-only mode only
// read tools are listed; a tool denied by a rule stays listed so that its
// refusal explains itself.
func (r Rules) Visible(tool Tool) bool {
	return !r.ReadOnly || tool.Effect == EffectRead
}

// CheckTools returns an error naming every tool rule whose tool is not in
// known, so a misspelt tool name in a policy file fails at startup instead of
// being ignored.
func (r Rules) CheckTools(known []string) error {
	var unknown []string
	for name := range r.Tools {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}

	slices.Sort(unknown)
	return fmt.Errorf("policy names unknown tools %q; known tools are %q", unknown, known)
}
