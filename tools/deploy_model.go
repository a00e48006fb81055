package tools

import (
	"context"
	"fmt"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// DeployModelInput is the input of deploy_model. Field names and ranges follow
// the Management API's DeploymentParameters and the client's checks.
type DeployModelInput struct {
	ModelID           string   `json:"modelId" jsonschema:"required" jsonschema_description:"From list_models."`
	ForceDeployment   bool     `json:"forceDeployment,omitempty" jsonschema_description:"Replace an existing deployment."`
	Temperature       *float64 `json:"temperature,omitempty" jsonschema:"minimum=0,maximum=2" jsonschema_description:"Default temperature."`
	TopP              *float64 `json:"topP,omitempty" jsonschema:"minimum=0,maximum=1" jsonschema_description:"Nucleus sampling."`
	TopK              *float64 `json:"topK,omitempty" jsonschema:"minimum=0" jsonschema_description:"Top-k sampling."`
	MinP              *float64 `json:"minP,omitempty" jsonschema:"minimum=0,maximum=1" jsonschema_description:"Min-p sampling."`
	RepetitionPenalty *float64 `json:"repetitionPenalty,omitempty" jsonschema:"minimum=0" jsonschema_description:"Repetition penalty, above 0."`
	MaxOutputTokens   *int     `json:"maxOutputTokens,omitempty" jsonschema:"minimum=1" jsonschema_description:"Default max output tokens."`
	AdapterScale      *float64 `json:"adapterScale,omitempty" jsonschema:"minimum=0,default=1" jsonschema_description:"Adapter scale."`
}

// DeployModelOutput is the result of deploy_model.
type DeployModelOutput struct {
	DeploymentID string `json:"deploymentId" jsonschema:"required" jsonschema_description:"Deployment id."`
	ModelID      string `json:"modelId" jsonschema:"required" jsonschema_description:"Model id."`
	Reconciled   bool   `json:"reconciled" jsonschema:"required" jsonschema_description:"Found after a lost reply."`
	Message      string `json:"message" jsonschema:"required" jsonschema_description:"Next step."`
}

// defaultAdapterScale is sent when the caller gives none, because the
// vendor's guide states that existing deployments carry "adapterScale": 1
// and recommends sending it.
const defaultAdapterScale = 1.0

var deployModel = define(Tool{
	Name:        "deploy_model",
	Title:       "Deploy a model",
	Description: "Serve a registered model on GPUs; then poll get_deployment_status with the deploymentId until ready.",
	Toolset:     ToolsetDeployments,
	Effect:      EffectGPU,
	Annotations: Annotations{ReadOnly: false, Destructive: false, Idempotent: false, OpenWorld: false},
}, runDeployModel)

func runDeployModel(ctx context.Context, api controlroom.API, in DeployModelInput) (DeployModelOutput, error) {
	if err := requireID("modelId", &in.ModelID, "list_models"); err != nil {
		return DeployModelOutput{}, err
	}

	params := deploymentParameters(in)
	if err := params.Validate(); err != nil {
		return DeployModelOutput{}, &ArgumentError{Message: err.Error()}
	}

	result, err := api.DeployModel(ctx, in.ModelID, params)
	if err != nil {
		return DeployModelOutput{}, upstreamError("deploy_model", modelSubject(in.ModelID), err)
	}
	message := fmt.Sprintf("deployment %s started; call get_deployment_status with this deploymentId until ready is true (takes minutes)", quote(result.DeploymentID))
	if result.Reconciled {
		message = fmt.Sprintf("the reply to the deploy request was lost, and deployment %s is the only deployment of this model that appeared since, so it is taken as this deploy's (inferred: another client of the same Control Room tenant deploying this model at the same time could have started it); call get_deployment_status with this deploymentId until ready is true (takes minutes)", quote(result.DeploymentID))
	}
	return DeployModelOutput{
		DeploymentID: result.DeploymentID,
		ModelID:      in.ModelID,
		Reconciled:   result.Reconciled,
		Message:      message,
	}, nil
}

func deploymentParameters(in DeployModelInput) controlroom.DeploymentParameters {
	params := controlroom.DeploymentParameters{
		ForceDeployment:   in.ForceDeployment,
		Temperature:       in.Temperature,
		TopP:              in.TopP,
		TopK:              in.TopK,
		MinP:              in.MinP,
		RepetitionPenalty: in.RepetitionPenalty,
		MaxOutputTokens:   in.MaxOutputTokens,
		AdapterScale:      in.AdapterScale,
	}
	if params.AdapterScale == nil {
		scale := defaultAdapterScale
		params.AdapterScale = &scale
	}
	return params
}
