package hfhub

import "time"

// ModelInfo is the decoded body of GET /api/models/{repo}. Fields that the
// Hub omitted are zero. A known field with an unexpected shape is left zero
// and described in Warnings, so one odd field never hides the rest.
type ModelInfo struct {
	ID           string
	Author       string
	SHA          string
	Private      bool
	Gated        Gated
	Disabled     bool
	Downloads    int64
	Likes        int64
	LastModified time.Time
	Tags         []string
	PipelineTag  string
	LibraryName  string

	Safetensors *SafetensorsInfo
	GGUF        *GGUFInfo
	Config      *Config
	CardData    *CardData
	Siblings    []Sibling

	// Warnings lists fields that were present but could not be decoded.
	Warnings []string
}

// Gated is the Hub's "gated" field: false, or the string "auto" or "manual"
// naming how access requests are approved.
type Gated struct {
	// Enabled is true when users must accept conditions before downloading
	// the files. The metadata stays readable either way.
	Enabled bool
	// Mode is "auto" or "manual" as sent by the Hub, or "" when not gated
	// or when the Hub sent a bare true.
	Mode string
}

// SafetensorsInfo is the Hub's "safetensors" field, computed by the Hub from
// the safetensors headers.
type SafetensorsInfo struct {
	// Parameters maps a tensor dtype ("BF16", "F16", "I32", ...) to the
	// number of elements stored with it. Packed quantized weights count as
	// their container type: eight 4-bit weights in one I32 element count as
	// one, so the sum undercounts such models.
	Parameters map[string]int64
	// Total is the sum of Parameters.
	Total int64
}

// GGUFInfo is the Hub's "gguf" field, read by the Hub from a GGUF header.
type GGUFInfo struct {
	Total         int64
	Architecture  string
	ContextLength int64
}

// Config is the subset of the repository's config.json that the Hub API
// returns. The API may omit the size fields (layers, heads); they are zero
// then. For multimodal models the text model's fields are read from
// "text_config" when the top level lacks them.
type Config struct {
	Architectures []string
	ModelType     string
	Quantization  *QuantizationConfig

	NumHiddenLayers       int64
	NumAttentionHeads     int64
	NumKeyValueHeads      int64
	HeadDim               int64
	HiddenSize            int64
	MaxPositionEmbeddings int64
	// TorchDtype is "torch_dtype" or its newer name "dtype", such as "bfloat16".
	TorchDtype string
}

// QuantizationConfig is config.quantization_config.
type QuantizationConfig struct {
	// Method is quant_method as sent, such as "awq", "gptq", "fp8",
	// "bitsandbytes" or "compressed-tensors".
	Method    string
	Bits      int64
	GroupSize int64
	Version   string
}

// CardData is the subset of the model card's YAML metadata that this
// package uses.
type CardData struct {
	// License holds "license", which the card may give as a string or a list.
	License []string
	// LicenseName is "license_name", used with license "other".
	LicenseName string
	// BaseModels holds "base_model", a string or a list.
	BaseModels []string
}

// Sibling is one file of the repository.
type Sibling struct {
	// Filename is the path relative to the repository root ("rfilename").
	Filename string
	// Size is the file size in bytes. The Hub sends it only for requests
	// with blobs=true, and SizeKnown reports whether it was sent.
	Size      int64
	SizeKnown bool
	BlobID    string
	// LFS is set for files stored with Git LFS (weights, mostly).
	LFS *LFSInfo
}

// LFSInfo is a sibling's "lfs" object.
type LFSInfo struct {
	SHA256      string
	Size        int64
	PointerSize int64
}
