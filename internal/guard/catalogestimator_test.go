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

func TestCatalogEstimatorWorkedExamples(t *testing.T) {
	cases := []struct {
		name       string
		model      controlroom.Model
		totalBytes int64
		gpus       int
	}{
		// 7e9 parameters x 2 bytes (BF16) = 14e9 bytes, x 1.2 overhead
		// = 16.8e9 bytes, under one 80 GiB GPU at 90% (77,309,411,328).
		{"base 7B", controlroom.Model{HuggingFaceID: "a/b", Type: controlroom.ModelTypeBase, NumberOfParams: "7000000000"}, 16_800_000_000, 1},
		// 70e9 x 2 = 140e9, x 1.2 = 168e9 bytes; 168e9 / 77,309,411,328
		// = 2.17, so 3 GPUs.
		{"base 70B", controlroom.Model{HuggingFaceID: "a/c", Type: controlroom.ModelTypeBase, NumberOfParams: "70000000000"}, 168_000_000_000, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			result, err := CatalogEstimator{}.EstimateDeploy(context.Background(), tc.model)
			require.NoError(t, err)
			assert.Equal(t, tc.totalBytes, result.GPUMemoryBytes)
			assert.Equal(t, tc.gpus, result.GPUCount)
			assert.Contains(t, result.Basis, "estimated from the catalog record, not the Hub")
			assert.Contains(t, result.Basis, "BF16")
		})
	}
}

func TestCatalogEstimatorQuantizedTypes(t *testing.T) {
	base, err := CatalogEstimator{}.EstimateDeploy(context.Background(), controlroom.Model{Type: controlroom.ModelTypeBase, NumberOfParams: "7000000000"})
	require.NoError(t, err)
	for _, modelType := range []controlroom.ModelType{controlroom.ModelTypeAWQ, controlroom.ModelTypeGGUF, controlroom.ModelTypeGGML} {
		result, err := CatalogEstimator{}.EstimateDeploy(context.Background(), controlroom.Model{Type: modelType, NumberOfParams: "7000000000"})
		require.NoError(t, err, modelType)
		assert.Less(t, result.GPUMemoryBytes, base.GPUMemoryBytes/3, "%s weights are about 4-bit", modelType)
		assert.Contains(t, result.Basis, string(modelType))
	}
}

func TestCatalogEstimatorNeedsParams(t *testing.T) {
	_, err := CatalogEstimator{}.EstimateDeploy(context.Background(), controlroom.Model{Type: controlroom.ModelTypeBase, NumberOfParams: "seven"})
	assert.ErrorContains(t, err, "numberOfParams")
	_, err = CatalogEstimator{}.EstimateDeploy(context.Background(), controlroom.Model{Type: "exotic", NumberOfParams: "7000000000"})
	assert.ErrorContains(t, err, "exotic")
}

// TestDeployPlanFallsBackWhenHubOffline checks that an offline Hub, as in
// demo mode, still gives the plan figures, labelled as catalog figures.
func TestDeployPlanFallsBackWhenHubOffline(t *testing.T) {
	server := hubtest.New(t, hubtest.FixtureDir(t))
	offline, err := hfhub.New(hfhub.Options{Endpoint: server.URL, Offline: true})
	require.NoError(t, err)

	api := newCatalogAPI()
	api.setModel(controlroom.Model{ID: "m-qwen", Name: "qwen", HuggingFaceID: "Qwen/Qwen2.5-7B-Instruct", Type: controlroom.ModelTypeBase, NumberOfParams: "7000000000"})
	planner := &ControlRoomPlanner{API: api, Estimator: FallbackEstimator{Primary: HubEstimator{Hub: offline}, Fallback: CatalogEstimator{}}}

	plan, err := planner.Plan(context.Background(), "deploy_model", map[string]any{"modelId": "m-qwen"})
	require.NoError(t, err)
	assert.Equal(t, "1, from the catalog record (agent-editable), not verified", factValue(t, plan, "GPUs (estimate)"))
	assert.Equal(t, "15.6 GiB, from the catalog record (agent-editable), not verified", factValue(t, plan, "GPU memory (estimate)"), "16.8e9 bytes")
	assert.Equal(t, "7000000000 (7.0 B), from the catalog record (agent-editable), not verified", factValue(t, plan, "Parameters"))
	assert.Zero(t, plan.Deploy.Facts().Params, "policy rules get no catalog count")
	assert.Zero(t, plan.Deploy.Facts().GPUs, "policy rules get no catalog GPU count")
	basis := factValue(t, plan, "Estimate basis")
	assert.Contains(t, basis, "Hub estimate unavailable")
	assert.Contains(t, basis, "offline")
	assert.Contains(t, basis, "estimated from the catalog record")
	assert.Empty(t, server.Requests(), "an offline Hub gets no request")
}

func TestDeployPlanPrefersHubEstimate(t *testing.T) {
	server := hubtest.New(t, hubtest.FixtureDir(t))
	hub, err := hfhub.New(hfhub.Options{Endpoint: server.URL})
	require.NoError(t, err)

	api := newCatalogAPI()
	api.setModel(controlroom.Model{ID: "m-qwen", Name: "qwen", HuggingFaceID: "Qwen/Qwen2.5-7B-Instruct", Type: controlroom.ModelTypeBase, NumberOfParams: "7000000000"})
	planner := &ControlRoomPlanner{API: api, Estimator: FallbackEstimator{Primary: HubEstimator{Hub: hub}, Fallback: CatalogEstimator{}}}

	plan, err := planner.Plan(context.Background(), "deploy_model", map[string]any{"modelId": "m-qwen"})
	require.NoError(t, err)
	assert.Equal(t, "1", factValue(t, plan, "GPUs (estimate)"))
	assert.Contains(t, factValue(t, plan, "Parameters"), "from the Hugging Face Hub")
	assert.Equal(t, 1, plan.Deploy.Facts().GPUs)
	assert.Greater(t, plan.Deploy.Facts().Params, int64(7e9))
	basis := factValue(t, plan, "Estimate basis")
	assert.NotContains(t, basis, "catalog record")
	assert.Contains(t, basis, "KV cache")
}
