package hfhub

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeGatedShapes(t *testing.T) {
	cases := []struct {
		raw     string
		enabled bool
		mode    string
		warning bool
	}{
		{`false`, false, "", false},
		{`true`, true, "", false},
		{`"auto"`, true, "auto", false},
		{`"manual"`, true, "manual", false},
		{`"some-future-mode"`, true, "some-future-mode", false},
		{`null`, false, "", false},
		{`7`, false, "", true},
		{`{"mode":"auto"}`, false, "", true},
	}
	for _, tc := range cases {
		info, err := DecodeModelInfo([]byte(`{"id":"a/b","gated":` + tc.raw + `}`))
		require.NoError(t, err, tc.raw)
		assert.Equal(t, tc.enabled, info.Gated.Enabled, tc.raw)
		assert.Equal(t, tc.mode, info.Gated.Mode, tc.raw)
		assert.Equal(t, tc.warning, len(info.Warnings) > 0, tc.raw)
	}
}

func TestDecodeCardDataStringOrList(t *testing.T) {
	info, err := DecodeModelInfo([]byte(`{"cardData":{"license":"apache-2.0","base_model":"Qwen/Qwen2.5-7B"}}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"apache-2.0"}, info.CardData.License)
	assert.Equal(t, []string{"Qwen/Qwen2.5-7B"}, info.CardData.BaseModels)

	info, err = DecodeModelInfo([]byte(`{"cardData":{"license":["mit","apache-2.0"],"base_model":["a/b","c/d"],"license_name":"x"}}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"mit", "apache-2.0"}, info.CardData.License)
	assert.Equal(t, []string{"a/b", "c/d"}, info.CardData.BaseModels)
	assert.Equal(t, "x", info.CardData.LicenseName)

	info, err = DecodeModelInfo([]byte(`{"cardData":{"license":42,"base_model":"a/b"}}`))
	require.NoError(t, err)
	assert.Empty(t, info.CardData.License)
	assert.Equal(t, []string{"a/b"}, info.CardData.BaseModels)
	require.Len(t, info.Warnings, 1)
	assert.Contains(t, info.Warnings[0], "cardData.license")
}

func TestDecodeIgnoresUnknownFields(t *testing.T) {
	body := `{"id":"a/b","somethingNew":{"nested":[1,2,3]},"inferenceProviderMapping":[],"safetensors":{"parameters":{"BF16":10},"total":10,"extra":true}}`
	info, err := DecodeModelInfo([]byte(body))
	require.NoError(t, err)
	assert.Equal(t, "a/b", info.ID)
	assert.Equal(t, int64(10), info.Safetensors.Total)
	assert.Empty(t, info.Warnings)
}

func TestDecodeWrongShapesBecomeWarnings(t *testing.T) {
	body := `{
		"id": "a/b",
		"author": 5,
		"private": "no",
		"tags": "chat",
		"downloads": 1.5,
		"lastModified": "yesterday",
		"safetensors": [],
		"gguf": {"total": "big", "architecture": "llama"},
		"config": {"architectures": "LlamaForCausalLM", "model_type": "llama"},
		"siblings": [{"rfilename": "ok.safetensors", "size": 3}, {"size": 4}, "junk"]
	}`
	info, err := DecodeModelInfo([]byte(body))
	require.NoError(t, err)

	assert.Equal(t, "a/b", info.ID)
	assert.Empty(t, info.Author)
	assert.False(t, info.Private)
	assert.Empty(t, info.Tags)
	assert.Zero(t, info.Downloads)
	assert.True(t, info.LastModified.IsZero())
	assert.Nil(t, info.Safetensors)
	require.NotNil(t, info.GGUF)
	assert.Equal(t, "llama", info.GGUF.Architecture)
	assert.Zero(t, info.GGUF.Total)
	require.NotNil(t, info.Config)
	assert.Equal(t, "llama", info.Config.ModelType)
	assert.Empty(t, info.Config.Architectures)
	require.Len(t, info.Siblings, 1)
	assert.Equal(t, "ok.safetensors", info.Siblings[0].Filename)

	// author, private, tags, downloads, lastModified, safetensors,
	// gguf.total, config.architectures, siblings[1], siblings[2].
	assert.Len(t, info.Warnings, 10, "%v", info.Warnings)
}

func TestDecodeRejectsNonObjects(t *testing.T) {
	for _, body := range []string{``, `null`, `[]`, `"x"`, `<html>Bad Gateway</html>`, `{"id":`} {
		_, err := DecodeModelInfo([]byte(body))
		require.Error(t, err, "%q", body)
		assert.Equal(t, KindInvalidResponse, KindOf(err), "%q", body)
	}
}

func TestDecodeSiblingSizes(t *testing.T) {
	body := `{"siblings":[
		{"rfilename":"a.safetensors","size":100,"lfs":{"sha256":"x","size":100,"pointerSize":135}},
		{"rfilename":"b.safetensors","lfs":{"sha256":"y","size":200,"pointerSize":135}},
		{"rfilename":"c.safetensors"},
		{"rfilename":"empty.txt","size":0}
	]}`
	info, err := DecodeModelInfo([]byte(body))
	require.NoError(t, err)
	require.Len(t, info.Siblings, 4)

	assert.Equal(t, Sibling{Filename: "a.safetensors", Size: 100, SizeKnown: true, LFS: &LFSInfo{SHA256: "x", Size: 100, PointerSize: 135}}, info.Siblings[0])
	assert.Equal(t, int64(200), info.Siblings[1].Size, "lfs.size stands in for a missing size")
	assert.True(t, info.Siblings[1].SizeKnown)
	assert.False(t, info.Siblings[2].SizeKnown, "no size without blobs=true")
	assert.True(t, info.Siblings[3].SizeKnown, "a zero size is a known size")
}

func TestDecodeConfigFallbacks(t *testing.T) {
	body := `{"config":{
		"architectures":["Gemma3ForConditionalGeneration"],
		"model_type":"gemma3",
		"dtype":"bfloat16",
		"text_config":{"num_hidden_layers":48,"num_attention_heads":16,"num_key_value_heads":8,"head_dim":256,"hidden_size":3840,"max_position_embeddings":131072},
		"quantization_config":{"quant_method":"awq","w_bit":4,"q_group_size":128,"version":"GEMM"}
	}}`
	info, err := DecodeModelInfo([]byte(body))
	require.NoError(t, err)
	config := info.Config

	assert.Equal(t, int64(48), config.NumHiddenLayers)
	assert.Equal(t, int64(16), config.NumAttentionHeads)
	assert.Equal(t, int64(8), config.NumKeyValueHeads)
	assert.Equal(t, int64(256), config.HeadDim)
	assert.Equal(t, int64(3840), config.HiddenSize)
	assert.Equal(t, int64(131072), config.MaxPositionEmbeddings)
	assert.Equal(t, "bfloat16", config.TorchDtype)
	assert.Equal(t, &QuantizationConfig{Method: "awq", Bits: 4, GroupSize: 128, Version: "GEMM"}, config.Quantization)
}

func TestDecodeTopLevelFields(t *testing.T) {
	body := `{"modelId":"old/style","author":"old","sha":"abc","private":true,"disabled":false,
		"downloads":12,"likes":3,"lastModified":"2024-09-25T17:00:57.000Z","tags":["x"],
		"pipeline_tag":"text-generation","library_name":"transformers",
		"safetensors":{"parameters":{"BF16":7,"F32":3}}}`
	info, err := DecodeModelInfo([]byte(body))
	require.NoError(t, err)

	assert.Equal(t, "old/style", info.ID, "modelId is read when id is absent")
	assert.Equal(t, "old", info.Author)
	assert.Equal(t, "abc", info.SHA)
	assert.True(t, info.Private)
	assert.Equal(t, int64(12), info.Downloads)
	assert.Equal(t, int64(3), info.Likes)
	assert.Equal(t, time.Date(2024, 9, 25, 17, 0, 57, 0, time.UTC), info.LastModified)
	assert.Equal(t, []string{"x"}, info.Tags)
	assert.Equal(t, "text-generation", info.PipelineTag)
	assert.Equal(t, "transformers", info.LibraryName)
	assert.Equal(t, int64(10), info.Safetensors.Total, "total is summed when the Hub omits it")
}
