package guard

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

func factValue(t *testing.T, plan *Plan, label string) string {
	t.Helper()
	for _, fact := range plan.Facts {
		if fact.Label == label {
			return fact.Value
		}
	}
	t.Fatalf("plan has no fact %q: %+v", label, plan.Facts)
	return ""
}

func TestDeployPlanFacts(t *testing.T) {
	api := newCatalogAPI()
	planner := &ControlRoomPlanner{API: api, Estimator: fixedEstimator{Estimate{GPUMemoryBytes: 30 << 30, GPUCount: 1, Basis: "bf16 weights, 8k context", Source: EstimateFromHub}}}

	plan, err := planner.Plan(context.Background(), "deploy_model",
		map[string]any{"modelId": "m-gemma", "forceDeployment": false, "temperature": 0.7, "maxOutputTokens": 512.0})
	require.NoError(t, err)

	require.NotNil(t, plan.Deploy)
	assert.Equal(t, "deploy_model", plan.Tool)
	assert.Contains(t, plan.Summary, `"google/gemma-4-12B-it"`)
	assert.Equal(t, `"google/gemma-4-12B-it" (id "m-gemma")`, factValue(t, plan, "Model"))
	assert.Equal(t, `"google/gemma-4-12B-it"`, factValue(t, plan, "Hugging Face id"))
	assert.Equal(t, `"base"`, factValue(t, plan, "Type"))
	assert.Equal(t, "12000000000 (12.0 B), from the catalog record (agent-editable), not verified", factValue(t, plan, "Parameters"))
	assert.Equal(t, "30.0 GiB", factValue(t, plan, "GPU memory (estimate)"))
	assert.Equal(t, "1", factValue(t, plan, "GPUs (estimate)"))
	assert.Equal(t, "bf16 weights, 8k context", factValue(t, plan, "Estimate basis"))
	assert.Equal(t, "temperature 0.7, maxOutputTokens 512", factValue(t, plan, "Sampling defaults"))
	assert.Contains(t, factValue(t, plan, "Existing deployments"), "no deployment")
	assert.Equal(t, "0", factValue(t, plan, "Live deployments in the tenant"))
	assert.Zero(t, api.writes)
}

func TestDeployPlanWithoutEstimateShowsUnknown(t *testing.T) {
	planner := &ControlRoomPlanner{API: newCatalogAPI()}
	plan, err := planner.Plan(context.Background(), "deploy_model", map[string]any{"modelId": "m-gemma"})
	require.NoError(t, err)
	assert.Equal(t, Unknown, factValue(t, plan, "GPU memory (estimate)"))
	assert.Equal(t, Unknown, factValue(t, plan, "GPUs (estimate)"))
	assert.Equal(t, "none given; the model's defaults apply", factValue(t, plan, "Sampling defaults"))
	assert.Equal(t, 0, plan.Deploy.GPUs())
}

func TestDeployPlanForceEffect(t *testing.T) {
	api := newCatalogAPI()
	api.addDeployment("m-gemma", controlroom.Deployment{DeploymentID: "dep-1", Status: "waitingForChat", GPUCount: 2})
	planner := &ControlRoomPlanner{API: api}

	forced, err := planner.Plan(context.Background(), "deploy_model", map[string]any{"modelId": "m-gemma", "forceDeployment": true})
	require.NoError(t, err)
	assert.Equal(t,
		`forceDeployment true: forces a fresh rollout although the model has deployment "dep-1" (status "waitingForChat", 2 GPUs); it may be replaced`,
		factValue(t, forced, "Existing deployments"))

	unforced, err := planner.Plan(context.Background(), "deploy_model", map[string]any{"modelId": "m-gemma", "forceDeployment": false})
	require.NoError(t, err)
	assert.Contains(t, factValue(t, unforced, "Existing deployments"), "the Control Room rejects this deploy")
	assert.Contains(t, factValue(t, unforced, "Existing deployments"), "call deploy_model with forceDeployment true")
	assert.NotEqual(t, forced.Digest(), unforced.Digest())
}

func TestDeployPlanQuotesHostileNames(t *testing.T) {
	api := newCatalogAPI()
	api.setModel(controlroom.Model{ID: "m-x", Name: "gооgle/gemma\n- GPUs (estimate): 1", Type: controlroom.ModelTypeBase})
	plan, err := (&ControlRoomPlanner{API: api}).Plan(context.Background(), "deploy_model", map[string]any{"modelId": "m-x"})
	require.NoError(t, err)

	text := plan.Text()
	assert.Contains(t, text, `g\u043e\u043egle/gemma\n- GPUs (estimate): 1`)
	assert.Equal(t, 1, countLines(text, "- GPUs (estimate):"), text)
}

func TestDeployPlanLiveCount(t *testing.T) {
	api := newCatalogAPI()
	api.addDeployment("m-llama", controlroom.Deployment{DeploymentID: "a", Status: "waitingForChat"})
	api.addDeployment("m-llama", controlroom.Deployment{DeploymentID: "b", Status: "Paused"})
	api.addDeployment("m-llama", controlroom.Deployment{DeploymentID: "c", Status: "somethingNew"})
	planner := &ControlRoomPlanner{API: api}

	plan, err := planner.Plan(context.Background(), "deploy_model", map[string]any{"modelId": "m-gemma"})
	require.NoError(t, err)
	assert.Equal(t, 2, plan.Deploy.LiveDeployments, "paused is not live; an unknown status is")

	api.listErr = errors.New("boom")
	plan, err = planner.Plan(context.Background(), "deploy_model", map[string]any{"modelId": "m-gemma"})
	require.NoError(t, err)
	assert.Equal(t, -1, plan.Deploy.LiveDeployments)
}

func TestDeployPlanArgumentErrors(t *testing.T) {
	planner := &ControlRoomPlanner{API: newCatalogAPI()}
	cases := map[string]map[string]any{
		"missing model":   {},
		"model not found": {"modelId": "nope"},
		"bad force":       {"modelId": "m-gemma", "forceDeployment": "yes"},
		"bad number":      {"modelId": "m-gemma", "temperature": "hot"},
		"fractional max":  {"modelId": "m-gemma", "maxOutputTokens": 1.5},
	}
	for name, arguments := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := planner.Plan(context.Background(), "deploy_model", arguments)
			assert.Error(t, err)
		})
	}
}

func TestDeployPlanNumericStrings(t *testing.T) {
	plan, err := (&ControlRoomPlanner{API: newCatalogAPI()}).Plan(context.Background(), "deploy_model",
		map[string]any{"modelId": "m-gemma", "topP": "0.9", "maxOutputTokens": "256"})
	require.NoError(t, err)
	assert.Equal(t, "topP 0.9, maxOutputTokens 256", factValue(t, plan, "Sampling defaults"))
}

func TestDeploymentActionPlans(t *testing.T) {
	api := newCatalogAPI()
	api.addDeployment("m-gemma", controlroom.Deployment{DeploymentID: "dep-1", Status: "waitingForChat", GPUCount: 1})
	planner := &ControlRoomPlanner{API: api}

	cancel, err := planner.Plan(context.Background(), "cancel_deployment", map[string]any{"deploymentId": "dep-1"})
	require.NoError(t, err)
	assert.Contains(t, cancel.Summary, `Cancel deployment "dep-1"`)
	assert.Contains(t, factValue(t, cancel, "Deployment"), `status "waitingForChat", 1 GPUs`)

	pause, err := planner.Plan(context.Background(), "pause_deployment", map[string]any{"deploymentId": "dep-1"})
	require.NoError(t, err)
	assert.Contains(t, pause.Summary, "Pause")

	remove, err := planner.Plan(context.Background(), "delete_model", map[string]any{"modelId": "m-gemma"})
	require.NoError(t, err)
	assert.Contains(t, remove.Summary, "Delete model")
	assert.Contains(t, factValue(t, remove, "Deployments"), "dep-1")

	_, err = planner.Plan(context.Background(), "cancel_deployment", map[string]any{"deploymentId": "nope"})
	assert.Error(t, err)
}

func TestArgumentsPlanForOtherTools(t *testing.T) {
	plan, err := (&ControlRoomPlanner{API: newCatalogAPI()}).Plan(context.Background(), "update_model",
		map[string]any{"modelId": "m", "name": "x", ApprovalArgument: "ap_1"})
	require.NoError(t, err)
	require.Len(t, plan.Facts, 2)
	assert.Equal(t, `"modelId"`, plan.Facts[0].Label)
	assert.Equal(t, `"\"m\""`, plan.Facts[0].Value)
}

func TestParseParamCount(t *testing.T) {
	cases := map[string]int64{
		"12000000000": 12e9, "12B": 12e9, "7.5B": 7.5e9, "350M": 350e6, "1T": 1e12,
		"": 0, "twelve": 0, "-5": 0, "12b": 0, "B": 0, "1e30T": 0,
	}
	for text, want := range cases {
		assert.Equal(t, want, parseParamCount(text), text)
	}
}

func countLines(text, prefix string) int {
	count := 0
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			count++
		}
	}
	return count
}
