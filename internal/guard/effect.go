package guard

import "fmt"

// Effect is the class of change that a tool makes, as the tool registry
// declares it.
type Effect string

// The effects that rules are keyed by.
const (
	EffectRead        Effect = "read"        // reads only
	EffectWrite       Effect = "write"       // changes catalog records, spends nothing
	EffectGPU         Effect = "gpu"         // starts serving pods on GPUs
	EffectInterrupt   Effect = "interrupt"   // stops serving until a new deploy (pause)
	EffectDestructive Effect = "destructive" // removes a record or a deployment for good
)

// Effects lists every valid Effect.
var Effects = []Effect{EffectRead, EffectWrite, EffectGPU, EffectInterrupt, EffectDestructive}

// Valid reports whether e is one of Effects.
func (e Effect) Valid() bool {
	for _, known := range Effects {
		if e == known {
			return true
		}
	}
	return false
}

// Action is the outcome that a rule assigns to a call.
type Action string

// The actions of a rule.
const (
	ActionAllow           Action = "allow"            // run without approval
	ActionRequireApproval Action = "require_approval" // run after a policy rule or a human approved it
	ActionDeny            Action = "deny"             // never run
)

// Valid reports whether a is one of the three actions.
func (a Action) Valid() bool {
	return a == ActionAllow || a == ActionRequireApproval || a == ActionDeny
}

// Tool is the guard's view of a registry tool: its name and the effect that
// the registry declares for it.
type Tool struct {
	Name   string
	Effect Effect
}

func (t Tool) String() string { return fmt.Sprintf("%s (%s)", t.Name, t.Effect) }
