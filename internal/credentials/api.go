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
	out, err := client.ListModels(ctx, page, size)
	return out, p.checkToken(err)
}

// GetModel implements controlroom.API with the caller's token.
func (p *PerRequest) GetModel(ctx context.Context, modelID string) (*controlroom.Model, error) {
	client, err := p.client(ctx, "get model")
	if err != nil {
		return nil, err
	}
	out, err := client.GetModel(ctx, modelID)
	return out, p.checkToken(err)
}

// RegisterModel implements controlroom.API with the caller's token.
func (p *PerRequest) RegisterModel(ctx context.Context, req controlroom.RegisterModelRequest) (*controlroom.RegisterResult, error) {
	client, err := p.client(ctx, "register model")
	if err != nil {
		return nil, err
	}
	out, err := client.RegisterModel(ctx, req)
	return out, p.checkToken(err)
}

// UpdateModel implements controlroom.API with the caller's token.
func (p *PerRequest) UpdateModel(ctx context.Context, modelID string, req controlroom.UpdateModelRequest) (*controlroom.Model, error) {
	client, err := p.client(ctx, "update model")
	if err != nil {
		return nil, err
	}
	out, err := client.UpdateModel(ctx, modelID, req)
	return out, p.checkToken(err)
}

// DeleteModel implements controlroom.API with the caller's token.
func (p *PerRequest) DeleteModel(ctx context.Context, modelID string) error {
	client, err := p.client(ctx, "delete model")
	if err != nil {
		return err
	}
	return p.checkToken(client.DeleteModel(ctx, modelID))
}

// DeployModel implements controlroom.API with the caller's token.
func (p *PerRequest) DeployModel(ctx context.Context, modelID string, params controlroom.DeploymentParameters) (*controlroom.DeployResult, error) {
	client, err := p.client(ctx, "deploy model")
	if err != nil {
		return nil, err
	}
	out, err := client.DeployModel(ctx, modelID, params)
	return out, p.checkToken(err)
}

// GetDeploymentStatus implements controlroom.API with the caller's token.
func (p *PerRequest) GetDeploymentStatus(ctx context.Context, deploymentID string) (*controlroom.Deployment, error) {
	client, err := p.client(ctx, "get deployment status")
	if err != nil {
		return nil, err
	}
	out, err := client.GetDeploymentStatus(ctx, deploymentID)
	return out, p.checkToken(err)
}

// ListDeployments implements controlroom.API with the caller's token.
func (p *PerRequest) ListDeployments(ctx context.Context) ([]controlroom.Deployment, error) {
	client, err := p.client(ctx, "list deployments")
	if err != nil {
		return nil, err
	}
	out, err := client.ListDeployments(ctx)
	return out, p.checkToken(err)
}

// PauseDeployment implements controlroom.API with the caller's token.
func (p *PerRequest) PauseDeployment(ctx context.Context, deploymentID string) (*controlroom.ActionResult, error) {
	client, err := p.client(ctx, "pause deployment")
	if err != nil {
		return nil, err
	}
	out, err := client.PauseDeployment(ctx, deploymentID)
	return out, p.checkToken(err)
}

// CancelDeployment implements controlroom.API with the caller's token.
func (p *PerRequest) CancelDeployment(ctx context.Context, deploymentID string) (*controlroom.ActionResult, error) {
	client, err := p.client(ctx, "cancel deployment")
	if err != nil {
		return nil, err
	}
	out, err := client.CancelDeployment(ctx, deploymentID)
	return out, p.checkToken(err)
}

var _ controlroom.API = (*PerRequest)(nil)
