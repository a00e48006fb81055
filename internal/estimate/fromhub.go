package estimate

import (
	"fmt"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/hfhub"
)

// FactsOptions choose the serving load for InputFromFacts.
type FactsOptions struct {
	// ContextLength is the tokens per sequence; 0 uses the model's own
	// context length from the Hub.
	ContextLength int64
	// ConcurrentSequences is the number of sequences cached at once; 0
	// means 1.
	ConcurrentSequences int64
	// Variant picks a quantization ("Q4_K_M") of a GGUF or GGML
	// repository. It is required when the repository has more than one.
	Variant string
	// KVCachePrecision is "auto", "FP8" or "F32"; "" means auto.
	KVCachePrecision string
}

// InputFromFacts builds an estimate Input from Hub facts. Weight bytes come
// from the weight file sizes when the Hub listed them; otherwise from the
// parameter count and precision. It fails for a GGUF or GGML repository
// with several variants when opts.Variant names none of them.
func InputFromFacts(facts *hfhub.Facts, opts FactsOptions) (Input, error) {
	in := Input{
		Model:               facts.RepoID,
		Layers:              facts.Layers,
		KVHeads:             facts.KVHeads,
		AttentionHeads:      facts.AttentionHeads,
		HeadDim:             facts.HeadDim,
		HiddenSize:          facts.HiddenSize,
		ConcurrentSequences: opts.ConcurrentSequences,
		KVCachePrecision:    opts.KVCachePrecision,
	}

	in.ContextLength, in.ContextSource = facts.ContextLength, facts.ContextLengthSource
	if opts.ContextLength > 0 {
		in.ContextLength, in.ContextSource = opts.ContextLength, "requested"
	}

	if facts.Format == hfhub.FormatGGUF || facts.Format == hfhub.FormatGGML {
		return variantInput(facts, opts, in)
	}

	if facts.WeightBytesKnown {
		in.WeightBytes = facts.WeightBytes
		in.WeightSource = fmt.Sprintf("the sum of %d %s weight file(s) listed by the Hub", len(facts.WeightFiles), facts.Format)
	}

	in.Precision = facts.Dtype
	if facts.QuantMethod != "" {
		in.Precision = facts.QuantMethod
		in.QuantBits = facts.QuantBits
		in.GroupSize = facts.QuantGroupSize
	}

	// A packed count would make the parameter path far too low.
	if facts.ParametersNote == "" {
		in.Parameters, in.ParametersSource = facts.Parameters, facts.ParametersSource
	} else if in.WeightBytes == 0 {
		in.Notes = append(in.Notes, "Weights: "+facts.ParametersNote+".")
	}
	return in, nil
}

func variantInput(facts *hfhub.Facts, opts FactsOptions, in Input) (Input, error) {
	variant, err := pickVariant(facts.Variants, opts.Variant)
	if err != nil {
		return Input{}, fmt.Errorf("estimate for %s: %w", facts.RepoID, err)
	}

	in.Parameters, in.ParametersSource = facts.Parameters, facts.ParametersSource
	in.Precision = variant.Label
	if variant.SizeKnown {
		in.WeightBytes = variant.Bytes
		in.WeightSource = fmt.Sprintf("the %s %s variant, %d file(s) listed by the Hub", facts.Format, variant.Label, len(variant.Files))
	}
	return in, nil
}

func pickVariant(variants []hfhub.Variant, label string) (hfhub.Variant, error) {
	if len(variants) == 0 {
		return hfhub.Variant{}, fmt.Errorf("the repository lists no GGUF or GGML files")
	}

	if label == "" {
		if len(variants) == 1 {
			return variants[0], nil
		}
		return hfhub.Variant{}, fmt.Errorf("the repository has %d quantization variants; choose one of %s", len(variants), variantList(variants))
	}

	for _, variant := range variants {
		if strings.EqualFold(variant.Label, label) {
			return variant, nil
		}
	}
	return hfhub.Variant{}, fmt.Errorf("no quantization variant %q; choose one of %s", label, variantList(variants))
}

func variantList(variants []hfhub.Variant) string {
	names := make([]string, 0, len(variants))
	for _, variant := range variants {
		if variant.SizeKnown {
			names = append(names, fmt.Sprintf("%s (%.2f GiB)", variant.Label, float64(variant.Bytes)/(1<<30)))
		} else {
			names = append(names, variant.Label)
		}
	}
	return strings.Join(names, ", ")
}
