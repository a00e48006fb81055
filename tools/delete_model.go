package tools

import (
	"context"
	"fmt"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// DeleteModelOutput is the result of delete_model.
type DeleteModelOutput struct {
	ModelID string `json:"modelId" jsonschema:"required" jsonschema_description:"Model id."`
	Deleted bool   `json:"deleted" jsonschema:"required" jsonschema_description:"True once deleted."`
	Message string `json:"message" jsonschema:"required" jsonschema_description:"Outcome."`
}

var deleteModel = define(Tool{
	Name:        "delete_model",
	Title:       "Delete a model",
	Description: "Delete a catalog model for good; cancel its deployments first.",
	Toolset:     ToolsetModels,
	Effect:      EffectDestructive,
	Annotations: Annotations{ReadOnly: false, Destructive: true, Idempotent: true, OpenWorld: false},
}, runDeleteModel)

func runDeleteModel(ctx context.Context, api controlroom.API, in ModelIDInput) (DeleteModelOutput, error) {
	if err := requireID("modelId", &in.ModelID, "list_models"); err != nil {
		return DeleteModelOutput{}, err
	}

	if err := api.DeleteModel(ctx, in.ModelID); err != nil {
		return DeleteModelOutput{}, upstreamError("delete_model", modelSubject(in.ModelID), err)
	}
	return DeleteModelOutput{
		ModelID: in.ModelID,
		Deleted: true,
		Message: fmt.Sprintf("deleted model %s", quote(in.ModelID)),
	}, nil
}
