package tools

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// registerForUpdate registers repo with type and returns its model id and
// the simulator's mutation count after the registration.
func registerForUpdate(t *testing.T, env *toolEnv, repo, modelType string) (string, int64) {
	t.Helper()
	result, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": repo, "type": modelType})
	require.NoError(t, err)
	return result.(RegisterModelOutput).ModelID, env.sim.Stats().Mutations
}

func TestUpdateMissingRepoRejected(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, mutations := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct-AWQ", "awq")

	_, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "type": "base", "huggingFaceId": "rational-ai/no-such-model-7b"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "update_model: 'rational-ai/no-such-model-7b' was not found on the Hugging Face Hub")
	assert.Equal(t, mutations, env.sim.Stats().Mutations, "nothing was changed")

	model, err := env.api.GetModel(context.Background(), modelID)
	require.NoError(t, err)
	assert.Equal(t, "Qwen/Qwen2.5-7B-Instruct-AWQ", model.HuggingFaceID)
	assert.Equal(t, "awq", string(model.Type))
}

func TestUpdateTypeContradictingRepoWarns(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, _ := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct-AWQ", "awq")

	result, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "type": "base"})
	require.NoError(t, err)
	out := result.(UpdateModelOutput)
	assert.Equal(t, []string{"type"}, out.UpdatedFields)
	assert.Contains(t, joinWarnings(out.Warnings), "type 'base' contradicts the repo, whose awq weights need type 'awq'")
}

func TestUpdateStrictRejectsTypeMismatch(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, mutations := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct-AWQ", "awq")
	env.services.HubStrict = true

	_, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "type": "base"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "contradicts the repo")
	assert.Contains(t, err.Error(), "nothing was changed because the server runs with --hub-strict")
	assert.Equal(t, mutations, env.sim.Stats().Mutations)
}

func TestUpdateRepoChecksRecordType(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, mutations := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct", "base")

	result, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "huggingFaceId": "Qwen/Qwen2.5-7B-Instruct-AWQ"})
	require.NoError(t, err)
	warnings := joinWarnings(result.(UpdateModelOutput).Warnings)
	assert.Contains(t, warnings, "the record's type 'base' contradicts the repo")
	assert.Contains(t, warnings, "pass type 'awq' with the new huggingFaceId")

	env.services.HubStrict = true
	_, err = env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
	require.NoError(t, err, "the record's type base matches the repo again")
	assert.Equal(t, mutations+2, env.sim.Stats().Mutations)

	result, err = env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "huggingFaceId": "Qwen/Qwen2.5-7B-Instruct-AWQ", "type": "awq"})
	require.NoError(t, err)
	assert.NotContains(t, joinWarnings(result.(UpdateModelOutput).Warnings), "contradicts")
}

func TestUpdateRepoArchitectureAndGating(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	env.services.SupportedArchitectures = []string{"Qwen2ForCausalLM"}
	modelID, mutations := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct", "base")

	result, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "huggingFaceId": "meta-llama/Llama-3.1-8B-Instruct"})
	require.NoError(t, err)
	warnings := joinWarnings(result.(UpdateModelOutput).Warnings)
	assert.Contains(t, warnings, "LlamaForCausalLM is not in this server's supported list")
	assert.Contains(t, warnings, "the repo is gated")

	env.services.HubStrict = true
	_, err = env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "huggingFaceId": "meta-llama/Llama-3.1-8B-Instruct"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--hub-strict")
	assert.Equal(t, mutations+1, env.sim.Stats().Mutations)
}

func TestUpdateTypeIgnoresKnownArchitecture(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, _ := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct", "base")
	env.services.SupportedArchitectures = []string{"LlamaForCausalLM"}
	env.services.HubStrict = true

	result, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "type": "base"})
	require.NoError(t, err, "the repo stays the same, so its architecture does not stop a type change")
	assert.Empty(t, result.(UpdateModelOutput).Warnings)
}

func TestUpdateStoresHubSpelling(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, _ := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct", "base")
	// The Hub resolves a repo id case-insensitively and returns its own
	// spelling in the body.
	fixture := loadFixture(t, "qwen2.5-7b-instruct-awq.json")
	fixture.Repo = "qwen/qwen2.5-7b-instruct-awq"
	env.hub.SetFixture(fixture)

	result, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "huggingFaceId": "qwen/qwen2.5-7b-instruct-awq", "type": "awq"})
	require.NoError(t, err)
	assert.Contains(t, joinWarnings(result.(UpdateModelOutput).Warnings), "stored the Hub's spelling 'Qwen/Qwen2.5-7B-Instruct-AWQ'")

	model, err := env.api.GetModel(context.Background(), modelID)
	require.NoError(t, err)
	assert.Equal(t, "Qwen/Qwen2.5-7B-Instruct-AWQ", model.HuggingFaceID)
}

func TestUpdateHubUnreachable(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, mutations := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct", "base")
	env.hub.Override(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) })

	result, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "huggingFaceId": "TheBloke/Llama-2-7B-Chat-GGML", "type": "ggml"})
	require.NoError(t, err)
	assert.Contains(t, joinWarnings(result.(UpdateModelOutput).Warnings), "could not verify 'TheBloke/Llama-2-7B-Chat-GGML'")
	assert.Equal(t, mutations+1, env.sim.Stats().Mutations)

	env.services.HubStrict = true
	_, err = env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "huggingFaceId": "Qwen/Qwen2.5-7B-Instruct", "type": "base"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "could not verify")
	assert.Contains(t, err.Error(), "nothing was changed because the server runs with --hub-strict")
	assert.Equal(t, mutations+1, env.sim.Stats().Mutations)
}

func TestUpdateOtherFieldsSkipHub(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, _ := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct", "base")
	before := len(env.hub.Requests())

	result, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "description": "renamed", "publisher": "Alibaba"})
	require.NoError(t, err)
	assert.Empty(t, result.(UpdateModelOutput).Warnings)
	assert.Len(t, env.hub.Requests(), before, "no Hub lookup for fields the Hub does not check")
}

func TestUpdateEmptyNameNamesArgument(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, mutations := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct", "base")

	_, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "name": " "})
	var argErr *ArgumentError
	require.ErrorAs(t, err, &argErr)
	assert.Equal(t, "name", argErr.Argument)
	assert.NotContains(t, err.Error(), "modelId")
	assert.Equal(t, mutations, env.sim.Stats().Mutations)
}

func TestUpdateInvalidFieldNamesNoID(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, _ := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct", "base")

	_, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "numberOfParams": "7B"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid argument: numberOfParams")
	assert.NotContains(t, err.Error(), "'modelId'")

	_, err = env.call(t, context.Background(), "update_model", map[string]any{"modelId": "not-a-uuid", "publisher": "x"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid argument 'modelId': model id")
}

func TestUpdatePrivateRepoWithoutToken(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	modelID, mutations := registerForUpdate(t, env, "Qwen/Qwen2.5-7B-Instruct", "base")

	_, err := env.call(t, context.Background(), "update_model", map[string]any{"modelId": modelID, "huggingFaceId": "rational-ai/internal-chat-3b"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "private")
	assert.Equal(t, mutations, env.sim.Stats().Mutations)
}
