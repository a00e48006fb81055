package estimate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const gib = int64(1) << 30

func TestComputeWorkedExamples(t *testing.T) {
	cases := []struct {
		name     string
		input    Input
		settings Settings

		weightBytes    int64
		kvIncluded     bool
		kvBytes        int64
		totalBytes     int64
		gpuCount       int64
		tensorParallel int64
	}{
		{
			// Weights: 8,030,261,248 x 2 bytes (BF16) = 16,060,522,496.
			// KV: 32 layers x 8 KV heads x 128 head dim x 8,192 tokens
			//     x 2 (K and V) x 2 bytes = 1,073,741,824 (1 GiB).
			// Total: (16,060,522,496 + 1,073,741,824) x 1.2
			//      = 17,134,264,320 x 1.2 = 20,561,117,184.
			// GPUs: 80 GiB x 0.9 = 77,309,411,328 usable, so 1.
			name: "8B BF16 with 8k context",
			input: Input{
				Model: "meta-llama/Llama-3.1-8B-Instruct", Parameters: 8030261248, Precision: "BF16",
				Layers: 32, KVHeads: 8, HeadDim: 128, ContextLength: 8192,
			},
			weightBytes: 16060522496, kvIncluded: true, kvBytes: 1073741824,
			totalBytes: 20561117184, gpuCount: 1, tensorParallel: 1,
		},
		{
			// Weights: 70,553,706,496 x 2 = 141,107,412,992.
			// KV: 80 x 8 x 128 x 8,192 x 2 x 2 = 2,684,354,560.
			// Total: 143,791,767,552 x 1.2 = 172,550,121,062.4, up to
			//        172,550,121,063.
			// GPUs: 172,550,121,063 / 77,309,411,328 = 2.23, up to 3;
			//       tensor parallelism needs 4.
			name: "70B BF16 needs three GPUs",
			input: Input{
				Parameters: 70553706496, Precision: "bfloat16",
				Layers: 80, KVHeads: 8, HeadDim: 128, ContextLength: 8192,
			},
			weightBytes: 141107412992, kvIncluded: true, kvBytes: 2684354560,
			totalBytes: 172550121063, gpuCount: 3, tensorParallel: 4,
		},
		{
			// Weights from the file sizes, as listed by the Hub:
			// 15,231,271,856 bytes.
			// KV: 28 layers x 4 KV heads x 128 x 32,768 tokens x 2 x 2
			//     = 1,879,048,192.
			// Total: 17,110,320,048 x 1.2 = 20,532,384,057.6, up to
			//        20,532,384,058.
			name: "file sizes win over parameters",
			input: Input{
				WeightBytes: 15231271856, Parameters: 7615616512, Precision: "BF16",
				Layers: 28, KVHeads: 4, HeadDim: 128, ContextLength: 32768,
			},
			weightBytes: 15231271856, kvIncluded: true, kvBytes: 1879048192,
			totalBytes: 20532384058, gpuCount: 1, tensorParallel: 1,
		},
		{
			// AWQ 4-bit, group 128: 0.5 + (2 + 0.5) / 128 = 0.51953125
			// bytes per parameter. 7,000,000,000 x 0.51953125
			// = 3,636,718,750. No layer count, so no KV cache.
			// Total: 3,636,718,750 x 1.2 = 4,364,062,500.
			name: "AWQ from parameters without KV inputs",
			input: Input{
				Parameters: 7000000000, Precision: "awq", QuantBits: 4, GroupSize: 128,
				ContextLength: 4096,
			},
			weightBytes: 3636718750, kvIncluded: false, kvBytes: 0,
			totalBytes: 4364062500, gpuCount: 1, tensorParallel: 1,
		},
		{
			// GGUF Q4_K_M: 4.84 bits per weight / 8 = 0.605 bytes.
			// 8,030,261,312 x 0.605 = 4,858,308,093.76, up to
			// 4,858,308,094.
			// KV: 32 x 8 x 128 x 4,096 x 2 x 2 = 536,870,912.
			// Total: 5,395,179,006 x 1.2 = 6,474,214,807.2, up to
			//        6,474,214,808.
			name: "GGUF Q4_K_M from parameters",
			input: Input{
				Parameters: 8030261312, Precision: "Q4_K_M",
				Layers: 32, KVHeads: 8, HeadDim: 128, ContextLength: 4096,
			},
			weightBytes: 4858308094, kvIncluded: true, kvBytes: 536870912,
			totalBytes: 6474214808, gpuCount: 1, tensorParallel: 1,
		},
		{
			// Head dim derived: 4,096 hidden / 32 heads = 128. KV heads
			// default to the 32 attention heads (no GQA).
			// Weights: 6,738,415,616 x 2 = 13,476,831,232.
			// KV: 32 x 32 x 128 x 4,096 x 2 x 2 = 2,147,483,648.
			// Total: 15,624,314,880 x 1.2 = 18,749,177,856.
			name: "derived head dim and KV heads",
			input: Input{
				Parameters: 6738415616, Precision: "F16",
				Layers: 32, AttentionHeads: 32, HiddenSize: 4096, ContextLength: 4096,
			},
			weightBytes: 13476831232, kvIncluded: true, kvBytes: 2147483648,
			totalBytes: 18749177856, gpuCount: 1, tensorParallel: 1,
		},
		{
			// 16 sequences of 8,192 tokens on 24 GiB GPUs.
			// KV: 1,073,741,824 x 16 = 17,179,869,184.
			// Total: (16,060,522,496 + 17,179,869,184) x 1.2
			//      = 33,240,391,680 x 1.2 = 39,888,470,016.
			// Usable: 25,769,803,776 x 0.9 = 23,192,823,398.4, down to
			//         23,192,823,398. GPUs: 1.72, up to 2.
			name: "concurrency on 24 GiB GPUs",
			input: Input{
				Parameters: 8030261248, Precision: "BF16",
				Layers: 32, KVHeads: 8, HeadDim: 128, ContextLength: 8192, ConcurrentSequences: 16,
			},
			settings:    Settings{GPUMemoryBytes: 24 * gib},
			weightBytes: 16060522496, kvIncluded: true, kvBytes: 17179869184,
			totalBytes: 39888470016, gpuCount: 2, tensorParallel: 2,
		},
		{
			// FP8 KV cache halves the 1 GiB of the first case: 536,870,912.
			// Overhead 1.5: (16,060,522,496 + 536,870,912) x 1.5
			//             = 16,597,393,408 x 1.5 = 24,896,090,112.
			// Usable fraction 0.25 of 80 GiB: 21,474,836,480. GPUs: 1.16, up to 2.
			name: "FP8 KV cache and custom settings",
			input: Input{
				Parameters: 8030261248, Precision: "BF16", KVCachePrecision: "fp8",
				Layers: 32, KVHeads: 8, HeadDim: 128, ContextLength: 8192,
			},
			settings:    Settings{OverheadFactor: 1.5, UsableFraction: 0.25},
			weightBytes: 16060522496, kvIncluded: true, kvBytes: 536870912,
			totalBytes: 24896090112, gpuCount: 2, tensorParallel: 2,
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			est, err := Compute(tc.input, tc.settings)
			require.NoError(t, err)

			assert.Equal(t, tc.weightBytes, est.WeightBytes, "weight bytes")
			assert.Equal(t, tc.kvIncluded, est.KVCacheIncluded, "KV included")
			assert.Equal(t, tc.kvBytes, est.KVCacheBytes, "KV bytes")
			assert.Equal(t, tc.weightBytes+tc.kvBytes, est.SubtotalBytes, "subtotal")
			assert.Equal(t, tc.totalBytes, est.TotalBytes, "total bytes")
			assert.Equal(t, tc.gpuCount, est.GPUCount, "GPU count")
			assert.Equal(t, tc.tensorParallel, est.TensorParallelGPUs, "tensor parallel GPUs")
			assert.Contains(t, est.Assumptions[0], "estimates")
		})
	}
}

func TestComputeStatesEveryInput(t *testing.T) {
	est, err := Compute(Input{
		Model: "meta-llama/Llama-3.1-8B-Instruct", Parameters: 8030261248, ParametersSource: "safetensors.total",
		Precision: "BF16", Layers: 32, KVHeads: 8, HeadDim: 128, ContextLength: 8192, ContextSource: "requested",
	}, Settings{})
	require.NoError(t, err)
	text := strings.Join(est.Assumptions, "\n")

	assert.Contains(t, text, "meta-llama/Llama-3.1-8B-Instruct")
	assert.Contains(t, text, "8,030,261,248 parameters (safetensors.total)")
	assert.Contains(t, text, "16-bit floats, 2 bytes per parameter")
	assert.Contains(t, text, "32 layers x 8 KV heads x 128 head dim x 8,192 tokens (requested) x 2 (K and V) x 2 bytes")
	assert.Contains(t, text, "1 sequence(s) = 1,073,741,824 bytes (1.00 GiB)")
	assert.Contains(t, text, "x 1.20")
	assert.Contains(t, text, "80.00 GiB) per GPU x 90% usable")
	assert.Contains(t, text, "= 1 GPU(s)")
	assert.Contains(t, text, "full attention")
}

func TestComputeOmitsKVWhenInputsMissing(t *testing.T) {
	cases := map[string]struct {
		input   Input
		missing string
	}{
		"no layers":  {Input{WeightBytes: gib, KVHeads: 8, HeadDim: 128, ContextLength: 4096}, "the layer count is unknown"},
		"no context": {Input{WeightBytes: gib, Layers: 32, KVHeads: 8, HeadDim: 128}, "the context length is unknown"},
		"no heads":   {Input{WeightBytes: gib, Layers: 32, ContextLength: 4096}, "the KV head count, the head dimension are unknown"},
		"nothing":    {Input{WeightBytes: gib}, "the layer count, the KV head count, the head dimension, the context length are unknown"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			est, err := Compute(tc.input, Settings{})
			require.NoError(t, err)

			assert.False(t, est.KVCacheIncluded)
			assert.Zero(t, est.KVCacheBytes)
			text := strings.Join(est.Assumptions, "\n")
			assert.Contains(t, text, "KV cache: left out because "+tc.missing)
			assert.Contains(t, text, "too low for serving")
		})
	}
}

func TestComputeRejectsMissingWeights(t *testing.T) {
	_, err := Compute(Input{Layers: 32}, Settings{})
	assert.ErrorIs(t, err, ErrNoWeightSize)

	_, err = Compute(Input{Model: "a/b", Parameters: 7e9}, Settings{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "precision is unknown")
	assert.Contains(t, err.Error(), "a/b")

	_, err = Compute(Input{Parameters: 7e9, Precision: "Q9_Z"}, Settings{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown weight precision "Q9_Z"`)

	_, err = Compute(Input{Parameters: 7e9, Precision: "awq"}, Settings{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "quantization bits")
}

func TestComputeRejectsBadSettings(t *testing.T) {
	cases := map[string]Settings{
		"overhead below 1":   {OverheadFactor: 0.5},
		"overhead too large": {OverheadFactor: 11},
		"tiny GPU":           {GPUMemoryBytes: 1024},
		"negative GPU":       {GPUMemoryBytes: -1},
		"fraction above 1":   {UsableFraction: 1.5},
		"negative fraction":  {UsableFraction: -0.1},
	}
	for name, settings := range cases {
		_, err := Compute(Input{WeightBytes: gib}, settings)
		assert.Error(t, err, name)
	}
}

func TestComputeRejectsOutOfRangeInputs(t *testing.T) {
	cases := map[string]Input{
		"negative weights":    {WeightBytes: -1},
		"huge weights":        {WeightBytes: 1 << 60},
		"negative layers":     {WeightBytes: gib, Layers: -2},
		"huge context":        {WeightBytes: gib, ContextLength: 1 << 40},
		"huge sequences":      {WeightBytes: gib, ConcurrentSequences: 1 << 20},
		"KV product too big":  {WeightBytes: gib, Layers: 1 << 20, KVHeads: 1 << 20, HeadDim: 1 << 20, ContextLength: 1 << 30},
		"unknown KV dtype":    {WeightBytes: gib, KVCachePrecision: "int2"},
		"negative parameters": {Parameters: -5, Precision: "BF16"},
	}
	for name, in := range cases {
		_, err := Compute(in, Settings{})
		assert.Error(t, err, name)
	}
}

func TestResolvePrecision(t *testing.T) {
	cases := []struct {
		name      string
		bits      int64
		groupSize int64
		want      float64
	}{
		{"F32", 0, 0, 4},
		{"float32", 0, 0, 4},
		{"BF16", 0, 0, 2},
		{"f16", 0, 0, 2},
		{"FP8", 0, 0, 1},
		{"F8_E4M3", 0, 0, 1},
		{"INT8", 0, 0, 1},
		// 4/8 + (2 + 4/8) / 128 = 0.5 + 0.01953125
		{"awq", 4, 128, 0.51953125},
		{"awq", 4, 0, 0.51953125},
		// 4/8 + (2 + 4/8) / 32 = 0.5 + 0.078125
		{"gptq", 4, 32, 0.578125},
		// 8/8 + (2 + 8/8) / 128 = 1 + 0.0234375
		{"gptq", 8, 128, 1.0234375},
		// GPTQ group_size -1: per-column scales are not counted.
		{"gptq", 4, -1, 0.5},
		{"bitsandbytes", 4, 0, 0.5625},
		{"bitsandbytes", 8, 0, 1},
		{"Q8_0", 0, 0, 8.5 / 8},
		{"q4_k_m", 0, 0, 4.84 / 8},
		{"Q4_0", 0, 0, 4.5 / 8},
		{"Q2_K", 0, 0, 3.35 / 8},
	}
	for _, tc := range cases {
		got, err := resolvePrecision(tc.name, tc.bits, tc.groupSize)
		require.NoError(t, err, tc.name)
		assert.InDelta(t, tc.want, got.bytesPerParameter, 1e-12, tc.name)
		assert.NotEmpty(t, got.description, tc.name)
	}

	defaulted, err := resolvePrecision("awq", 4, 0)
	require.NoError(t, err)
	assert.Contains(t, defaulted.description, "group of 128 (assumed, the config gives no group size)")

	for _, bad := range []struct {
		name string
		bits int64
	}{{"awq", 0}, {"gptq", 16}, {"bitsandbytes", 2}, {"mystery", 4}, {"", 0}} {
		_, err := resolvePrecision(bad.name, bad.bits, 0)
		assert.Error(t, err, bad.name)
	}
}

func TestFormatCount(t *testing.T) {
	cases := map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234", 16060522496: "16,060,522,496"}
	for n, want := range cases {
		assert.Equal(t, want, formatCount(n))
	}
}
