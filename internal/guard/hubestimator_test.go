package guard

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
)

func newHubEstimator(t *testing.T) HubEstimator {
	t.Helper()
	server := hubtest.New(t, hubtest.FixtureDir(t))
	hub, err := hfhub.New(hfhub.Options{Endpoint: server.URL})
	require.NoError(t, err)
	return HubEstimator{Hub: hub}
}

func TestHubEstimatorSafetensors(t *testing.T) {
	estimator := newHubEstimator(t)
	result, err := estimator.EstimateDeploy(context.Background(), controlroom.Model{HuggingFaceID: "Qwen/Qwen2.5-7B-Instruct"})
	require.NoError(t, err)

	assert.Greater(t, result.Params, int64(7e9))
	assert.Less(t, result.Params, int64(8e9))
	assert.Greater(t, result.GPUMemoryBytes, int64(15<<30), "BF16 weights of 7.6B parameters alone are about 15 GB")
	assert.Equal(t, 1, result.GPUCount)
	assert.Contains(t, result.Basis, "estimate")
}

func TestHubEstimatorPackedParamsNotTrusted(t *testing.T) {
	estimator := newHubEstimator(t)
	result, err := estimator.EstimateDeploy(context.Background(), controlroom.Model{HuggingFaceID: "Qwen/Qwen2.5-7B-Instruct-AWQ"})
	require.NoError(t, err)
	assert.Zero(t, result.Params, "a packed 4-bit count is not given to policy rules")
	assert.Positive(t, result.GPUMemoryBytes, "the weight file sizes still give the memory")
}

func TestHubEstimatorErrors(t *testing.T) {
	estimator := newHubEstimator(t)

	_, err := estimator.EstimateDeploy(context.Background(), controlroom.Model{HuggingFaceID: "nobody/missing-model"})
	assert.Error(t, err)

	_, err = estimator.EstimateDeploy(context.Background(), controlroom.Model{Name: "no id"})
	assert.ErrorContains(t, err, "no huggingFaceId")

	_, err = HubEstimator{}.EstimateDeploy(context.Background(), controlroom.Model{HuggingFaceID: "a/b"})
	assert.ErrorContains(t, err, "no Hugging Face Hub client")
}

func TestHubEstimatorInDeployPlan(t *testing.T) {
	api := newCatalogAPI()
	api.setModel(controlroom.Model{ID: "m-qwen", Name: "qwen", HuggingFaceID: "Qwen/Qwen2.5-7B-Instruct", Type: controlroom.ModelTypeBase})
	planner := &ControlRoomPlanner{API: api, Estimator: newHubEstimator(t)}

	plan, err := planner.Plan(context.Background(), "deploy_model", map[string]any{"modelId": "m-qwen"})
	require.NoError(t, err)
	assert.Equal(t, "1", factValue(t, plan, "GPUs (estimate)"))
	assert.Contains(t, factValue(t, plan, "Parameters"), "from the Hugging Face Hub")
	assert.NotEqual(t, Unknown, factValue(t, plan, "GPU memory (estimate)"))
}

func TestHubEstimatorErrorHasNoURL(t *testing.T) {
	server := hubtest.New(t, hubtest.FixtureDir(t))
	offline, err := hfhub.New(hfhub.Options{Endpoint: server.URL, Offline: true,
		OfflineReason: "the Hub is offline", OfflineHint: "set --hub-offline=false for https://huggingface.co"})
	require.NoError(t, err)
	online, err := hfhub.New(hfhub.Options{Endpoint: server.URL})
	require.NoError(t, err)

	_, err = HubEstimator{Hub: offline}.EstimateDeploy(context.Background(), controlroom.Model{HuggingFaceID: "Qwen/Qwen2.5-7B-Instruct"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the Hub is offline")
	assert.NotContains(t, err.Error(), "://", "an approval result carries no link but the approval page's")

	_, err = HubEstimator{Hub: online}.EstimateDeploy(context.Background(), controlroom.Model{HuggingFaceID: "nobody/missing-model"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not_found_or_private")
	assert.NotContains(t, err.Error(), "://")
}
