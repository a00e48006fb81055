package tools

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
)

func TestInspectModelFixtures(t *testing.T) {
	cases := []struct {
		name         string
		repo         string
		format       string
		modelType    string
		architecture string
		gated        bool
		parameters   bool // a trustworthy parameter count is expected
		warning      string
	}{
		{"plain safetensors", "Qwen/Qwen2.5-7B-Instruct", "safetensors", "base", "Qwen2ForCausalLM", false, true, ""},
		{"gated", "meta-llama/Llama-3.1-8B-Instruct", "safetensors", "base", "LlamaForCausalLM", true, true, "gated"},
		{"awq", "Qwen/Qwen2.5-7B-Instruct-AWQ", "awq", "awq", "Qwen2ForCausalLM", false, false, "4-bit"},
		{"gguf", "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "gguf", "gguf", "llama", false, true, ""},
		{"ggml", "TheBloke/Llama-2-7B-Chat-GGML", "ggml", "ggml", "", false, false, ""},
	}
	env := newToolEnv(t, envConfig{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			result, err := env.call(t, context.Background(), "inspect_model", map[string]any{"huggingFaceId": tc.repo})
			require.NoError(t, err)
			out := result.(InspectModelOutput)

			assert.Equal(t, tc.repo, out.HuggingFaceID)
			assert.Equal(t, tc.format, out.Repo.Format)
			assert.Equal(t, tc.modelType, out.Type)
			assert.Equal(t, tc.architecture, out.Repo.Architecture)
			assert.Equal(t, tc.gated, out.Repo.Gated)
			assert.False(t, out.Repo.Private)
			assert.NotEmpty(t, out.Repo.Publisher)
			assert.Contains(t, out.Repo.CardURL, env.hub.URL+"/"+tc.repo)
			if tc.parameters {
				assert.Positive(t, out.Repo.Parameters)
				assert.NotEmpty(t, out.RegisterArgs["numberOfParams"])
			}
			if tc.warning != "" {
				assert.Contains(t, joinWarnings(out.Warnings), tc.warning)
			}

			require.NotNil(t, out.Estimate, "warnings: %v", out.Warnings)
			assert.Positive(t, out.Estimate.GPUMemoryBytes)
			assert.GreaterOrEqual(t, out.Estimate.GPUCount, int64(1))
			assert.NotEmpty(t, out.Estimate.Basis)

			assert.Equal(t, tc.repo, out.RegisterArgs["huggingFaceId"])
			assert.Equal(t, tc.modelType, out.RegisterArgs["type"])
			assert.Equal(t, out.Repo.Publisher, out.RegisterArgs["publisher"])
			assert.Equal(t, out.Repo.CardURL, out.RegisterArgs["card"])
			assert.NotEmpty(t, out.RegisterArgs["description"])
			assert.Contains(t, out.Message, "register_model")
		})
	}
}

func TestInspectModelGGUFNamesAssumedVariant(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	result, err := env.call(t, context.Background(), "inspect_model", map[string]any{"huggingFaceId": "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF"})
	require.NoError(t, err)
	out := result.(InspectModelOutput)
	require.NotNil(t, out.Estimate)
	assert.Contains(t, out.Estimate.Basis[0], "quantization variants")
}

func TestInspectModelMissingRepo(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	_, err := env.call(t, context.Background(), "inspect_model", map[string]any{"huggingFaceId": "rational-ai/no-such-model-7b"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "'rational-ai/no-such-model-7b' was not found on the Hugging Face Hub")
	assert.Contains(t, err.Error(), "check the exact spelling")
}

func TestInspectModelPrivateRepo(t *testing.T) {
	t.Run("without token", func(t *testing.T) {
		env := newToolEnv(t, envConfig{})
		_, err := env.call(t, context.Background(), "inspect_model", map[string]any{"huggingFaceId": "rational-ai/internal-chat-3b"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "private")
		assert.Contains(t, err.Error(), "HF_TOKEN")
	})
	t.Run("with token", func(t *testing.T) {
		env := newToolEnv(t, envConfig{hubToken: hubtest.Token})
		result, err := env.call(t, context.Background(), "inspect_model", map[string]any{"huggingFaceId": "rational-ai/internal-chat-3b"})
		require.NoError(t, err)
		out := result.(InspectModelOutput)
		assert.True(t, out.Repo.Private)
		assert.Contains(t, joinWarnings(out.Warnings), "private")
		for _, request := range env.hub.Requests() {
			assert.Equal(t, "Bearer "+hubtest.Token, request.Authorization)
		}
	})
}

func TestInspectModelHubUnreachable(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	env.hub.Override(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	_, err := env.call(t, context.Background(), "inspect_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "could not verify 'Qwen/Qwen2.5-7B-Instruct'")
	assert.Contains(t, err.Error(), "register_model still works with an explicit type")
}

func TestInspectModelWithoutHub(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	env.services.Hub = nil
	_, err := env.call(t, context.Background(), "inspect_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "could not verify")
	assert.Empty(t, env.hub.Requests())
}

func TestInspectModelRejectsBadID(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	_, err := env.call(t, context.Background(), "inspect_model", map[string]any{"huggingFaceId": "not a repo"})
	var argErr *ArgumentError
	require.ErrorAs(t, err, &argErr)
	assert.Equal(t, "huggingFaceId", argErr.Argument)
	assert.Empty(t, env.hub.Requests(), "a bad id sends nothing")
}

func TestInspectModelUnsupportedArchitecture(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	env.services.SupportedArchitectures = []string{"LlamaForCausalLM"}
	result, err := env.call(t, context.Background(), "inspect_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
	require.NoError(t, err)
	assert.Contains(t, joinWarnings(result.(InspectModelOutput).Warnings), "architecture Qwen2ForCausalLM is not in this server's supported list")
}

func joinWarnings(warnings []string) string {
	text := ""
	for _, warning := range warnings {
		text += warning + "\n"
	}
	return text
}
