package estimate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/estimate"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
)

// inspect fetches a fixture through a real client and a local Hub server.
func inspect(t *testing.T, repoID string) *hfhub.Facts {
	t.Helper()
	return inspectWith(t, repoID, hfhub.Options{})
}

func inspectWith(t *testing.T, repoID string, opts hfhub.Options) *hfhub.Facts {
	t.Helper()

	server := hubtest.New(t, hubtest.FixtureDir(t))
	opts.Endpoint = server.URL
	client, err := hfhub.New(opts)
	require.NoError(t, err)

	facts, err := client.Inspect(context.Background(), repoID, "")
	require.NoError(t, err)
	return facts
}

func TestEstimateFromGatedLlamaFixture(t *testing.T) {
	facts := inspect(t, "meta-llama/Llama-3.1-8B-Instruct")

	in, err := estimate.InputFromFacts(facts, estimate.FactsOptions{ContextLength: 8192})
	require.NoError(t, err)
	est, err := estimate.Compute(in, estimate.Settings{})
	require.NoError(t, err)

	// Weights: the four root-level shards, 16,060,556,376 bytes; the
	// original/consolidated.00.pth copy is not counted.
	assert.Equal(t, int64(16060556376), est.WeightBytes)
	assert.Equal(t, "file sizes", est.WeightMethod)
	// KV: 32 x 8 x 128 x 8,192 x 2 x 2 = 1,073,741,824.
	assert.True(t, est.KVCacheIncluded)
	assert.Equal(t, int64(1073741824), est.KVCacheBytes)
	// Total: 17,134,298,200 x 1.2 = 20,561,157,840.
	assert.Equal(t, int64(20561157840), est.TotalBytes)
	assert.Equal(t, int64(1), est.GPUCount)

	text := strings.Join(est.Assumptions, "\n")
	assert.Contains(t, text, "the sum of 4 safetensors weight file(s) listed by the Hub")
	assert.Contains(t, text, "8,192 tokens (requested)")
}

func TestEstimateUsesModelContextByDefault(t *testing.T) {
	facts := inspect(t, "meta-llama/Llama-3.1-8B-Instruct")

	in, err := estimate.InputFromFacts(facts, estimate.FactsOptions{})
	require.NoError(t, err)
	est, err := estimate.Compute(in, estimate.Settings{})
	require.NoError(t, err)

	// KV: 32 x 8 x 128 x 131,072 x 2 x 2 = 17,179,869,184 (16 GiB).
	assert.Equal(t, int64(17179869184), est.KVCacheBytes)
	assert.Contains(t, strings.Join(est.Assumptions, "\n"), "131,072 tokens (config.max_position_embeddings)")
}

func TestEstimateWithSizesFromConfigFile(t *testing.T) {
	facts := inspect(t, "Qwen/Qwen2.5-7B-Instruct")

	in, err := estimate.InputFromFacts(facts, estimate.FactsOptions{ContextLength: 8192})
	require.NoError(t, err)
	est, err := estimate.Compute(in, estimate.Settings{})
	require.NoError(t, err)

	assert.Equal(t, int64(15231271856), est.WeightBytes)
	// KV: 28 layers x 4 KV heads x (3,584 / 28 = 128) head dim x 8,192
	//     x 2 x 2 = 469,762,048.
	assert.True(t, est.KVCacheIncluded)
	assert.Equal(t, int64(469762048), est.KVCacheBytes)
	// Total: 15,701,033,904 x 1.2 = 18,841,240,684.8, up to 18,841,240,685.
	assert.Equal(t, int64(18841240685), est.TotalBytes)
	assert.Contains(t, strings.Join(est.Assumptions, "\n"), "head dim = hidden size 3584 / 28 attention heads = 128")
}

func TestEstimateWithoutConfigSizes(t *testing.T) {
	facts := inspectWith(t, "Qwen/Qwen2.5-7B-Instruct", hfhub.Options{SkipConfigFile: true})

	in, err := estimate.InputFromFacts(facts, estimate.FactsOptions{ContextLength: 8192})
	require.NoError(t, err)
	est, err := estimate.Compute(in, estimate.Settings{})
	require.NoError(t, err)

	assert.Equal(t, int64(15231271856), est.WeightBytes)
	assert.False(t, est.KVCacheIncluded, "the Hub's config carries no layer count here")
	// 15,231,271,856 x 1.2 = 18,277,526,227.2, up to 18,277,526,228.
	assert.Equal(t, int64(18277526228), est.TotalBytes)
	assert.Contains(t, strings.Join(est.Assumptions, "\n"), "KV cache: left out because the layer count, the KV head count, the head dimension are unknown")
}

func TestEstimateAWQUsesFileSizes(t *testing.T) {
	facts := inspect(t, "Qwen/Qwen2.5-7B-Instruct-AWQ")

	in, err := estimate.InputFromFacts(facts, estimate.FactsOptions{})
	require.NoError(t, err)
	assert.Zero(t, in.Parameters, "the packed safetensors count is not used")
	assert.Equal(t, "awq", in.Precision)
	assert.Equal(t, int64(4), in.QuantBits)
	assert.Equal(t, int64(128), in.GroupSize)

	est, err := estimate.Compute(in, estimate.Settings{})
	require.NoError(t, err)
	// Weights: 3,994,823,680 + 1,577,589,504 = 5,572,413,184.
	// KV at the model's 32,768 tokens from config.json:
	//     28 x 4 x 128 x 32,768 x 2 x 2 = 1,879,048,192.
	// Total: 7,451,461,376 x 1.2 = 8,941,753,651.2, up to 8,941,753,652.
	assert.Equal(t, int64(5572413184), est.WeightBytes)
	assert.Equal(t, int64(1879048192), est.KVCacheBytes)
	assert.Equal(t, int64(8941753652), est.TotalBytes)
}

func TestEstimateGGUFNeedsVariant(t *testing.T) {
	facts := inspect(t, "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF")

	_, err := estimate.InputFromFacts(facts, estimate.FactsOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "4 quantization variants")
	assert.Contains(t, err.Error(), "Q4_K_M (4.58 GiB)")

	_, err = estimate.InputFromFacts(facts, estimate.FactsOptions{Variant: "IQ1_S"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no quantization variant "IQ1_S"`)

	in, err := estimate.InputFromFacts(facts, estimate.FactsOptions{Variant: "q4_k_m"})
	require.NoError(t, err)
	est, err := estimate.Compute(in, estimate.Settings{})
	require.NoError(t, err)

	// 4,920,734,016 x 1.2 = 5,904,880,819.2, up to 5,904,880,820. The
	// GGUF header in the API gives no layer count, so no KV cache.
	assert.Equal(t, int64(4920734016), est.WeightBytes)
	assert.False(t, est.KVCacheIncluded)
	assert.Equal(t, int64(5904880820), est.TotalBytes)
	assert.Contains(t, strings.Join(est.Assumptions, "\n"), "the gguf Q4_K_M variant, 1 file(s) listed by the Hub")
}

func TestEstimateGGMLVariant(t *testing.T) {
	facts := inspect(t, "TheBloke/Llama-2-7B-Chat-GGML")

	in, err := estimate.InputFromFacts(facts, estimate.FactsOptions{Variant: "Q4_0"})
	require.NoError(t, err)
	est, err := estimate.Compute(in, estimate.Settings{})
	require.NoError(t, err)
	assert.Equal(t, int64(3791725184), est.WeightBytes)
}

func TestEstimateFromParametersWhenSizesUnknown(t *testing.T) {
	facts := &hfhub.Facts{
		RepoID: "a/b", Format: hfhub.FormatSafetensors, Parameters: 1000000000,
		ParametersSource: "safetensors.total", Dtype: "BF16",
	}

	in, err := estimate.InputFromFacts(facts, estimate.FactsOptions{})
	require.NoError(t, err)
	est, err := estimate.Compute(in, estimate.Settings{})
	require.NoError(t, err)

	// 1,000,000,000 x 2 = 2,000,000,000; x 1.2 = 2,400,000,000.
	assert.Equal(t, int64(2000000000), est.WeightBytes)
	assert.Equal(t, int64(2400000000), est.TotalBytes)
	assert.Contains(t, strings.Join(est.Assumptions, "\n"), "1,000,000,000 parameters (safetensors.total)")
}

func TestEstimatePackedCountWithoutSizesFails(t *testing.T) {
	facts := &hfhub.Facts{
		RepoID: "a/b-AWQ", Format: hfhub.FormatAWQ, Parameters: 1964296704,
		ParametersNote: "packed", QuantMethod: "awq", QuantBits: 4,
	}

	in, err := estimate.InputFromFacts(facts, estimate.FactsOptions{})
	require.NoError(t, err)
	_, err = estimate.Compute(in, estimate.Settings{})
	assert.ErrorIs(t, err, estimate.ErrNoWeightSize)
}
