package metrics

import (
	"context"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// InstrumentAPI returns api with every failed call counted in
// rational_mcp_upstream_errors_total by operation and error kind. The
// operation names match those of controlroom errors and retries, such as
// "deploy model". Results and errors pass through unchanged.
func (m *Metrics) InstrumentAPI(api controlroom.API) controlroom.API {
	return &instrumentedAPI{next: api, metrics: m}
}

type instrumentedAPI struct {
	next    controlroom.API
	metrics *Metrics
}

func observe[T any](m *Metrics, op string, value T, err error) (T, error) {
	m.ObserveUpstreamError(op, err)
	return value, err
}

func (a *instrumentedAPI) ListModels(ctx context.Context, page, size int) (*controlroom.ModelPage, error) {
	out, err := a.next.ListModels(ctx, page, size)
	return observe(a.metrics, "list models", out, err)
}

func (a *instrumentedAPI) GetModel(ctx context.Context, modelID string) (*controlroom.Model, error) {
	out, err := a.next.GetModel(ctx, modelID)
	return observe(a.metrics, "get model", out, err)
}

func (a *instrumentedAPI) RegisterModel(ctx context.Context, req controlroom.RegisterModelRequest) (*controlroom.RegisterResult, error) {
	out, err := a.next.RegisterModel(ctx, req)
	return observe(a.metrics, "register model", out, err)
}

func (a *instrumentedAPI) UpdateModel(ctx context.Context, modelID string, req controlroom.UpdateModelRequest) (*controlroom.Model, error) {
	out, err := a.next.UpdateModel(ctx, modelID, req)
	return observe(a.metrics, "update model", out, err)
}

func (a *instrumentedAPI) DeleteModel(ctx context.Context, modelID string) error {
	err := a.next.DeleteModel(ctx, modelID)
	a.metrics.ObserveUpstreamError("delete model", err)
	return err
}

func (a *instrumentedAPI) DeployModel(ctx context.Context, modelID string, params controlroom.DeploymentParameters) (*controlroom.DeployResult, error) {
	out, err := a.next.DeployModel(ctx, modelID, params)
	return observe(a.metrics, "deploy model", out, err)
}

func (a *instrumentedAPI) GetDeploymentStatus(ctx context.Context, deploymentID string) (*controlroom.Deployment, error) {
	out, err := a.next.GetDeploymentStatus(ctx, deploymentID)
	return observe(a.metrics, "get deployment status", out, err)
}

func (a *instrumentedAPI) ListDeployments(ctx context.Context) ([]controlroom.Deployment, error) {
	out, err := a.next.ListDeployments(ctx)
	return observe(a.metrics, "list deployments", out, err)
}

func (a *instrumentedAPI) PauseDeployment(ctx context.Context, deploymentID string) (*controlroom.ActionResult, error) {
	out, err := a.next.PauseDeployment(ctx, deploymentID)
	return observe(a.metrics, "pause deployment", out, err)
}

func (a *instrumentedAPI) CancelDeployment(ctx context.Context, deploymentID string) (*controlroom.ActionResult, error) {
	out, err := a.next.CancelDeployment(ctx, deploymentID)
	return observe(a.metrics, "cancel deployment", out, err)
}
