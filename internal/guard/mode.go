package guard

import "fmt"

// Mode picks how a human approves a call that needs approval. No mode lets
// the model approve a call itself: every approval comes from the user's
// client, the user's browser or the operator's policy.
type Mode string

// The confirmation modes.
const (
	// ModeAuto requests approval through elicitation when the client declared it,
	// otherwise through the approval page.
	ModeAuto Mode = "auto"
	// ModeElicitation requests approval only through elicitation and refuses the call
	// for clients without it.
	ModeElicitation Mode = "elicitation"
	// ModeApprovalPage sends the user to the approval page.
	ModeApprovalPage Mode = "approval-page"
	// ModeDeny involves no human, so only policy rules can approve.
	ModeDeny Mode = "deny"
)

// Modes lists every Mode.
var Modes = []Mode{ModeAuto, ModeElicitation, ModeApprovalPage, ModeDeny}

// ParseMode returns the Mode named by text.
func ParseMode(text string) (Mode, error) {
	for _, mode := range Modes {
		if string(mode) == text {
			return mode, nil
		}
	}
	return "", fmt.Errorf("unknown confirmation mode %q; use one of %q", text, Modes)
}
