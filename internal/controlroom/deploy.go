package controlroom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DeployModel validates params and starts a deployment of the model.
//
// A deploy is not idempotent, so it is never resent after the request may
// have reached the Control Room. Before sending, the client reads the model
// and records its deployment ids. When the deploy then fails ambiguously (a
// timeout or broken connection after the request was written, a 5xx, or a
// success body without a valid id) the client rereads the model for up to
// ReconcileBudget: exactly one new deployment id is returned with Reconciled
// set; none or several end in KindOutcomeUnknown. Deploys of the same model
// through one Client run one at a time, from the first read of the model
// until reconciliation ends, so a reconciled id never belongs to another
// deploy made through this Client. Failures that prove the
// request was not acted on (connection refused, 429, other 4xx) are retried
// or returned as they are. A caller that cancels ctx while the request may be
// in flight also gets KindOutcomeUnknown, wrapping context.Canceled.
func (c *Client) DeployModel(ctx context.Context, modelID string, params DeploymentParameters) (*DeployResult, error) {
	const op = "deploy model"
	if err := ValidateModelID(modelID); err != nil {
		return nil, c.invalidInput(op, err)
	}
	if err := params.Validate(); err != nil {
		return nil, c.invalidInput(op, err)
	}

	ctx, cancel := c.withBudget(ctx)
	defer cancel()

	unlock, err := c.deploys.lock(ctx, modelID)
	if err != nil {
		return nil, c.lockWaitFailed(modelID, err)
	}
	defer unlock()

	before, err := c.getModel(ctx, op, modelID)
	if err != nil {
		var apiErr *Error
		if errors.As(err, &apiErr) && apiErr.Kind != KindNotFound {
			apiErr.Message = "reading the model before deploying failed, so no deploy request was sent: " + apiErr.Message
		}
		return nil, err
	}
	if err := c.checkExpectedModel(ctx, op, before); err != nil {
		return nil, err
	}
	known := deploymentIDs(before)

	sendCtx, cancelSend := c.sendContext(ctx)
	defer cancelSend()
	cl := &call{
		op: op, method: http.MethodPost, path: "/models/" + url.PathEscape(modelID) + "/deploy",
		body: jsonBody(params), policy: retryUnsent,
	}
	r, failure := c.do(sendCtx, cl)

	var cause error
	switch {
	case failure != nil && !failure.mayHaveArrived:
		apiErr := c.transportFailure(sendCtx, cl, failure)
		apiErr.Message = "the deploy request was not sent: " + apiErr.Message
		return nil, apiErr

	case failure != nil:
		cause = failure

	case r.status >= 200 && r.status <= 299:
		id, err := decodeDeploymentID(r.body)
		if err == nil {
			return &DeployResult{DeploymentID: id}, nil
		}
		cause = fmt.Errorf("HTTP %d with %w", r.status, err)

	case r.status >= 500:
		cause = fmt.Errorf("HTTP %d: %s", r.status, errorMessage(r.body))

	default:
		return nil, c.statusError(cl, r, modelSubject(modelID))
	}

	if ctx.Err() != nil {
		return nil, c.outcomeUnknown(modelID, errors.Join(cause, ctx.Err()))
	}
	return c.reconcileDeploy(ctx, modelID, known, cause)
}

// sendContext bounds the deploy request so that ReconcileBudget (or a third
// of the time left, if less) remains for reconciliation.
func (c *Client) sendContext(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	reserve := min(c.cfg.ReconcileBudget, time.Until(deadline)/3)
	return context.WithDeadline(ctx, deadline.Add(-reserve))
}

// reconcileDeploy looks for the deployment that an ambiguous deploy request
// may have created: a deployment id of the model that is not in known.
func (c *Client) reconcileDeploy(ctx context.Context, modelID string, known map[string]bool, cause error) (*DeployResult, error) {
	const op = "deploy model"
	c.log.Warn("deploy outcome unclear; looking for a new deployment instead of resending",
		"model_id", modelID, "cause", c.redact(cause.Error()))

	ctx, cancel := context.WithTimeout(ctx, c.cfg.ReconcileBudget)
	defer cancel()

	for check := 1; ; check++ {
		model, err := c.getModel(ctx, op, modelID)
		if err == nil {
			var fresh []string
			for id := range deploymentIDs(model) {
				if !known[id] {
					fresh = append(fresh, id)
				}
			}
			slices.Sort(fresh)

			switch len(fresh) {
			case 1:
				c.stats.reconciled.Add(1)
				// NOTE: the lock in DeployModel rules out deploys through this
				// Client only; another replica or another client of the tenant
				// could have started fresh[0].
				c.log.Info("deploy reconciled", "model_id", modelID, "deployment_id", fresh[0], "checks", check)
				return &DeployResult{DeploymentID: fresh[0], Reconciled: true}, nil
			case 0:
			default:
				return nil, c.outcomeUnknown(modelID, fmt.Errorf("%w; since the request, several deployments appeared (%s) and none can be matched to it",
					cause, strings.Join(fresh, ", ")))
			}
		} else {
			c.log.Warn("reading the model to reconcile a deploy failed", "model_id", modelID, "check", check, "error", err.Error())
		}

		if sleep(ctx, c.cfg.ReconcileDelay) != nil {
			return nil, c.outcomeUnknown(modelID, cause)
		}
	}
}

// lockWaitFailed reports a deploy whose context ended while it waited for
// another deploy of the same model; nothing was sent.
func (c *Client) lockWaitFailed(modelID string, err error) *Error {
	kind := KindTimeout
	if errors.Is(err, context.Canceled) {
		kind = KindCanceled
	}
	return c.newError(kind, "deploy model", 0,
		fmt.Sprintf("the call ended while it waited for another deploy of model %q in this server to finish, so no deploy request was sent", modelID),
		"call get_model to see the other deploy's deployment, then deploy again if you still need one", err)
}

// outcomeUnknown reports a deploy that may or may not have started.
func (c *Client) outcomeUnknown(modelID string, cause error) *Error {
	c.stats.outcomeUnknown.Add(1)
	return c.newError(KindOutcomeUnknown, "deploy model", 0,
		fmt.Sprintf("the deploy of model %q may or may not have started a deployment (%v)", modelID, cause),
		"call get_model or list_deployments to check before deploying again; deploying again without checking may start a second deployment",
		cause)
}

func deploymentIDs(model *Model) map[string]bool {
	ids := make(map[string]bool, len(model.Deployments))
	for _, d := range model.Deployments {
		if d.DeploymentID != "" {
			ids[d.DeploymentID] = true
		}
	}
	return ids
}
