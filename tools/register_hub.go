package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/hfhub"
)

// hubChecked is register_model's input after the Hub check: empty fields
// filled, and the warnings to return.
type hubChecked struct {
	input    RegisterModelInput
	filled   []string
	warnings []string
}

// hubReview is what the Hub says about a repository and the type that a
// call declares for it.
type hubReview struct {
	// facts is nil when the Hub gave no definite answer.
	facts *hfhub.Facts
	// unverified is the "could not verify" message when facts is nil.
	unverified string
	// typeMismatch says how the declared type contradicts the repo's
	// weight format, or is "".
	typeMismatch string
	// architecture says that the repo's architecture is not supported, or
	// is "".
	architecture string
}

// problems are the contradictions that --hub-strict rejects.
func (r hubReview) problems() []string {
	var problems []string
	for _, problem := range []string{r.typeMismatch, r.architecture} {
		if problem != "" {
			problems = append(problems, problem)
		}
	}
	return problems
}

// reviewWithHub looks repo up on the Hub and compares declared, a
// lowercase Control Room type or "", with the repo's weight format. tool
// names the calling tool in errors. It returns an error only for a definite
// failure, such as a repository that does not exist.
func reviewWithHub(ctx context.Context, services Services, tool, repo, declared string) (hubReview, error) {
	facts, err := lookupHub(ctx, services, repo, "")
	if err != nil {
		if !couldNotVerify(err) {
			return hubReview{}, hubLookupError(tool, repo, err)
		}
		return hubReview{unverified: unverifiedMessage(repo, err)}, nil
	}

	review := hubReview{facts: facts}
	if declared != "" && facts.Type.Valid() && declared != string(facts.Type) {
		review.typeMismatch = fmt.Sprintf("type %s contradicts the repo, whose %s weights need type %s (%s)", quote(declared), facts.Format, quote(string(facts.Type)), facts.FormatReason)
	}
	if facts.Architecture != "" && !services.architectureSupported(facts.Architecture) {
		review.architecture = unsupportedArchitecture(facts.Architecture)
	}
	return review, nil
}

// strictRefusal returns the error of a call that --hub-strict stops, or nil
// when the server is not strict or the review found nothing. outcome says
// what did not happen, such as "nothing was registered".
func (r hubReview) strictRefusal(services Services, tool, outcome string) error {
	if !services.HubStrict {
		return nil
	}
	reasons := r.problems()
	if r.facts == nil {
		reasons = []string{r.unverified}
	}
	if len(reasons) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %s; %s because the server runs with --hub-strict", tool, strings.Join(reasons, "; "), outcome)
}

// checkWithHub looks the repository up on the Hub, fills the empty
// arguments from it and collects warnings. It rejects a repository that does
// not exist. Under services.HubStrict it also rejects a registration the Hub
// could not verify, a type that contradicts the repo's format and an
// unsupported architecture; otherwise those are warnings.
func checkWithHub(ctx context.Context, services Services, in RegisterModelInput) (hubChecked, error) {
	repo := strings.TrimSpace(in.HuggingFaceID)
	declared := strings.ToLower(strings.TrimSpace(in.Type))
	checked := hubChecked{input: in}

	review, err := reviewWithHub(ctx, services, "register_model", repo, declared)
	if err != nil {
		return hubChecked{}, err
	}
	if err := review.strictRefusal(services, "register_model", "nothing was registered"); err != nil {
		return hubChecked{}, err
	}
	if review.facts == nil {
		checked.warnings = append(checked.warnings, review.unverified)
		return checked, nil
	}

	facts := review.facts
	checked.fill(facts)
	if facts.RepoID != "" && facts.RepoID != repo {
		checked.input.HuggingFaceID = facts.RepoID
		checked.warnings = append(checked.warnings, fmt.Sprintf("registered the Hub's spelling %s instead of %s, because the Control Room stores the id as given", quote(facts.RepoID), quote(repo)))
	}

	if declared == "" && !facts.Type.Valid() {
		return hubChecked{}, &ArgumentError{Argument: "type", Message: fmt.Sprintf("missing, and the weight format %s of %s (%s) matches no Control Room type; pick a repo with safetensors, AWQ, GGUF or GGML weights, or pass type if you know better", facts.Format, quote(repo), facts.FormatReason)}
	}

	checked.warnings = append(checked.warnings, review.problems()...)
	checked.warnings = append(checked.warnings, hubWarnings(facts)...)
	return checked, nil
}

// fill copies the Hub's values into the empty arguments and records which.
func (c *hubChecked) fill(facts *hfhub.Facts) {
	from := registerArguments(facts)
	fields := []struct {
		name        string
		target      *string
		replacement string
	}{
		{"type", &c.input.Type, from.Type},
		{"publisher", &c.input.Publisher, from.Publisher},
		{"numberOfParams", &c.input.NumberOfParams, from.NumberOfParams},
		{"card", &c.input.Card, from.Card},
		{"description", &c.input.Description, from.Description},
		{"quant", &c.input.Quant, from.Quant},
		{"size", &c.input.Size, from.Size},
	}
	for _, field := range fields {
		if strings.TrimSpace(*field.target) == "" && field.replacement != "" {
			*field.target = field.replacement
			c.filled = append(c.filled, field.name)
		}
	}
}
