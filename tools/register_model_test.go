package tools

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
)

func TestRegisterFromBareRepoID(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	result, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
	require.NoError(t, err)
	out := result.(RegisterModelOutput)
	assert.False(t, out.AlreadyExisted)
	assert.ElementsMatch(t, []string{"type", "publisher", "numberOfParams", "card", "description", "size"}, out.FilledFromHub)
	assert.Empty(t, out.Warnings)

	model, err := env.api.GetModel(context.Background(), out.ModelID)
	require.NoError(t, err)
	assert.Equal(t, "Qwen/Qwen2.5-7B-Instruct", model.HuggingFaceID)
	assert.Equal(t, "Qwen/Qwen2.5-7B-Instruct", model.Name)
	assert.Equal(t, "base", string(model.Type))
	assert.Equal(t, "Qwen", model.Publisher)
	assert.Regexp(t, `^7[0-9]{9}$`, model.NumberOfParams)
	assert.Equal(t, env.hub.URL+"/Qwen/Qwen2.5-7B-Instruct", model.Card)
	assert.Contains(t, model.Description, "Qwen2ForCausalLM")
	assert.NotEmpty(t, model.Size)
}

func TestRegisterKeepsGivenFields(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	result, err := env.call(t, context.Background(), "register_model", map[string]any{
		"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct", "type": "base", "publisher": "Alibaba", "description": "mine",
	})
	require.NoError(t, err)
	out := result.(RegisterModelOutput)
	assert.NotContains(t, out.FilledFromHub, "publisher")
	assert.NotContains(t, out.FilledFromHub, "type")

	model, err := env.api.GetModel(context.Background(), out.ModelID)
	require.NoError(t, err)
	assert.Equal(t, "Alibaba", model.Publisher)
	assert.Equal(t, "mine", model.Description)
}

func TestRegisterFixtures(t *testing.T) {
	cases := []struct {
		name      string
		repo      string
		modelType string
		warning   string
	}{
		{"gated", "meta-llama/Llama-3.1-8B-Instruct", "base", "gated"},
		{"awq", "Qwen/Qwen2.5-7B-Instruct-AWQ", "awq", "4-bit"},
		{"gguf", "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "gguf", ""},
		{"ggml", "TheBloke/Llama-2-7B-Chat-GGML", "ggml", ""},
	}
	env := newToolEnv(t, envConfig{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			result, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": tc.repo})
			require.NoError(t, err)
			out := result.(RegisterModelOutput)
			assert.Contains(t, out.FilledFromHub, "type")
			if tc.warning != "" {
				assert.Contains(t, joinWarnings(out.Warnings), tc.warning)
			}

			model, err := env.api.GetModel(context.Background(), out.ModelID)
			require.NoError(t, err)
			assert.Equal(t, tc.modelType, string(model.Type))
			assert.NotEmpty(t, model.Card)
			assert.NotEmpty(t, model.Publisher)
		})
	}
}

func TestRegisterBaseOnAWQRepoWarns(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	result, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct-AWQ", "type": "base"})
	require.NoError(t, err)
	out := result.(RegisterModelOutput)
	assert.Contains(t, joinWarnings(out.Warnings), "type 'base' contradicts the repo, whose awq weights need type 'awq'")
}

func TestRegisterStrictRejectsMismatch(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	env.services.HubStrict = true
	_, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct-AWQ", "type": "base"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "contradicts the repo")
	assert.Contains(t, err.Error(), "nothing was registered")
	assert.Zero(t, env.sim.Stats().RegistrationsCreated)
}

func TestRegisterUnsupportedArchitecture(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	env.services.SupportedArchitectures = []string{"LlamaForCausalLM"}
	result, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
	require.NoError(t, err)
	assert.Contains(t, joinWarnings(result.(RegisterModelOutput).Warnings), "Qwen2ForCausalLM is not in this server's supported list")

	env.services.HubStrict = true
	_, err = env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct-AWQ"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--hub-strict")
}

func TestRegisterMissingRepoRejected(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	_, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "rational-ai/no-such-model-7b", "type": "base"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "was not found on the Hugging Face Hub")
	assert.Contains(t, err.Error(), "check the exact spelling")
	assert.Zero(t, env.sim.Stats().RegistrationsCreated)
}

func TestRegisterPrivateRepoWithoutTokenRejected(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	_, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "rational-ai/internal-chat-3b", "type": "base"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "private")
	assert.Zero(t, env.sim.Stats().RegistrationsCreated)
}

func TestRegisterHubUnreachable(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	env.hub.Override(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) })

	t.Run("warns and registers", func(t *testing.T) {
		result, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct", "type": "base"})
		require.NoError(t, err)
		out := result.(RegisterModelOutput)
		assert.NotEmpty(t, out.ModelID)
		assert.Contains(t, joinWarnings(out.Warnings), "could not verify 'Qwen/Qwen2.5-7B-Instruct'")
	})
	t.Run("without type fails", func(t *testing.T) {
		_, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct-AWQ"})
		var argErr *ArgumentError
		require.ErrorAs(t, err, &argErr)
		assert.Equal(t, "type", argErr.Argument)
	})
	t.Run("strict rejects", func(t *testing.T) {
		before := env.sim.Stats().RegistrationsCreated
		env.services.HubStrict = true
		defer func() { env.services.HubStrict = false }()
		_, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "TheBloke/Llama-2-7B-Chat-GGML", "type": "ggml"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "could not verify")
		assert.Equal(t, before, env.sim.Stats().RegistrationsCreated)
	})
}

func TestRegisterFromHubIsIdempotent(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	first, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
	require.NoError(t, err)
	second, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
	require.NoError(t, err)
	assert.True(t, second.(RegisterModelOutput).AlreadyExisted)
	assert.Equal(t, first.(RegisterModelOutput).ModelID, second.(RegisterModelOutput).ModelID)
	assert.Equal(t, int64(1), env.sim.Stats().RegistrationsCreated)
}

func TestRegisterUnknownFormatNeedsType(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	fixture := loadFixture(t, "qwen2.5-7b-instruct-awq.json")
	fixture.Repo = "Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4"
	// The AWQ fixture turned into a GPTQ repo: quant_method and the awq
	// tag both become gptq, a format without a Control Room type.
	body := strings.ReplaceAll(string(fixture.Body), "Qwen2.5-7B-Instruct-AWQ", "Qwen2.5-7B-Instruct-GPTQ-Int4")
	body = strings.ReplaceAll(body, `"awq"`, `"gptq"`)
	require.Contains(t, body, `"quant_method": "gptq"`)
	fixture.Body = json.RawMessage(body)
	env.hub.SetFixture(fixture)

	_, err := env.call(t, context.Background(), "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4"})
	var argErr *ArgumentError
	require.ErrorAs(t, err, &argErr)
	assert.Equal(t, "type", argErr.Argument)
	assert.Contains(t, argErr.Message, "matches no Control Room type")
	assert.Zero(t, env.sim.Stats().RegistrationsCreated)
}

func loadFixture(t *testing.T, file string) hubtest.Fixture {
	t.Helper()
	fixtures, err := hubtest.LoadFixtures(hubtest.FixtureDir(t))
	require.NoError(t, err)
	for _, fixture := range fixtures {
		if fixture.File == file {
			return fixture
		}
	}
	t.Fatalf("no fixture %s", file)
	return hubtest.Fixture{}
}
