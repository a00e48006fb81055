package controlroom

import (
	"context"
	"net/http"
	"net/url"
)

// GetDeploymentStatus returns one deployment by its id. The body may be a
// deployment object, the status as plain text, or empty (Status stays "").
// Status values other than StatusWaitingForChat are passed through as they
// are.
func (c *Client) GetDeploymentStatus(ctx context.Context, deploymentID string) (*Deployment, error) {
	const op = "get deployment status"
	if err := ValidateDeploymentID(deploymentID); err != nil {
		return nil, c.invalidInput(op, err)
	}

	ctx, cancel := c.withBudget(ctx)
	defer cancel()

	cl := &call{op: op, method: http.MethodGet, path: "/models/" + url.PathEscape(deploymentID) + "/deployment-status"}
	r, err := c.send(ctx, cl, deploymentSubject(deploymentID))
	if err != nil {
		return nil, err
	}
	deployment, err := decodeDeploymentStatus(r.body, deploymentID)
	if err != nil {
		return nil, c.decodeFailure(cl, r, err)
	}
	return deployment, nil
}

// ListDeployments returns every deployment in the tenant. The body may be a
// bare array or a page object with a content array.
func (c *Client) ListDeployments(ctx context.Context) ([]Deployment, error) {
	ctx, cancel := c.withBudget(ctx)
	defer cancel()

	cl := &call{op: "list deployments", method: http.MethodGet, path: "/models/deployments"}
	r, err := c.send(ctx, cl, subject{})
	if err != nil {
		return nil, err
	}
	deployments, err := decodeDeploymentList(r.body)
	if err != nil {
		return nil, c.decodeFailure(cl, r, err)
	}
	return deployments, nil
}

// PauseDeployment pauses a deployment, which releases its GPUs. Pausing is
// a state change that has the same effect when repeated, so transient
// failures are retried.
func (c *Client) PauseDeployment(ctx context.Context, deploymentID string) (*ActionResult, error) {
	return c.deploymentAction(ctx, "pause deployment", deploymentID, "pause")
}

// CancelDeployment cancels a deployment, which releases its GPUs.
// Cancelling is a state change that has the same effect when repeated, so
// transient failures are retried.
func (c *Client) CancelDeployment(ctx context.Context, deploymentID string) (*ActionResult, error) {
	return c.deploymentAction(ctx, "cancel deployment", deploymentID, "cancel")
}

func (c *Client) deploymentAction(ctx context.Context, op, deploymentID, action string) (*ActionResult, error) {
	if err := ValidateDeploymentID(deploymentID); err != nil {
		return nil, c.invalidInput(op, err)
	}

	ctx, cancel := c.withBudget(ctx)
	defer cancel()

	cl := &call{op: op, method: http.MethodPost, path: "/models/" + url.PathEscape(deploymentID) + "/" + action}
	r, err := c.send(ctx, cl, deploymentSubject(deploymentID))
	if err != nil {
		return nil, err
	}
	result, err := decodeActionResult(r.body)
	if err != nil {
		return nil, c.decodeFailure(cl, r, err)
	}
	return result, nil
}
