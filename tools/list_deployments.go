package tools

import (
	"context"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// ListDeploymentsInput is the input of list_deployments.
type ListDeploymentsInput struct {
	ModelID string `json:"modelId,omitempty" jsonschema:"maxLength=200" jsonschema_description:"Only deployments of this model."`
	Status  string `json:"status,omitempty" jsonschema:"maxLength=100" jsonschema_description:"Only deployments with this status, e.g. waitingForChat."`
}

// ListDeploymentsOutput is the result of list_deployments.
type ListDeploymentsOutput struct {
	Deployments []DeploymentRow `json:"deployments" jsonschema:"required" jsonschema_description:"Rows."`
	Count       int             `json:"count" jsonschema:"required" jsonschema_description:"Row count."`
}

var listDeployments = define(Tool{
	Name:        "list_deployments",
	Title:       "List deployments",
	Description: "List all deployments in the tenant, optionally filtered by modelId or status.",
	Toolset:     ToolsetDeployments,
	Effect:      EffectRead,
	Annotations: Annotations{ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},
}, runListDeployments)

func runListDeployments(ctx context.Context, api controlroom.API, in ListDeploymentsInput) (ListDeploymentsOutput, error) {
	modelID := strings.TrimSpace(in.ModelID)
	status := strings.TrimSpace(in.Status)

	deployments, err := api.ListDeployments(ctx)
	if err != nil {
		return ListDeploymentsOutput{}, upstreamError("list_deployments", subject{}, err)
	}

	out := ListDeploymentsOutput{Deployments: []DeploymentRow{}}
	for _, deployment := range deployments {
		if modelID != "" && !strings.EqualFold(deployment.ModelID, modelID) {
			continue
		}
		if status != "" && !strings.EqualFold(deployment.Status, status) {
			continue
		}
		out.Deployments = append(out.Deployments, deploymentRow(deployment, ""))
	}
	out.Count = len(out.Deployments)
	return out, nil
}
