package tools

import (
	"context"
	"fmt"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// checkUpdateWithHub runs register_model's Hub checks on the fields that an
// update changes. A new huggingFaceId must exist on the Hub, and its format
// and architecture are checked. A new type is checked against the format of
// the repo the record will point to. The type or repo that the update leaves
// alone is read from the current record. The Hub's spelling of a new repo id
// replaces the given one in request. It returns the warnings for the caller,
// or an error when the Hub rejects the update or --hub-strict stops it.
func checkUpdateWithHub(ctx context.Context, api controlroom.API, services Services, modelID string, request *controlroom.UpdateModelRequest) ([]string, error) {
	if request.HuggingFaceID == nil && request.Type == nil {
		return nil, nil
	}

	repo, declared := "", ""
	if request.HuggingFaceID != nil {
		repo = *request.HuggingFaceID
	}
	if request.Type != nil {
		declared = string(*request.Type)
	}
	if request.HuggingFaceID == nil || request.Type == nil {
		current, err := api.GetModel(ctx, modelID)
		if err != nil {
			return nil, upstreamError("update_model", modelSubject(modelID), err)
		}
		if request.HuggingFaceID == nil {
			repo = current.HuggingFaceID
		}
		if request.Type == nil {
			declared = string(current.Type)
		}
	}
	if repo == "" {
		return []string{fmt.Sprintf("the record has no huggingFaceId, so type %s was not checked against the Hugging Face Hub", quote(declared))}, nil
	}

	review, err := reviewWithHub(ctx, services, "update_model", repo, declared)
	if err != nil {
		return nil, err
	}
	if request.HuggingFaceID == nil {
		// The repo stays the same, so its architecture is no news.
		review.architecture = ""
	}
	if review.typeMismatch != "" && request.Type == nil {
		review.typeMismatch = fmt.Sprintf("the record's %s; pass type %s with the new huggingFaceId", review.typeMismatch, quote(string(review.facts.Type)))
	}
	if err := review.strictRefusal(services, "update_model", "nothing was changed"); err != nil {
		return nil, err
	}
	if review.facts == nil {
		return []string{review.unverified}, nil
	}

	warnings := review.problems()
	if request.HuggingFaceID == nil {
		return warnings, nil
	}
	facts := review.facts
	if facts.RepoID != "" && facts.RepoID != repo {
		spelling := facts.RepoID
		request.HuggingFaceID = &spelling
		warnings = append(warnings, fmt.Sprintf("stored the Hub's spelling %s instead of %s, because the Control Room stores the id as given", quote(spelling), quote(repo)))
	}
	return append(warnings, hubWarnings(facts)...), nil
}
