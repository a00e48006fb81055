package tools

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPausedAdviceResumes follows the guidance that pause_deployment and a
// paused status give, word for word, and checks that it serves the model
// again: a deploy without forceDeployment is rejected while the paused
// deployment exists.
func TestPausedAdviceResumes(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	ctx := context.Background()
	id := env.deploy(t, "Qwen/Qwen2.5-7B-Instruct", "7000000000")
	deployment, err := env.api.GetDeploymentStatus(ctx, id)
	require.NoError(t, err)
	modelID := deployment.ModelID

	paused, err := env.call(t, ctx, "pause_deployment", map[string]any{"deploymentId": id})
	require.NoError(t, err)
	assert.Contains(t, paused.(DeploymentActionOutput).Message, "deploy_model with forceDeployment true")
	pauseTool, ok := Lookup("pause_deployment")
	require.True(t, ok)
	assert.Contains(t, pauseTool.Description, "forceDeployment true")

	out, err := env.status(t, ctx, id, 0)
	require.NoError(t, err)
	assert.Equal(t, "paused", out.Status)
	assert.Contains(t, out.Next, "call deploy_model with forceDeployment true")

	_, err = env.call(t, ctx, "deploy_model", map[string]any{"modelId": modelID})
	require.Error(t, err, "a paused deployment still counts, so a plain deploy is rejected")

	_, err = env.call(t, ctx, "deploy_model", map[string]any{"modelId": modelID, "forceDeployment": true})
	require.NoError(t, err, "the advised call serves the model again")
}
