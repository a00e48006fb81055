package estimate

import (
	"fmt"
	"strings"
)

// kvCache fills the KV cache part:
//
//	layers x KV heads x head dim x context x 2 (K and V) x bytes per element x sequences
//
// The formula assumes full attention in every layer. Models with
// sliding-window layers or latent attention (DeepSeek's MLA) need less.
func (est *Estimate) kvCache(in Input) error {
	bytesPerElement, kvDescription, err := kvBytesPerElement(in.KVCachePrecision)
	if err != nil {
		return err
	}

	sequences := in.ConcurrentSequences
	if sequences <= 0 {
		sequences = 1
	}
	est.ConcurrentSequences = sequences
	est.ContextLength = in.ContextLength

	headDim, kvHeads, derived := in.HeadDim, in.KVHeads, []string{}
	if headDim <= 0 && in.HiddenSize > 0 && in.AttentionHeads > 0 && in.HiddenSize%in.AttentionHeads == 0 {
		headDim = in.HiddenSize / in.AttentionHeads
		derived = append(derived, fmt.Sprintf("head dim = hidden size %d / %d attention heads = %d", in.HiddenSize, in.AttentionHeads, headDim))
	}
	if kvHeads <= 0 && in.AttentionHeads > 0 && in.Layers > 0 {
		kvHeads = in.AttentionHeads
		derived = append(derived, fmt.Sprintf("KV heads = %d attention heads, because the config gives no num_key_value_heads (transformers then uses full multi-head attention)", kvHeads))
	}

	var missing []string
	if in.Layers <= 0 {
		missing = append(missing, "the layer count")
	}
	if kvHeads <= 0 {
		missing = append(missing, "the KV head count")
	}
	if headDim <= 0 {
		missing = append(missing, "the head dimension")
	}
	if in.ContextLength <= 0 {
		missing = append(missing, "the context length")
	}
	if len(missing) > 0 {
		est.note("KV cache: left out because %s %s unknown. The total covers the weights only and is too low for serving.",
			strings.Join(missing, ", "), isOrAre(len(missing)))
		return nil
	}

	for _, line := range derived {
		est.note("KV cache: %s.", line)
	}

	perToken := float64(in.Layers) * float64(kvHeads) * float64(headDim) * 2 * bytesPerElement
	total := perToken * float64(in.ContextLength) * float64(sequences)
	if total > maxBytes {
		return fmt.Errorf("invalid KV cache inputs: %d layers x %d KV heads x %d head dim x %d tokens x %d sequences exceeds 1 PiB; check the config values",
			in.Layers, kvHeads, headDim, in.ContextLength, sequences)
	}
	est.KVBytesPerToken = int64(perToken)
	est.KVCacheBytes = int64(total)
	est.KVCacheIncluded = true

	est.note("KV cache: %d layers x %d KV heads x %d head dim x %s tokens (%s) x 2 (K and V) x %g bytes (%s) x %d sequence(s) = %s.",
		in.Layers, kvHeads, headDim, formatCount(in.ContextLength), orDefault(in.ContextSource, "given"),
		bytesPerElement, kvDescription, sequences, formatBytes(est.KVCacheBytes))
	est.note("KV cache: the formula assumes full attention in every layer. Sliding-window or latent-attention models need less.")
	return nil
}

func isOrAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// isQuantized reports whether a precision name is a quantization whose
// embeddings and output layer usually stay 16-bit.
func isQuantized(precisionName string) bool {
	name := strings.ToUpper(strings.TrimSpace(precisionName))
	switch name {
	case "AWQ", "GPTQ", "BITSANDBYTES":
		return true
	case "F32", "F16", "FP16", "BF16":
		return false
	}
	_, gguf := ggufBitsPerWeight[name]
	return gguf
}
