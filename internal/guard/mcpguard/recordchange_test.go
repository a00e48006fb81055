package mcpguard_test

// A model record that changes between the approval and the deploy. The
// test API runs update_model right before the tool's deploy, after the
// guard approved the plan, so the interleaving is fixed.

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/guard"
)

// updateBeforeDeploy applies update to the model before every deploy.
type updateBeforeDeploy struct {
	controlroom.API
	update controlroom.UpdateModelRequest
}

func (a updateBeforeDeploy) DeployModel(ctx context.Context, modelID string, params controlroom.DeploymentParameters) (*controlroom.DeployResult, error) {
	if _, err := a.UpdateModel(ctx, modelID, a.update); err != nil {
		return nil, err
	}
	return a.API.DeployModel(ctx, modelID, params)
}

func TestDeployRefusedWhenRecordChangedAfterApproval(t *testing.T) {
	swaps := map[string]controlroom.UpdateModelRequest{
		"name":           {Name: new("small/other")},
		"huggingFaceId":  {HuggingFaceID: new("meta-llama/Llama-3.1-405B-Instruct")},
		"type":           {Type: new(controlroom.ModelTypeGGUF)},
		"numberOfParams": {NumberOfParams: new("405000000000")},
	}
	for field, update := range swaps {
		t.Run(field, func(t *testing.T) {
			policy, err := guard.ParsePolicy([]byte(smallModelsPolicy))
			require.NoError(t, err)
			h := newHarness(t, harnessConfig{mode: guard.ModeDeny, policy: &policy, wrapAPI: func(api controlroom.API) controlroom.API {
				return updateBeforeDeploy{API: api, update: update}
			}})
			modelID := modelFor(t, h, "small/model")

			result := rawCall(t, h, "deploy_model", map[string]any{"modelId": modelID}, false, nil)

			require.True(t, result.IsError, "%+v", result)
			text, _ := result.Content[0]["text"].(string)
			assert.Contains(t, text, "changed after the deploy was approved")
			assert.Contains(t, text, field)
			assert.Zero(t, h.deployments(), "no deploy was sent")
		})
	}
}
