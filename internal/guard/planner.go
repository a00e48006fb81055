package guard

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Planner builds the plan of a call that needs approval.
type Planner interface {
	// Plan returns the plan for calling tool with arguments. An error means
	// the facts could not be read; the guard then refuses the call.
	Plan(ctx context.Context, tool string, arguments map[string]any) (*Plan, error)
}

// Estimator estimates the GPUs that deploying model needs.
type Estimator interface {
	EstimateDeploy(ctx context.Context, model controlroom.Model) (*Estimate, error)
}

// DefaultInactiveStatuses are the deployment statuses that do not count as
// live for maxConcurrentDeployments. The vendor's guide names no status but
// waitingForChat, so every other status, unknown ones included, counts as
// live: the count errs towards asking a human.
var DefaultInactiveStatuses = []string{"paused", "cancelled", "canceled"}

// ControlRoomPlanner builds plans from the Control Room's records. Plans
// for deploy_model, delete_model, pause_deployment and cancel_deployment
// show the records involved; any other tool gets a plan that lists its
// arguments.
type ControlRoomPlanner struct {
	API controlroom.API
	// Estimator is optional; without it the GPU figures are "unknown".
	Estimator Estimator
	// InactiveStatuses are compared case-insensitively;
	// DefaultInactiveStatuses when nil.
	InactiveStatuses []string
}

type planBuilder func(ctx context.Context, p *ControlRoomPlanner, arguments map[string]any) (*Plan, error)

// planBuilders maps tool names to the builder of their plan.
var planBuilders = map[string]planBuilder{
	"deploy_model":      planDeploy,
	"delete_model":      planDeleteModel,
	"pause_deployment":  planDeploymentAction("Pause", "pause_deployment", "releases its GPUs; the model is not served until deploy_model runs again with forceDeployment true"),
	"cancel_deployment": planDeploymentAction("Cancel", "cancel_deployment", "releases its GPUs; the deployment stops serving for good"),
}

// Plan implements Planner.
func (p *ControlRoomPlanner) Plan(ctx context.Context, tool string, arguments map[string]any) (*Plan, error) {
	if build, ok := planBuilders[tool]; ok {
		return build(ctx, p, arguments)
	}
	return argumentsPlan(tool, arguments), nil
}

func planDeploy(ctx context.Context, p *ControlRoomPlanner, arguments map[string]any) (*Plan, error) {
	modelID, err := stringArgument(arguments, "modelId")
	if err != nil {
		return nil, err
	}
	parameters, err := deploymentParameters(arguments)
	if err != nil {
		return nil, err
	}

	model, err := p.getModel(ctx, modelID)
	if err != nil {
		return nil, err
	}

	deploy := &DeployPlan{
		ModelID:         model.ID,
		ModelName:       model.Name,
		HuggingFaceID:   model.HuggingFaceID,
		Type:            model.Type,
		IsFineTuned:     model.IsFineTuned,
		Quant:           model.Quant,
		NumberOfParams:  model.NumberOfParams,
		Parameters:      parameters,
		Existing:        model.Deployments,
		LiveDeployments: p.liveDeployments(ctx),
	}
	if deploy.ModelID == "" {
		deploy.ModelID = modelID
	}

	if p.Estimator != nil {
		estimate, err := p.Estimator.EstimateDeploy(ctx, *model)
		if err != nil {
			estimate = &Estimate{Basis: "no estimate: " + err.Error()}
		}
		deploy.Estimate = estimate
	}

	return deploy.plan(), nil
}

// getModel reads the model record that a plan shows.
func (p *ControlRoomPlanner) getModel(ctx context.Context, modelID string) (*controlroom.Model, error) {
	model, err := p.API.GetModel(ctx, modelID)
	if controlroom.KindOf(err) == controlroom.KindNotFound {
		return nil, &NotFoundError{Argument: "modelId", ID: modelID, Resource: "model", ListTool: "list_models"}
	}
	if err != nil {
		return nil, fmt.Errorf("read model %s (argument modelId) for the approval plan: %w", shortQuote(modelID), err)
	}
	return model, nil
}

// NotFoundError is a plan that could not be built because the Control Room
// has no model or deployment with the id in the arguments.
type NotFoundError struct {
	// Argument names the argument that carries the id, such as "modelId".
	Argument string
	ID       string
	// Resource is "model" or "deployment".
	Resource string
	// ListTool is the tool that lists valid ids.
	ListTool string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("the Control Room has no %s with the id %s (argument %s); call %s to find the right id",
		e.Resource, shortQuote(e.ID), e.Argument, e.ListTool)
}

// liveDeployments counts the tenant's live deployments, or returns -1 when
// they cannot be listed.
func (p *ControlRoomPlanner) liveDeployments(ctx context.Context) int {
	deployments, err := p.API.ListDeployments(ctx)
	if err != nil {
		return -1
	}

	inactive := p.InactiveStatuses
	if inactive == nil {
		inactive = DefaultInactiveStatuses
	}
	live := 0
	for _, deployment := range deployments {
		if !slices.ContainsFunc(inactive, func(status string) bool { return strings.EqualFold(status, deployment.Status) }) {
			live++
		}
	}
	return live
}

func planDeleteModel(ctx context.Context, p *ControlRoomPlanner, arguments map[string]any) (*Plan, error) {
	modelID, err := stringArgument(arguments, "modelId")
	if err != nil {
		return nil, err
	}
	model, err := p.getModel(ctx, modelID)
	if err != nil {
		return nil, err
	}

	deployments := "none"
	if len(model.Deployments) > 0 {
		deployments = describeDeployments(model.Deployments)
	}
	return &Plan{
		Tool:    "delete_model",
		Summary: fmt.Sprintf("Delete model %s from the catalog.", quote(model.Name)),
		Facts: []Fact{
			{"Model", fmt.Sprintf("%s (id %s)", quote(model.Name), quote(modelID))},
			{"Hugging Face id", quote(model.HuggingFaceID)},
			{"Deployments", deployments},
		},
		Identity: map[string]string{
			"modelId":       modelID,
			"name":          model.Name,
			"huggingFaceId": model.HuggingFaceID,
		},
	}, nil
}

func planDeploymentAction(verb, tool, effect string) planBuilder {
	return func(ctx context.Context, p *ControlRoomPlanner, arguments map[string]any) (*Plan, error) {
		deploymentID, err := stringArgument(arguments, "deploymentId")
		if err != nil {
			return nil, err
		}
		deployment, err := p.API.GetDeploymentStatus(ctx, deploymentID)
		if controlroom.KindOf(err) == controlroom.KindNotFound {
			return nil, &NotFoundError{Argument: "deploymentId", ID: deploymentID, Resource: "deployment", ListTool: "list_deployments"}
		}
		if err != nil {
			return nil, fmt.Errorf("read deployment %s (argument deploymentId) for the approval plan: %w", shortQuote(deploymentID), err)
		}

		return &Plan{
			Tool:    tool,
			Summary: fmt.Sprintf("%s deployment %s: this %s.", verb, quote(deploymentID), effect),
			Facts: []Fact{
				{"Deployment", describeDeployments([]controlroom.Deployment{*deployment})},
				{"Model id", quote(deployment.ModelID)},
			},
			Identity: map[string]string{
				"deploymentId": deploymentID,
				"modelId":      deployment.ModelID,
			},
		}, nil
	}
}

// argumentsPlan lists a call's arguments for a tool without a plan builder.
func argumentsPlan(tool string, arguments map[string]any) *Plan {
	keys := make([]string, 0, len(arguments))
	for key := range arguments {
		if !slices.Contains(approvalArguments, key) {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)

	plan := &Plan{
		Tool:     tool,
		Summary:  fmt.Sprintf("Call tool %s with the arguments below.", quote(tool)),
		Identity: map[string]string{},
	}
	for _, key := range keys {
		value, _ := json.Marshal(arguments[key])
		plan.Facts = append(plan.Facts, Fact{Label: quote(key), Value: quote(string(value))})
	}
	return plan
}

// stringArgument returns the non-empty string argument key.
func stringArgument(arguments map[string]any, key string) (string, error) {
	value, ok := arguments[key].(string)
	if !ok || strings.TrimSpace(value) == "" {
		return "", fmt.Errorf("missing or invalid argument %s: it must be a non-empty string", key)
	}
	return value, nil
}

// deploymentParameters reads the deploy arguments the way the tool accepts
// them: numbers, or numbers written as strings.
func deploymentParameters(arguments map[string]any) (controlroom.DeploymentParameters, error) {
	var parameters controlroom.DeploymentParameters

	switch force := arguments["forceDeployment"].(type) {
	case nil:
	case bool:
		parameters.ForceDeployment = force
	default:
		return parameters, fmt.Errorf("invalid argument forceDeployment %v: it must be true or false", force)
	}

	floats := []struct {
		key    string
		target **float64
	}{
		{"temperature", &parameters.Temperature},
		{"topP", &parameters.TopP},
		{"topK", &parameters.TopK},
		{"minP", &parameters.MinP},
		{"repetitionPenalty", &parameters.RepetitionPenalty},
		{"adapterScale", &parameters.AdapterScale},
	}
	for _, field := range floats {
		value, err := numberArgument(arguments, field.key)
		if err != nil {
			return parameters, err
		}
		*field.target = value
	}

	maxTokens, err := numberArgument(arguments, "maxOutputTokens")
	if err != nil {
		return parameters, err
	}
	if maxTokens != nil {
		tokens := int(*maxTokens)
		if float64(tokens) != *maxTokens {
			return parameters, fmt.Errorf("invalid argument maxOutputTokens %v: it must be a whole number", *maxTokens)
		}
		parameters.MaxOutputTokens = &tokens
	}
	return parameters, nil
}

func numberArgument(arguments map[string]any, key string) (*float64, error) {
	switch value := arguments[key].(type) {
	case nil:
		return nil, nil
	case float64:
		return &value, nil
	case int:
		number := float64(value)
		return &number, nil
	case json.Number:
		number, err := value.Float64()
		if err != nil {
			return nil, fmt.Errorf("invalid argument %s %q: it must be a number", key, value)
		}
		return &number, nil
	case string:
		number, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return nil, fmt.Errorf("invalid argument %s %q: it must be a number", key, value)
		}
		return &number, nil
	default:
		return nil, fmt.Errorf("invalid argument %s %v: it must be a number", key, value)
	}
}

// shortQuote quotes id for a message, cut to 80 bytes, so a refusal never
// echoes a huge argument back.
func shortQuote(id string) string {
	if len(id) > 80 {
		return fmt.Sprintf("%q…", id[:80])
	}
	return fmt.Sprintf("%q", id)
}
