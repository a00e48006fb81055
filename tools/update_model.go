package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// UpdateModelInput is the input of update_model. Only the fields given are
// sent, so the PATCH changes exactly those.
type UpdateModelInput struct {
	ModelID        string  `json:"modelId" jsonschema:"required" jsonschema_description:"From list_models."`
	Name           *string `json:"name,omitempty" jsonschema:"maxLength=256" jsonschema_description:"Name."`
	Type           *string `json:"type,omitempty" jsonschema:"enum=base,enum=awq,enum=ggml,enum=gguf" jsonschema_description:"Weight format."`
	IsFineTuned    *bool   `json:"isFineTuned,omitempty" jsonschema_description:"Fine-tuned flag."`
	HuggingFaceID  *string `json:"huggingFaceId,omitempty" jsonschema:"maxLength=96" jsonschema_description:"Repo id."`
	Publisher      *string `json:"publisher,omitempty" jsonschema_description:"Publisher."`
	NumberOfParams *string `json:"numberOfParams,omitempty" jsonschema_description:"Parameter count."`
	Quant          *string `json:"quant,omitempty" jsonschema_description:"Quantization."`
	Size           *string `json:"size,omitempty" jsonschema_description:"Size."`
	Description    *string `json:"description,omitempty" jsonschema:"maxLength=2000" jsonschema_description:"Description."`
	Card           *string `json:"card,omitempty" jsonschema_description:"Card URL."`
}

// UpdateModelOutput is the result of update_model.
type UpdateModelOutput struct {
	ModelID       string   `json:"modelId" jsonschema:"required" jsonschema_description:"Model id."`
	UpdatedFields []string `json:"updatedFields" jsonschema:"required" jsonschema_description:"Fields changed."`
	Warnings      []string `json:"warnings,omitempty" jsonschema_description:"Hub warnings."`
}

var updateModel = define(Tool{
	Name:        "update_model",
	Title:       "Update a model",
	Description: "Change only the given fields of a catalog model.",
	Toolset:     ToolsetModels,
	Effect:      EffectWrite,
	Annotations: Annotations{ReadOnly: false, Destructive: false, Idempotent: true, OpenWorld: false},
}, runUpdateModel)

func runUpdateModel(ctx context.Context, api controlroom.API, in UpdateModelInput) (UpdateModelOutput, error) {
	if err := requireID("modelId", &in.ModelID, "list_models"); err != nil {
		return UpdateModelOutput{}, err
	}
	request, fields, err := updateRequest(in)
	if err != nil {
		return UpdateModelOutput{}, err
	}

	warnings, err := checkUpdateWithHub(ctx, api, servicesFrom(ctx), in.ModelID, &request)
	if err != nil {
		return UpdateModelOutput{}, err
	}

	if _, err := api.UpdateModel(ctx, in.ModelID, request); err != nil {
		return UpdateModelOutput{}, upstreamError("update_model", modelSubject(in.ModelID), err)
	}
	return UpdateModelOutput{ModelID: in.ModelID, UpdatedFields: fields, Warnings: warnings}, nil
}

// updateRequest builds the PATCH body and lists the JSON names of the fields
// it sets.
func updateRequest(in UpdateModelInput) (controlroom.UpdateModelRequest, []string, error) {
	var request controlroom.UpdateModelRequest
	var fields []string
	setText := func(name string, from *string, to **string) {
		if from == nil {
			return
		}
		value := strings.TrimSpace(*from)
		*to = &value
		fields = append(fields, name)
	}

	if in.Name != nil && strings.TrimSpace(*in.Name) == "" {
		return request, nil, &ArgumentError{Argument: "name", Message: "cannot be empty; pass the new name, or leave name out to keep the current one"}
	}
	setText("name", in.Name, &request.Name)
	if in.Type != nil {
		modelType := controlroom.ModelType(strings.ToLower(strings.TrimSpace(*in.Type)))
		if !modelType.Valid() {
			return request, nil, &ArgumentError{Argument: "type", Message: fmt.Sprintf("got %q, want one of base, awq, ggml, gguf", *in.Type)}
		}
		request.Type = &modelType
		fields = append(fields, "type")
	}
	if in.IsFineTuned != nil {
		request.IsFineTuned = in.IsFineTuned
		fields = append(fields, "isFineTuned")
	}
	if in.HuggingFaceID != nil {
		if err := checkRepoID(strings.TrimSpace(*in.HuggingFaceID)); err != nil {
			return request, nil, err
		}
	}
	setText("huggingFaceId", in.HuggingFaceID, &request.HuggingFaceID)
	setText("publisher", in.Publisher, &request.Publisher)
	setText("numberOfParams", in.NumberOfParams, &request.NumberOfParams)
	setText("quant", in.Quant, &request.Quant)
	setText("size", in.Size, &request.Size)
	setText("description", in.Description, &request.Description)
	setText("card", in.Card, &request.Card)

	if len(fields) == 0 {
		return request, nil, &ArgumentError{Message: "no field to change; pass at least one of name, type, isFineTuned, huggingFaceId, publisher, numberOfParams, quant, size, description, card"}
	}
	return request, fields, nil
}
