package controlroom_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// Concurrent deploys of one model whose replies are all lost: each caller
// must reconcile to its own deployment or get outcome_unknown, and never
// take the deployment that another caller's request started.
func TestDeployConcurrentAmbiguousSameModel(t *testing.T) {
	env := newSimEnv(t, nil)
	modelID := env.register(t, "acme/contended")
	env.sim.SetFaults(simulator.Faults{DropAfterRate: 1, Match: deployMatcher, Seed: 3})

	const callers = 4
	results := make([]*controlroom.DeployResult, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			results[i], errs[i] = env.client.DeployModel(context.Background(), modelID, controlroom.DeploymentParameters{ForceDeployment: true})
		})
	}
	wg.Wait()

	seen := map[string]int{}
	for i := range callers {
		if errs[i] != nil {
			assert.Equal(t, controlroom.KindOutcomeUnknown, kindOf(t, errs[i]), "caller %d", i)
			continue
		}
		assert.True(t, results[i].Reconciled, "caller %d", i)
		if previous, taken := seen[results[i].DeploymentID]; taken {
			t.Errorf("callers %d and %d both got deployment %s", previous, i, results[i].DeploymentID)
		}
		seen[results[i].DeploymentID] = i
	}
	assert.Len(t, seen, callers, "with the per-model lock every caller finds its own deployment")
	assert.Equal(t, int64(callers), env.sim.Stats().Requests[simulator.EndpointDeployModel], "no deploy was resent")
}

func TestDeployExpectedModelChanged(t *testing.T) {
	env := newSimEnv(t, nil)
	modelID := env.register(t, "acme/approved")
	model, err := env.client.GetModel(context.Background(), modelID)
	require.NoError(t, err)
	approved := controlroom.IdentityOf(model)

	renamed := "acme/other"
	_, err = env.client.UpdateModel(context.Background(), modelID, controlroom.UpdateModelRequest{HuggingFaceID: &renamed})
	require.NoError(t, err)

	ctx := controlroom.WithExpectedModel(context.Background(), approved)
	_, err = env.client.DeployModel(ctx, modelID, controlroom.DeploymentParameters{ForceDeployment: true})

	assert.Equal(t, controlroom.KindConflict, kindOf(t, err))
	assert.Contains(t, err.Error(), `huggingFaceId "acme/approved" -> "acme/other"`)
	assert.Zero(t, env.sim.Stats().Requests[simulator.EndpointDeployModel], "no deploy request was sent")

	approved.HuggingFaceID = renamed
	result, err := env.client.DeployModel(controlroom.WithExpectedModel(context.Background(), approved), modelID, controlroom.DeploymentParameters{ForceDeployment: true})
	require.NoError(t, err)
	assert.NotEmpty(t, result.DeploymentID)
}
