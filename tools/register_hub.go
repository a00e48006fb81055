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

// checkWithHub looks the repository up on the Hub, fills the empty
// arguments from it and collects warnings. It rejects a repository that does
// not exist. Under services.HubStrict it also rejects a registration the Hub
// could not verify, a type that contradicts the repo's format and an
// unsupported architecture; otherwise those are warnings.
func checkWithHub(ctx context.Context, services Services, in RegisterModelInput) (hubChecked, error) {
	repo := strings.TrimSpace(in.HuggingFaceID)
	checked := hubChecked{input: in}

	facts, err := lookupHub(ctx, services, repo, "")
	if err != nil {
		if !couldNotVerify(err) {
			return hubChecked{}, hubLookupError("register_model", repo, err)
		}
		if services.HubStrict {
			return hubChecked{}, fmt.Errorf("register_model: %s; nothing was registered because the server runs with --hub-strict", unverifiedMessage(repo, err))
		}
		checked.warnings = append(checked.warnings, unverifiedMessage(repo, err))
		return checked, nil
	}

	checked.fill(facts)
	if facts.RepoID != "" && facts.RepoID != repo {
		checked.input.HuggingFaceID = facts.RepoID
		checked.warnings = append(checked.warnings, fmt.Sprintf("registered the Hub's spelling %s instead of %s, because the Control Room stores the id as given", quote(facts.RepoID), quote(repo)))
	}

	declared := strings.ToLower(strings.TrimSpace(in.Type))
	if declared == "" && !facts.Type.Valid() {
		return hubChecked{}, &ArgumentError{Argument: "type", Message: fmt.Sprintf("missing, and the weight format %s of %s (%s) matches no Control Room type; pick a repo with safetensors, AWQ, GGUF or GGML weights, or pass type if you know better", facts.Format, quote(repo), facts.FormatReason)}
	}

	var problems []string
	if declared != "" && facts.Type.Valid() && declared != string(facts.Type) {
		problems = append(problems, fmt.Sprintf("type %s contradicts the repo, whose %s weights need type %s (%s)", quote(declared), facts.Format, quote(string(facts.Type)), facts.FormatReason))
	}
	if facts.Architecture != "" && !services.architectureSupported(facts.Architecture) {
		problems = append(problems, unsupportedArchitecture(facts.Architecture))
	}
	if len(problems) > 0 && services.HubStrict {
		return hubChecked{}, fmt.Errorf("register_model: %s; nothing was registered because the server runs with --hub-strict", strings.Join(problems, "; "))
	}

	checked.warnings = append(checked.warnings, problems...)
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
