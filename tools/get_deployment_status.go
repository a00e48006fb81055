package tools

import (
	"context"
	"fmt"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// DeploymentStatusOutput is the result of get_deployment_status.
type DeploymentStatusOutput struct {
	DeploymentRow
	Message string `json:"message" jsonschema:"required" jsonschema_description:"Next step."`
}

var getDeploymentStatus = define(Tool{
	Name:        "get_deployment_status",
	Title:       "Get deployment status",
	Description: "Get a deployment's status, ready flag, GPU count and serviceUrl. Call again later while ready is false.",
	Toolset:     ToolsetDeployments,
	Effect:      EffectRead,
	Annotations: Annotations{ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},
}, runGetDeploymentStatus)

func runGetDeploymentStatus(ctx context.Context, api controlroom.API, in DeploymentIDInput) (DeploymentStatusOutput, error) {
	if err := requireID("deploymentId", &in.DeploymentID, "list_deployments"); err != nil {
		return DeploymentStatusOutput{}, err
	}

	deployment, err := api.GetDeploymentStatus(ctx, in.DeploymentID)
	if err != nil {
		return DeploymentStatusOutput{}, upstreamError("get_deployment_status", deploymentSubject(in.DeploymentID), err)
	}

	row := deploymentRow(*deployment, "")
	if row.DeploymentID == "" {
		row.DeploymentID = in.DeploymentID
	}
	out := DeploymentStatusOutput{DeploymentRow: row}
	if row.Ready {
		out.Message = fmt.Sprintf("ready; the OpenAI-compatible endpoint is %s", row.ServiceURL)
	} else {
		status := row.Status
		if status == "" {
			status = "unknown"
		}
		out.Message = fmt.Sprintf("not ready (status %s); while it is starting, call get_deployment_status again in a minute", quote(status))
	}
	return out, nil
}
