package credentials

import (
	"context"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// ListModels implements controlroom.API with the caller's token.
func (p *PerRequest) ListModels(ctx context.Context, page, size int) (*controlroom.ModelPage, error) {
	client, err := p.client(ctx, "list models")
	if err != nil {
		return nil, err
	}
	return client.ListModels(ctx, page, size)
}

// GetModel implements controlroom.API with the caller's token.
func (p *PerRequest) GetModel(ctx context.Context, modelID string) (*controlroom.Model, error) {
	client, err := p.client(ctx, "get model")
	if err != nil {
		return nil, err
	}
	return client.GetModel(ctx, modelID)
}

// RegisterModel implements controlroom.API with the caller's token.
func (p *PerRequest) RegisterModel(ctx context.Context, req controlroom.RegisterModelRequest) (*controlroom.RegisterResult, error) {
	client, err := p.client(ctx, "register model")
	if err != nil {
		return nil, err
	}
	return client.RegisterModel(ctx, req)
}

// UpdateModel implements controlroom.API with the caller's token.
func (p *PerRequest) UpdateModel(ctx context.Context, modelID string, req controlroom.UpdateModelRequest) (*controlroom.Model, error) {
	client, err := p.client(ctx, "update model")
	if err != nil {
		return nil, err
	}
	return client.UpdateModel(ctx, modelID, req)
}

// DeleteModel implements controlroom.API with the caller's token.
func (p *PerRequest) DeleteModel(ctx context.Context, modelID string) error {
	client, err := p.client(ctx, "delete model")
	if err != nil {
		return err
	}
	return client.DeleteModel(ctx, modelID)
}

// DeployModel implements controlroom.API with the caller's token.
func (p *PerRequest) DeployModel(ctx context.Context, modelID string, params controlroom.DeploymentParameters) (*controlroom.DeployResult, error) {
	client, err := p.client(ctx, "deploy model")
	if err != nil {
		return nil, err
	}
	return client.DeployModel(ctx, modelID, params)
}

// GetDeploymentStatus implements controlroom.API with the caller's token.
func (p *PerRequest) GetDeploymentStatus(ctx context.Context, deploymentID string) (*controlroom.Deployment, error) {
	client, err := p.client(ctx, "get deployment status")
	if err != nil {
		return nil, err
	}
	return client.GetDeploymentStatus(ctx, deploymentID)
}

// ListDeployments implements controlroom.API with the caller's token.
func (p *PerRequest) ListDeployments(ctx context.Context) ([]controlroom.Deployment, error) {
	client, err := p.client(ctx, "list deployments")
	if err != nil {
		return nil, err
	}
	return client.ListDeployments(ctx)
}

// PauseDeployment implements controlroom.API with the caller's token.
func (p *PerRequest) PauseDeployment(ctx context.Context, deploymentID string) (*controlroom.ActionResult, error) {
	client, err := p.client(ctx, "pause deployment")
	if err != nil {
		return nil, err
	}
	return client.PauseDeployment(ctx, deploymentID)
}

// CancelDeployment implements controlroom.API with the caller's token.
func (p *PerRequest) CancelDeployment(ctx context.Context, deploymentID string) (*controlroom.ActionResult, error) {
	client, err := p.client(ctx, "cancel deployment")
	if err != nil {
		return nil, err
	}
	return client.CancelDeployment(ctx, deploymentID)
}

var _ controlroom.API = (*PerRequest)(nil)
