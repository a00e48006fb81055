package tools

import (
	"context"
	"fmt"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

var pauseDeployment = define(Tool{
	Name:        "pause_deployment",
	Title:       "Pause a deployment",
	Description: "Release the GPUs; resume with deploy_model forceDeployment true.",
	Toolset:     ToolsetDeployments,
	Effect:      EffectInterrupt,
	Annotations: Annotations{ReadOnly: false, Destructive: false, Idempotent: true, OpenWorld: false},
}, runPauseDeployment)

func runPauseDeployment(ctx context.Context, api controlroom.API, in DeploymentIDInput) (DeploymentActionOutput, error) {
	if err := requireID("deploymentId", &in.DeploymentID, "list_deployments"); err != nil {
		return DeploymentActionOutput{}, err
	}

	result, err := api.PauseDeployment(ctx, in.DeploymentID)
	if err != nil {
		return DeploymentActionOutput{}, upstreamError("pause_deployment", deploymentSubject(in.DeploymentID), err)
	}
	return actionOutput(in.DeploymentID, result, fmt.Sprintf("paused deployment %s; its GPUs are released. To serve the model again, call deploy_model with forceDeployment true", quote(in.DeploymentID))), nil
}

// actionOutput builds the result of pause or cancel from the Control Room's
// response, whose body the vendor's guide does not describe.
func actionOutput(deploymentID string, result *controlroom.ActionResult, message string) DeploymentActionOutput {
	out := DeploymentActionOutput{DeploymentID: deploymentID, Message: message}
	if result == nil {
		return out
	}
	if result.Deployment != nil {
		out.Status = result.Deployment.Status
	}
	if result.Message != "" {
		out.Message += "; the Control Room replied: " + result.Message
	}
	return out
}
