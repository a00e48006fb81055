package tools

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeleteWithDeploymentNamesTools(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, _ := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct", "base")
	result, err := env.call(t, context.Background(), "deploy_model", map[string]any{"modelId": modelID})
	require.NoError(t, err)
	deploymentID := result.(DeployModelOutput).DeploymentID
	_, err = env.call(t, context.Background(), "pause_deployment", map[string]any{"deploymentId": deploymentID})
	require.NoError(t, err)

	_, err = env.call(t, context.Background(), "delete_model", map[string]any{"modelId": modelID})
	require.Error(t, err)
	assert.Contains(t, err.Error(), deploymentID)
	assert.Contains(t, err.Error(), "cancel_deployment")
	assert.Contains(t, err.Error(), "get_model")
	assert.NotContains(t, err.Error(), "POST /")

	_, err = env.call(t, context.Background(), "cancel_deployment", map[string]any{"deploymentId": deploymentID})
	require.NoError(t, err)
	result, err = env.call(t, context.Background(), "delete_model", map[string]any{"modelId": modelID})
	require.NoError(t, err)
	assert.True(t, result.(DeleteModelOutput).Deleted)
}
