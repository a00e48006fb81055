package guard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// Plan is the description of one tool call that a human or a policy
// approves: the call and the facts that matter for judging it.
type Plan struct {
	// Tool is the tool name.
	Tool string `json:"tool"`
	// Summary is one sentence saying what the call does.
	Summary string `json:"summary"`
	// Facts are the labelled facts in display order.
	Facts []Fact `json:"facts"`
	// Deploy is set for deploys.
	Deploy *DeployPlan `json:"deploy,omitempty"`
	// Identity holds the facts that an approval is bound to. If any of them
	// differs when the approved call is made, the approval is void, so an
	// agent cannot change the model record after the user approved.
	Identity map[string]string `json:"-"`
}

// Fact is one labelled line of a plan.
type Fact struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Digest returns the hex SHA-256 of the plan's tool and identity.
func (p *Plan) Digest() string {
	canonical, _ := json.Marshal(struct {
		Tool     string            `json:"tool"`
		Identity map[string]string `json:"identity"`
	}{p.Tool, p.Identity})
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}

// Text renders the plan for an elicitation message or a log: the summary
// and one "label: value" line per fact. Values from the catalog are quoted
// with non-ASCII characters escaped, so a name cannot fake extra lines or
// hide a look-alike character.
func (p *Plan) Text() string {
	var b strings.Builder
	b.WriteString(p.Summary)
	b.WriteString("\n")
	for _, fact := range p.Facts {
		fmt.Fprintf(&b, "- %s: %s\n", fact.Label, fact.Value)
	}
	return b.String()
}

// quote renders a value from the catalog or the agent for display.
func quote(value string) string {
	if value == "" {
		return "(none)"
	}
	return fmt.Sprintf("%+q", value)
}
