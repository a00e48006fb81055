package controlroom

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Paging limits used when register resolves a 409 by looking the name up.
const (
	lookupPageSize = 100
	lookupMaxPages = 100
)

// ListModels returns one catalog page; page is 0-based and size is between
// 1 and MaxPageSize. A bare-array response fills Number and Size from the
// request and TotalElements from the array's length.
func (c *Client) ListModels(ctx context.Context, page, size int) (*ModelPage, error) {
	const op = "list models"
	if page < 0 || size < 1 || size > MaxPageSize {
		return nil, c.invalidInput(op, fmt.Errorf("page %d, size %d: page must be 0 or more and size between 1 and %d", page, size, MaxPageSize))
	}

	ctx, cancel := c.withBudget(ctx)
	defer cancel()
	result, _, err := c.listModels(ctx, page, size)
	return result, err
}

func (c *Client) listModels(ctx context.Context, page, size int) (*ModelPage, bool, error) {
	cl := &call{
		op: "list models", method: http.MethodGet, path: "/models",
		query: url.Values{"page": {strconv.Itoa(page)}, "size": {strconv.Itoa(size)}},
	}
	r, err := c.send(ctx, cl, subject{})
	if err != nil {
		return nil, false, err
	}
	result, bare, err := decodeModelPage(r.body, page, size)
	if err != nil {
		return nil, false, c.decodeFailure(cl, r, err)
	}
	return result, bare, nil
}

// GetModel returns one catalog record with its deployments.
func (c *Client) GetModel(ctx context.Context, modelID string) (*Model, error) {
	if err := ValidateModelID(modelID); err != nil {
		return nil, c.invalidInput("get model", err)
	}
	ctx, cancel := c.withBudget(ctx)
	defer cancel()
	return c.getModel(ctx, "get model", modelID)
}

func (c *Client) getModel(ctx context.Context, op, modelID string) (*Model, error) {
	cl := &call{op: op, method: http.MethodGet, path: "/models/" + url.PathEscape(modelID)}
	r, err := c.send(ctx, cl, modelSubject(modelID))
	if err != nil {
		return nil, err
	}
	model, err := decodeModel(r.body)
	if err != nil {
		return nil, c.decodeFailure(cl, r, err)
	}
	return model, nil
}

// RegisterModel validates req and registers it. A 409 resolves to the
// existing record with that name (found by paging the catalog) with
// AlreadyExisted set. Because of that the request is retried after transient
// failures: when an earlier attempt created the record, the retry gets 409
// and returns it, then with AlreadyExisted set although this call created it.
func (c *Client) RegisterModel(ctx context.Context, req RegisterModelRequest) (*RegisterResult, error) {
	const op = "register model"
	if err := req.Validate(); err != nil {
		return nil, c.invalidInput(op, err)
	}

	ctx, cancel := c.withBudget(ctx)
	defer cancel()

	cl := &call{op: op, method: http.MethodPost, path: "/models/register", body: jsonBody(req)}
	r, failure := c.do(ctx, cl)
	if failure == nil && r.status == http.StatusConflict {
		return c.resolveConflict(ctx, req.Name)
	}
	r, err := c.finish(ctx, cl, r, failure, subject{})
	if err != nil {
		return nil, err
	}

	model, err := decodeModel(r.body)
	if err != nil {
		// The record was created but the body does not show it, so look it
		// up by name as for a conflict.
		c.log.Warn("register returned an unexpected body; looking the model up by name",
			"name", req.Name, "status", r.status, "error", c.redact(err.Error()))
		resolved, lookupErr := c.findModelByName(ctx, req.Name)
		if lookupErr != nil {
			return nil, c.decodeFailure(cl, r, err)
		}
		return &RegisterResult{Model: *resolved}, nil
	}
	return &RegisterResult{Model: *model}, nil
}

// resolveConflict returns the existing record that holds name.
func (c *Client) resolveConflict(ctx context.Context, name string) (*RegisterResult, error) {
	model, err := c.findModelByName(ctx, name)
	if err != nil {
		return nil, err
	}
	return &RegisterResult{Model: *model, AlreadyExisted: true}, nil
}

// findModelByName pages through the catalog for a record named exactly
// name. A bare-array list that repeats a page (the server ignores paging)
// ends the search.
func (c *Client) findModelByName(ctx context.Context, name string) (*Model, error) {
	const op = "register model"
	firstIDs := map[string]bool{}

	for page := 0; page < lookupMaxPages; page++ {
		result, bare, err := c.listModels(ctx, page, lookupPageSize)
		if err != nil {
			return nil, err
		}
		for i := range result.Content {
			if result.Content[i].Name == name {
				return &result.Content[i], nil
			}
		}

		if len(result.Content) == 0 || len(result.Content) < lookupPageSize {
			break
		}
		if !bare && page+1 >= result.TotalPages {
			break
		}
		first := result.Content[0].ID
		if firstIDs[first] {
			break
		}
		firstIDs[first] = true
	}

	return nil, c.newError(KindConflict, op, http.StatusConflict,
		fmt.Sprintf("the Control Room reports that a model named %q exists, but no catalog entry has that exact name", name),
		"call list_models to find the record, or register under another name", nil)
}

// UpdateModel validates req and sends it as a PATCH with only the fields
// set. After a success with an empty body, it reads the record back.
func (c *Client) UpdateModel(ctx context.Context, modelID string, req UpdateModelRequest) (*Model, error) {
	const op = "update model"
	if err := ValidateModelID(modelID); err != nil {
		return nil, c.invalidInput(op, err)
	}
	if err := req.Validate(); err != nil {
		return nil, c.invalidInput(op, err)
	}

	ctx, cancel := c.withBudget(ctx)
	defer cancel()

	cl := &call{op: op, method: http.MethodPatch, path: "/models/" + url.PathEscape(modelID), body: jsonBody(req)}
	r, err := c.send(ctx, cl, modelSubject(modelID))
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(r.body)) == 0 {
		return c.getModel(ctx, op, modelID)
	}
	model, err := decodeModel(r.body)
	if err != nil {
		return nil, c.decodeFailure(cl, r, err)
	}
	return model, nil
}

// DeleteModel removes a catalog record. When an earlier attempt may have
// deleted it already and the retry gets 404, the call succeeds.
func (c *Client) DeleteModel(ctx context.Context, modelID string) error {
	const op = "delete model"
	if err := ValidateModelID(modelID); err != nil {
		return c.invalidInput(op, err)
	}

	ctx, cancel := c.withBudget(ctx)
	defer cancel()

	cl := &call{op: op, method: http.MethodDelete, path: "/models/" + url.PathEscape(modelID)}
	r, failure := c.do(ctx, cl)
	if failure == nil && r.status == http.StatusNotFound && r.afterAmbiguous && !isWrongOrigin(r.body) {
		c.log.Info("delete retry found the model gone; an earlier attempt deleted it", "model_id", modelID)
		return nil
	}
	_, err := c.finish(ctx, cl, r, failure, modelSubject(modelID))
	return err
}
