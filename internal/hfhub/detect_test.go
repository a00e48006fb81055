package hfhub

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

func files(names ...string) []Sibling {
	siblings := make([]Sibling, 0, len(names))
	for _, name := range names {
		siblings = append(siblings, Sibling{Filename: name, Size: 1000, SizeKnown: true})
	}
	return siblings
}

func TestDetectFormatCases(t *testing.T) {
	awq := &Config{Quantization: &QuantizationConfig{Method: "awq", Bits: 4}}
	gptq := &Config{Quantization: &QuantizationConfig{Method: "gptq", Bits: 4}}

	cases := []struct {
		name        string
		info        ModelInfo
		format      Format
		modelType   controlroom.ModelType
		weightFiles []string
	}{
		{
			name:        "safetensors",
			info:        ModelInfo{Siblings: files("config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors")},
			format:      FormatSafetensors,
			modelType:   controlroom.ModelTypeBase,
			weightFiles: []string{"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"},
		},
		{
			name:        "subfolder copies are not weights",
			info:        ModelInfo{Siblings: files("model.safetensors", "original/consolidated.00.pth", "checkpoints/model.safetensors")},
			format:      FormatSafetensors,
			modelType:   controlroom.ModelTypeBase,
			weightFiles: []string{"model.safetensors"},
		},
		{
			name:        "mistral consolidated copy dropped",
			info:        ModelInfo{Siblings: files("consolidated.safetensors", "model-00001-of-00001.safetensors")},
			format:      FormatSafetensors,
			modelType:   controlroom.ModelTypeBase,
			weightFiles: []string{"model-00001-of-00001.safetensors"},
		},
		{
			name:        "consolidated only",
			info:        ModelInfo{Siblings: files("consolidated.safetensors", "params.json")},
			format:      FormatSafetensors,
			modelType:   controlroom.ModelTypeBase,
			weightFiles: []string{"consolidated.safetensors"},
		},
		{
			name:        "pytorch bin",
			info:        ModelInfo{Siblings: files("pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin", "training_args.bin")},
			format:      FormatPyTorch,
			modelType:   controlroom.ModelTypeBase,
			weightFiles: []string{"pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"},
		},
		{
			name:        "safetensors preferred over pytorch",
			info:        ModelInfo{Siblings: files("pytorch_model.bin", "model.safetensors")},
			format:      FormatSafetensors,
			modelType:   controlroom.ModelTypeBase,
			weightFiles: []string{"model.safetensors"},
		},
		{
			name:        "awq by quant method",
			info:        ModelInfo{Config: awq, Siblings: files("model.safetensors")},
			format:      FormatAWQ,
			modelType:   controlroom.ModelTypeAWQ,
			weightFiles: []string{"model.safetensors"},
		},
		{
			name:        "awq by tag without quantization_config",
			info:        ModelInfo{Tags: []string{"AWQ"}, Siblings: files("model.safetensors", "quant_config.json")},
			format:      FormatAWQ,
			modelType:   controlroom.ModelTypeAWQ,
			weightFiles: []string{"model.safetensors"},
		},
		{
			name:        "gptq has no control room type",
			info:        ModelInfo{Config: gptq, Siblings: files("model.safetensors")},
			format:      FormatQuantized,
			modelType:   TypeUnknown,
			weightFiles: []string{"model.safetensors"},
		},
		{
			name:        "gguf wins over safetensors",
			info:        ModelInfo{Siblings: files("model.safetensors", "model-Q4_K_M.gguf")},
			format:      FormatGGUF,
			modelType:   controlroom.ModelTypeGGUF,
			weightFiles: []string{"model-Q4_K_M.gguf"},
		},
		{
			name:        "gguf in subfolders, mmproj excluded",
			info:        ModelInfo{Siblings: files("Q8_0/m-Q8_0-00001-of-00002.gguf", "Q8_0/m-Q8_0-00002-of-00002.gguf", "mmproj-m-f16.gguf")},
			format:      FormatGGUF,
			modelType:   controlroom.ModelTypeGGUF,
			weightFiles: []string{"Q8_0/m-Q8_0-00001-of-00002.gguf", "Q8_0/m-Q8_0-00002-of-00002.gguf"},
		},
		{
			name:        "ggml legacy bin",
			info:        ModelInfo{Siblings: files("llama-2-7b.ggmlv3.q4_0.bin", "README.md")},
			format:      FormatGGML,
			modelType:   controlroom.ModelTypeGGML,
			weightFiles: []string{"llama-2-7b.ggmlv3.q4_0.bin"},
		},
		{
			name:      "lora adapter",
			info:      ModelInfo{Siblings: files("adapter_config.json", "adapter_model.safetensors")},
			format:    FormatAdapter,
			modelType: TypeUnknown,
		},
		{
			name:      "no weights",
			info:      ModelInfo{Siblings: files("README.md", ".gitattributes")},
			format:    FormatUnknown,
			modelType: TypeUnknown,
		},
		{
			name:      "no siblings",
			info:      ModelInfo{},
			format:    FormatUnknown,
			modelType: TypeUnknown,
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			detection := DetectFormat(&tc.info)
			assert.Equal(t, tc.format, detection.Format)
			assert.Equal(t, tc.modelType, detection.Type)
			assert.NotEmpty(t, detection.Reason)

			var names []string
			for _, file := range detection.WeightFiles {
				names = append(names, file.Filename)
			}
			assert.Equal(t, tc.weightFiles, names)
		})
	}
}

func TestTypeUnknownIsNotRegistrable(t *testing.T) {
	assert.False(t, TypeUnknown.Valid())
}

func TestGGUFLabel(t *testing.T) {
	cases := map[string]string{
		"Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf":       "Q4_K_M",
		"Meta-Llama-3.1-8B-Instruct-f32.gguf":          "F32",
		"qwen2.5-7b-instruct-q8_0-00001-of-00003.gguf": "Q8_0",
		"model.Q5_K_S.gguf":                            "Q5_K_S",
		"Q4_K_M/Model-Q4_K_M-00002-of-00002.gguf":      "Q4_K_M",
		"gemma-3-27b-it-IQ3_XXS.gguf":                  "IQ3_XXS",
		"gpt-oss-20b-MXFP4.gguf":                       "MXFP4",
		"Llama-3.2-1B-Instruct-BF16.gguf":              "BF16",
		"model_q4_0.gguf":                              "Q4_0",
		"ggml-model.gguf":                              "",
		"Phi-3-mini-4k-instruct-fp16.gguf":             "FP16",
		"Qwen3-30B-A3B-Q6_K.gguf":                      "Q6_K",
		"Qwen3-30B-A3B-UD-Q4_K_XL-00001-of-00002.gguf": "Q4_K_XL",
	}
	for name, want := range cases {
		assert.Equal(t, want, GGUFLabel(name), name)
	}
}

func TestGroupVariants(t *testing.T) {
	siblings := []Sibling{
		{Filename: "m-Q8_0-00001-of-00002.gguf", Size: 5, SizeKnown: true},
		{Filename: "m-Q8_0-00002-of-00002.gguf", Size: 3, SizeKnown: true},
		{Filename: "m-Q4_K_M.gguf", Size: 4, SizeKnown: true},
		{Filename: "m-F16.gguf"},
		{Filename: "unlabelled.gguf", Size: 9, SizeKnown: true},
	}
	variants := groupVariants(siblings)
	require.Len(t, variants, 4)

	assert.Equal(t, Variant{Label: "F16", Files: []string{"m-F16.gguf"}}, variants[0], "unknown size reports zero bytes")
	assert.Equal(t, Variant{Label: "Q4_K_M", Files: []string{"m-Q4_K_M.gguf"}, Bytes: 4, SizeKnown: true}, variants[1])
	assert.Equal(t, Variant{Label: "Q8_0", Files: []string{"m-Q8_0-00001-of-00002.gguf", "m-Q8_0-00002-of-00002.gguf"}, Bytes: 8, SizeKnown: true}, variants[2])
	assert.Equal(t, Variant{Label: "unlabelled", Files: []string{"unlabelled.gguf"}, Bytes: 9, SizeKnown: true}, variants[3])
}
