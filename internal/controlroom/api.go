package controlroom

import "context"

// API is the set of Management API operations that the MCP tools use. *Client
// implements it against a real Control Room or the simulator; tests may wrap
// it to count or fail calls.
type API interface {
	// ListModels returns one catalog page; page is 0-based.
	ListModels(ctx context.Context, page, size int) (*ModelPage, error)
	// GetModel returns one record with its deployments.
	GetModel(ctx context.Context, modelID string) (*Model, error)
	// RegisterModel creates a record. A 409 resolves to the existing record
	// with AlreadyExisted set, so the call is safe to repeat.
	RegisterModel(ctx context.Context, req RegisterModelRequest) (*RegisterResult, error)
	// UpdateModel sends a PATCH with only the fields set in req.
	UpdateModel(ctx context.Context, modelID string, req UpdateModelRequest) (*Model, error)
	// DeleteModel removes a record.
	DeleteModel(ctx context.Context, modelID string) error
	// DeployModel starts a deployment. It is never resent blindly: an
	// ambiguous failure is reconciled against the model's deployments, and
	// an outcome that cannot be established is an error of kind
	// KindOutcomeUnknown.
	DeployModel(ctx context.Context, modelID string, params DeploymentParameters) (*DeployResult, error)
	// GetDeploymentStatus returns one deployment by its id.
	GetDeploymentStatus(ctx context.Context, deploymentID string) (*Deployment, error)
	// ListDeployments returns every deployment in the tenant.
	ListDeployments(ctx context.Context) ([]Deployment, error)
	// PauseDeployment pauses a deployment and releases its GPUs.
	PauseDeployment(ctx context.Context, deploymentID string) (*ActionResult, error)
	// CancelDeployment cancels a deployment and releases its GPUs.
	CancelDeployment(ctx context.Context, deploymentID string) (*ActionResult, error)
}
