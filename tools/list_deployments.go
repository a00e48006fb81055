package tools

import (
	"context"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// ListDeploymentsInput is the input of list_deployments.
type ListDeploymentsInput struct {
	ModelID string `json:"modelId,omitempty" jsonschema_description:"Only deployments of this model."`
	Status  string `json:"status,omitempty" jsonschema_description:"Only this status, e.g. waitingForChat."`
}

// ListDeploymentsOutput is the result of list_deployments.
type ListDeploymentsOutput struct {
	Deployments rowList[DeploymentRow] `json:"deployments" jsonschema:"required" jsonschema_description:"Rows shaped like get_deployment_status results."`
	Count       int                    `json:"count" jsonschema:"required" jsonschema_description:"Row count."`
}

var listDeployments = define(Tool{
	Name:        "list_deployments",
	Title:       "List deployments",
	Description: "List deployments, optionally by modelId or status.",
	Toolset:     ToolsetDeployments,
	Effect:      EffectRead,
	Annotations: Annotations{ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},
}, runListDeployments)

func runListDeployments(ctx context.Context, api controlroom.API, in ListDeploymentsInput) (ListDeploymentsOutput, error) {
	modelID := strings.TrimSpace(in.ModelID)
	status := strings.TrimSpace(in.Status)

	deployments, err := fetchDeployments(ctx, api, modelID)
	if err != nil {
		return ListDeploymentsOutput{}, err
	}

	out := ListDeploymentsOutput{Deployments: rowList[DeploymentRow]{}}
	for _, deployment := range deployments {
		if status != "" && !strings.EqualFold(deployment.Status, status) {
			continue
		}
		out.Deployments = append(out.Deployments, deploymentRow(deployment, modelID))
	}
	out.Count = len(out.Deployments)
	return out, nil
}

// fetchDeployments returns every deployment, or with modelID set the
// deployments in that model's record. The vendor's guide documents the
// deployments array of a model record but not whether the tenant-wide list
// names each deployment's model, so filtering that list by model could
// silently drop rows.
func fetchDeployments(ctx context.Context, api controlroom.API, modelID string) ([]controlroom.Deployment, error) {
	if modelID == "" {
		deployments, err := api.ListDeployments(ctx)
		if err != nil {
			return nil, upstreamError("list_deployments", subject{}, err)
		}
		return deployments, nil
	}

	model, err := api.GetModel(ctx, modelID)
	if err != nil {
		return nil, upstreamError("list_deployments", modelSubject(modelID), err)
	}
	return model.Deployments, nil
}
