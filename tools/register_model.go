package tools

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// repoIDPattern is the shape of a Hugging Face repo id: owner/name, each part
// letters, digits, '-', '_' or '.', at most 96 characters in all.
var repoIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$`)

const maxRepoIDLength = 96

// RegisterModelInput is the input of register_model. Field names follow the
// Management API's RegisterModelRequest.
type RegisterModelInput struct {
	HuggingFaceID  string `json:"huggingFaceId" jsonschema:"required,minLength=3,maxLength=96" jsonschema_description:"Repo id, e.g. google/gemma-4-12B-it."`
	Type           string `json:"type,omitempty" jsonschema:"enum=base,enum=awq,enum=ggml,enum=gguf" jsonschema_description:"Weight format; default: detected on the Hub."`
	Name           string `json:"name,omitempty" jsonschema:"maxLength=256" jsonschema_description:"Catalog name; defaults to huggingFaceId."`
	IsFineTuned    bool   `json:"isFineTuned,omitempty" jsonschema:"default=false" jsonschema_description:"True for a fine-tuned model."`
	Publisher      string `json:"publisher,omitempty" jsonschema_description:"Publisher."`
	NumberOfParams string `json:"numberOfParams,omitempty" jsonschema_description:"Parameter count in digits."`
	Quant          string `json:"quant,omitempty" jsonschema_description:"Quantization label."`
	Size           string `json:"size,omitempty" jsonschema_description:"On-disk size."`
	Description    string `json:"description,omitempty" jsonschema:"maxLength=2000" jsonschema_description:"Short description."`
	Card           string `json:"card,omitempty" jsonschema_description:"Model card URL."`
}

// RegisterModelOutput is the result of register_model.
type RegisterModelOutput struct {
	ModelID        string `json:"modelId" jsonschema:"required" jsonschema_description:"Model id."`
	Name           string `json:"name" jsonschema:"required" jsonschema_description:"Catalog name."`
	AlreadyExisted bool   `json:"alreadyExisted" jsonschema:"required" jsonschema_description:"Name was taken; this is that record."`
	Message        string `json:"message" jsonschema:"required" jsonschema_description:"Outcome and next step."`
	// FilledFromHub names the arguments that were empty and were taken
	// from the Hugging Face Hub.
	FilledFromHub []string `json:"filledFromHub,omitempty" jsonschema_description:"Filled from the Hub."`
	Warnings      []string `json:"warnings,omitempty" jsonschema_description:"Hub warnings."`
}

var registerModel = define(Tool{
	Name:        "register_model",
	Title:       "Register a model",
	Description: "Register a Hugging Face model in the catalog, without deploying it; a taken name returns the existing record.",
	Toolset:     ToolsetModels,
	Effect:      EffectWrite,
	Annotations: Annotations{ReadOnly: false, Destructive: false, Idempotent: true, OpenWorld: false},
}, runRegisterModel)

func runRegisterModel(ctx context.Context, api controlroom.API, in RegisterModelInput) (RegisterModelOutput, error) {
	if err := checkRegisterInput(in); err != nil {
		return RegisterModelOutput{}, err
	}

	checked, err := checkWithHub(ctx, servicesFrom(ctx), in)
	if err != nil {
		return RegisterModelOutput{}, err
	}

	request, err := registerRequest(checked.input)
	if err != nil {
		return RegisterModelOutput{}, err
	}

	result, err := api.RegisterModel(ctx, request)
	if err != nil {
		return RegisterModelOutput{}, upstreamError("register_model", subject{kind: "model", id: request.Name}, err)
	}

	out := RegisterModelOutput{
		ModelID:        result.Model.ID,
		Name:           result.Model.Name,
		AlreadyExisted: result.AlreadyExisted,
		FilledFromHub:  checked.filled,
		Warnings:       checked.warnings,
	}
	if result.AlreadyExisted {
		out.Message = fmt.Sprintf("a model named %s already exists with id %s; nothing was registered. Reuse that id with get_model or deploy_model", quote(request.Name), quote(result.Model.ID))
	} else {
		out.Message = fmt.Sprintf("registered %s with id %s; call deploy_model with this modelId to serve it", quote(request.Name), quote(result.Model.ID))
	}
	return out, nil
}

// checkRegisterInput checks the arguments that do not need the Hub, so a
// bad call is rejected before any lookup.
func checkRegisterInput(in RegisterModelInput) error {
	if err := checkRepoID(strings.TrimSpace(in.HuggingFaceID)); err != nil {
		return err
	}
	if declared := strings.TrimSpace(in.Type); declared != "" {
		if !controlroom.ModelType(strings.ToLower(declared)).Valid() {
			return invalidType(in.Type)
		}
	}
	return nil
}

func invalidType(value string) error {
	return &ArgumentError{Argument: "type", Message: fmt.Sprintf("got %q, want one of base, awq, ggml, gguf (base for full-precision weights)", value)}
}

// registerRequest checks the arguments and builds the Management API body.
func registerRequest(in RegisterModelInput) (controlroom.RegisterModelRequest, error) {
	repo := strings.TrimSpace(in.HuggingFaceID)
	if err := checkRepoID(repo); err != nil {
		return controlroom.RegisterModelRequest{}, err
	}
	modelType := controlroom.ModelType(strings.ToLower(strings.TrimSpace(in.Type)))
	if strings.TrimSpace(in.Type) == "" {
		return controlroom.RegisterModelRequest{}, &ArgumentError{Argument: "type", Message: "missing, and the Hugging Face Hub could not supply it; pass base, awq, ggml or gguf to match the repo's weights"}
	}
	if !modelType.Valid() {
		return controlroom.RegisterModelRequest{}, invalidType(in.Type)
	}

	name := strings.TrimSpace(in.Name)
	if name == "" {
		name = repo
	}
	return controlroom.RegisterModelRequest{
		Name:           name,
		Type:           modelType,
		IsFineTuned:    in.IsFineTuned,
		HuggingFaceID:  repo,
		Publisher:      strings.TrimSpace(in.Publisher),
		NumberOfParams: strings.TrimSpace(in.NumberOfParams),
		Quant:          strings.TrimSpace(in.Quant),
		Size:           strings.TrimSpace(in.Size),
		Description:    strings.TrimSpace(in.Description),
		Card:           strings.TrimSpace(in.Card),
	}, nil
}

func checkRepoID(repo string) error {
	if repo == "" {
		return &ArgumentError{Argument: "huggingFaceId", Message: "missing; pass the exact Hugging Face repo id, e.g. google/gemma-4-12B-it"}
	}
	if len(repo) > maxRepoIDLength || !repoIDPattern.MatchString(repo) {
		return &ArgumentError{Argument: "huggingFaceId", Message: fmt.Sprintf("%q is not a Hugging Face repo id; use owner/name with letters, digits, '-', '_' or '.', e.g. google/gemma-4-12B-it", repo)}
	}
	return nil
}
