package hfhub

import (
	"math"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Facts is the summary of a repository that registration and deployment
// need, derived from one ModelInfo by Summarize.
type Facts struct {
	// RepoID is the id as the Hub spells it, or the requested id when the
	// Hub sent none.
	RepoID string
	// RequestedID is the id the caller asked for. It differs from RepoID
	// when the Hub followed a rename or the caller's case differs.
	RequestedID string
	Revision    string
	SHA         string

	Private bool
	Gated   Gated

	// License is the card's license ("other (name)" when license_name is
	// set), with several licenses joined by ", ".
	License    string
	BaseModels []string
	// Publisher is the Hub's author field, or the id's namespace.
	Publisher string
	CardURL   string

	// Parameters is the parameter count reported by the Hub, 0 when
	// unknown. ParametersSource names the field it came from.
	Parameters       int64
	ParametersSource string
	// ParametersNote warns when Parameters is known to be wrong, for
	// example when packed 4-bit weights are counted as I32 elements.
	ParametersNote string

	Format         Format
	Type           controlroom.ModelType
	FormatReason   string
	QuantMethod    string
	QuantBits      int64
	QuantGroupSize int64
	// Dtype is the dtype that holds most parameters in safetensors.parameters,
	// else config.torch_dtype, else "".
	Dtype string

	Architecture  string
	ModelType     string
	ContextLength int64
	// ContextLengthSource names the field ContextLength came from.
	ContextLengthSource string

	// Sizes from config for the KV cache estimate, 0 when the Hub did not
	// send them.
	Layers         int64
	AttentionHeads int64
	KVHeads        int64
	HeadDim        int64
	HiddenSize     int64

	// WeightFiles are the files holding the weights in the detected format.
	WeightFiles []Sibling
	// WeightBytes sums WeightFiles and is valid when WeightBytesKnown. For a
	// GGUF or GGML repository with several variants it is not set: pick one
	// from Variants.
	WeightBytes      int64
	WeightBytesKnown bool
	Variants         []Variant

	PipelineTag  string
	LibraryName  string
	Tags         []string
	Downloads    int64
	LastModified time.Time

	// Warnings lists fields of the Hub response that could not be decoded.
	Warnings []string
}

// Summarize derives Facts from a decoded model info. endpoint is the Hub's
// base URL for the card link; requestedID and revision are what the caller
// asked for.
func Summarize(info *ModelInfo, endpoint, requestedID, revision string) *Facts {
	facts := &Facts{
		RepoID:       requestedID,
		RequestedID:  requestedID,
		Revision:     revision,
		SHA:          info.SHA,
		Private:      info.Private,
		Gated:        info.Gated,
		PipelineTag:  info.PipelineTag,
		LibraryName:  info.LibraryName,
		Tags:         info.Tags,
		Downloads:    info.Downloads,
		LastModified: info.LastModified,
		// A copy, because Inspect appends to it and info is shared.
		Warnings: append([]string(nil), info.Warnings...),
	}
	if ValidateRepoID(info.ID) == nil {
		facts.RepoID = info.ID
	}

	facts.Publisher = info.Author
	if facts.Publisher == "" {
		facts.Publisher, _ = SplitRepoID(facts.RepoID)
	}
	facts.CardURL = CardURL(endpoint, facts.RepoID)

	if info.CardData != nil {
		facts.License = licenseText(info.CardData)
		facts.BaseModels = info.CardData.BaseModels
	}

	detection := DetectFormat(info)
	facts.Format = detection.Format
	facts.Type = detection.Type
	facts.FormatReason = detection.Reason
	facts.WeightFiles = detection.WeightFiles
	facts.Variants = detection.Variants
	facts.WeightBytes, facts.WeightBytesKnown = weightBytes(detection)

	if quant := quantization(info); quant != nil {
		facts.QuantMethod = quant.Method
		facts.QuantBits = quant.Bits
		facts.QuantGroupSize = quant.GroupSize
	}
	if facts.Format == FormatAWQ && facts.QuantMethod == "" {
		// Detected from the "awq" tag, without a quantization_config.
		facts.QuantMethod = "awq"
	}

	summarizeParameters(info, facts)
	summarizeConfig(info, facts)
	return facts
}

// CardURL returns the model card address, {endpoint}/{namespace}/{name},
// with each part path-escaped.
func CardURL(endpoint, repoID string) string {
	namespace, name := SplitRepoID(repoID)
	if namespace == "" {
		return ""
	}
	return strings.TrimRight(endpoint, "/") + "/" + url.PathEscape(namespace) + "/" + url.PathEscape(name)
}

func licenseText(card *CardData) string {
	licenses := make([]string, 0, len(card.License))
	for _, license := range card.License {
		if license == "other" && card.LicenseName != "" {
			license = "other (" + card.LicenseName + ")"
		}
		licenses = append(licenses, license)
	}
	return strings.Join(licenses, ", ")
}

// weightBytes sums the sizes of the weight files. A GGUF or GGML repository
// with more than one variant has no single weight size.
func weightBytes(detection Detection) (int64, bool) {
	if detection.Format == FormatGGUF || detection.Format == FormatGGML {
		if len(detection.Variants) != 1 {
			return 0, false
		}
		variant := detection.Variants[0]
		return variant.Bytes, variant.SizeKnown
	}

	if len(detection.WeightFiles) == 0 {
		return 0, false
	}
	var total int64
	for _, file := range detection.WeightFiles {
		var ok bool
		total, ok = addSize(total, file)
		if !ok {
			return 0, false
		}
	}
	return total, true
}

// addSize adds a file's size to total. It returns false when the size is
// unknown or negative, or when the sum would overflow.
func addSize(total int64, file Sibling) (int64, bool) {
	if !file.SizeKnown || file.Size < 0 || total > math.MaxInt64-file.Size {
		return 0, false
	}
	return total + file.Size, true
}

func summarizeParameters(info *ModelInfo, facts *Facts) {
	switch {
	case info.Safetensors != nil && info.Safetensors.Total > 0:
		facts.Parameters = info.Safetensors.Total
		facts.ParametersSource = "safetensors.total"
		facts.Dtype = dominantDtype(info.Safetensors.Parameters)

		packed := info.Safetensors.Parameters["I32"] > 0 || info.Safetensors.Parameters["U8"] > 0
		if packed && facts.QuantMethod != "" {
			facts.ParametersNote = "safetensors.total counts packed quantized weights as I32 or U8 elements " +
				"(eight 4-bit weights per I32), so it undercounts the model's parameters; " +
				"the base model's count is the better figure"
		}

	case info.GGUF != nil && info.GGUF.Total > 0:
		facts.Parameters = info.GGUF.Total
		facts.ParametersSource = "gguf.total"
	}

	if facts.Dtype == "" && info.Config != nil {
		facts.Dtype = info.Config.TorchDtype
	}
}

// dominantDtype returns the dtype holding the most parameters, preferring
// the alphabetically first on a tie so the result is stable.
func dominantDtype(counts map[string]int64) string {
	keys := make([]string, 0, len(counts))
	for key := range counts {
		keys = append(keys, key)
	}
	sort.Strings(keys)

	best := ""
	for _, key := range keys {
		if best == "" || counts[key] > counts[best] {
			best = key
		}
	}
	return best
}

func summarizeConfig(info *ModelInfo, facts *Facts) {
	if config := info.Config; config != nil {
		if len(config.Architectures) > 0 {
			facts.Architecture = config.Architectures[0]
		}
		facts.ModelType = config.ModelType
		facts.Layers = config.NumHiddenLayers
		facts.AttentionHeads = config.NumAttentionHeads
		facts.KVHeads = config.NumKeyValueHeads
		facts.HeadDim = config.HeadDim
		facts.HiddenSize = config.HiddenSize
		if config.MaxPositionEmbeddings > 0 {
			facts.ContextLength = config.MaxPositionEmbeddings
			facts.ContextLengthSource = "config.max_position_embeddings"
		}
	}

	if gguf := info.GGUF; gguf != nil {
		if facts.Architecture == "" {
			facts.Architecture = gguf.Architecture
		}
		if gguf.ContextLength > 0 {
			facts.ContextLength = gguf.ContextLength
			facts.ContextLengthSource = "gguf.context_length"
		}
	}
}

// applyConfig fills the architecture, size and context fields that are
// still empty from a config.json.
func (f *Facts) applyConfig(config *Config) {
	if f.Architecture == "" && len(config.Architectures) > 0 {
		f.Architecture = config.Architectures[0]
	}
	if f.ModelType == "" {
		f.ModelType = config.ModelType
	}
	if f.Dtype == "" {
		f.Dtype = config.TorchDtype
	}

	fill := func(dst *int64, value int64) {
		if *dst == 0 {
			*dst = value
		}
	}
	fill(&f.Layers, config.NumHiddenLayers)
	fill(&f.AttentionHeads, config.NumAttentionHeads)
	fill(&f.KVHeads, config.NumKeyValueHeads)
	fill(&f.HeadDim, config.HeadDim)
	fill(&f.HiddenSize, config.HiddenSize)

	if f.ContextLength == 0 && config.MaxPositionEmbeddings > 0 {
		f.ContextLength = config.MaxPositionEmbeddings
		f.ContextLengthSource = "config.json max_position_embeddings"
	}
}
