package tools

import (
	"context"
	"fmt"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

var cancelDeployment = define(Tool{
	Name:        "cancel_deployment",
	Title:       "Cancel a deployment",
	Description: "Cancel a deployment for good and release its GPUs.",
	Toolset:     ToolsetDeployments,
	Effect:      EffectDestructive,
	Annotations: Annotations{ReadOnly: false, Destructive: true, Idempotent: true, OpenWorld: false},
}, runCancelDeployment)

func runCancelDeployment(ctx context.Context, api controlroom.API, in DeploymentIDInput) (DeploymentActionOutput, error) {
	if err := requireID("deploymentId", &in.DeploymentID, "list_deployments"); err != nil {
		return DeploymentActionOutput{}, err
	}

	result, err := api.CancelDeployment(ctx, in.DeploymentID)
	if err != nil {
		return DeploymentActionOutput{}, upstreamError("cancel_deployment", deploymentSubject(in.DeploymentID), err)
	}
	return actionOutput(in.DeploymentID, result, fmt.Sprintf("canceled deployment %s; its GPUs are released", quote(in.DeploymentID))), nil
}
