package tools

import (
	"context"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// ModelIDInput is the input of tools that take only a model id.
type ModelIDInput struct {
	ModelID string `json:"modelId" jsonschema:"required" jsonschema_description:"From list_models."`
}

// GetModelOutput is the result of get_model: one catalog record with its
// deployments.
type GetModelOutput struct {
	ID             string                 `json:"id" jsonschema:"required" jsonschema_description:"Model id."`
	Name           string                 `json:"name" jsonschema:"required" jsonschema_description:"Catalog name."`
	Type           string                 `json:"type" jsonschema:"required" jsonschema_description:"Weight format."`
	IsFineTuned    bool                   `json:"isFineTuned" jsonschema:"required" jsonschema_description:"Fine-tuned model."`
	HuggingFaceID  string                 `json:"huggingFaceId,omitempty" jsonschema_description:"Repo id."`
	Publisher      string                 `json:"publisher,omitempty" jsonschema_description:"Publisher."`
	NumberOfParams string                 `json:"numberOfParams,omitempty" jsonschema_description:"Parameter count."`
	Quant          string                 `json:"quant,omitempty" jsonschema_description:"Quantization."`
	Size           string                 `json:"size,omitempty" jsonschema_description:"On-disk size."`
	Description    string                 `json:"description,omitempty" jsonschema_description:"Description."`
	Card           string                 `json:"card,omitempty" jsonschema_description:"Card URL."`
	Deployments    rowList[DeploymentRow] `json:"deployments" jsonschema:"required" jsonschema_description:"Rows as in list_deployments."`
}

var getModel = define(Tool{
	Name:        "get_model",
	Title:       "Get a model",
	Description: "Get one catalog model with its deployments and their status.",
	Toolset:     ToolsetModels,
	Effect:      EffectRead,
	Annotations: Annotations{ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},
}, runGetModel)

func runGetModel(ctx context.Context, api controlroom.API, in ModelIDInput) (GetModelOutput, error) {
	if err := requireID("modelId", &in.ModelID, "list_models"); err != nil {
		return GetModelOutput{}, err
	}

	model, err := api.GetModel(ctx, in.ModelID)
	if err != nil {
		return GetModelOutput{}, upstreamError("get_model", modelSubject(in.ModelID), err)
	}

	out := GetModelOutput{
		ID:             model.ID,
		Name:           model.Name,
		Type:           string(model.Type),
		IsFineTuned:    model.IsFineTuned,
		HuggingFaceID:  model.HuggingFaceID,
		Publisher:      model.Publisher,
		NumberOfParams: model.NumberOfParams,
		Quant:          model.Quant,
		Size:           model.Size,
		Description:    model.Description,
		Card:           model.Card,
		Deployments:    rowList[DeploymentRow]{},
	}
	for _, deployment := range model.Deployments {
		out.Deployments = append(out.Deployments, deploymentRow(deployment, model.ID))
	}
	return out, nil
}
