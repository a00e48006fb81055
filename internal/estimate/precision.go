package estimate

import (
	"fmt"
	"strings"
)

// DefaultGroupSize is the quantization group size assumed for AWQ and GPTQ
// weights when the config gives none. 128 is the usual value in such
// configs; the estimate's assumption lines say when it was assumed.
const DefaultGroupSize = 128

// ggufBitsPerWeight maps llama.cpp quantization names to bits per weight.
// Sources: the legacy block types follow from their block layout (Q4_0
// stores 32 weights in 16 bytes plus a 16-bit scale, so 18 bytes or 4.5
// bits per weight; Q8_0 stores 34 bytes per 32 weights, 8.5 bits). The
// k-quant mixes are the averages that llama.cpp's quantize README lists for
// Llama 2 7B; other models differ slightly because the mix depends on the
// tensor shapes.
var ggufBitsPerWeight = map[string]float64{
	"F32":    32,
	"F16":    16,
	"FP16":   16,
	"BF16":   16,
	"Q8_0":   8.5,
	"Q6_K":   6.56,
	"Q5_1":   6.0,
	"Q5_0":   5.5,
	"Q5_K_M": 5.68,
	"Q5_K_S": 5.52,
	"Q4_1":   5.0,
	"Q4_0":   4.5,
	"Q4_K_M": 4.84,
	"Q4_K_S": 4.58,
	"Q3_K_L": 4.27,
	"Q3_K_M": 3.91,
	"Q3_K_S": 3.50,
	"Q2_K":   3.35,
}

// precision is a resolved weight precision.
type precision struct {
	bytesPerParameter float64
	// description explains how bytesPerParameter was derived.
	description string
}

// resolvePrecision returns the bytes per parameter for a dtype name
// ("BF16", "bfloat16", "F32", "FP8", "INT8", "I8"), a quantization method
// with bits ("awq", "gptq", "bitsandbytes", "fp8") or a GGUF quantization
// name ("Q4_K_M"). It returns an error for a name it does not know.
func resolvePrecision(name string, bits, groupSize int64) (precision, error) {
	key := strings.ToUpper(strings.TrimSpace(name))

	switch key {
	case "F32", "FP32", "FLOAT32":
		return precision{4, "32-bit floats, 4 bytes per parameter"}, nil
	case "BF16", "BFLOAT16", "F16", "FP16", "FLOAT16", "HALF":
		return precision{2, "16-bit floats, 2 bytes per parameter"}, nil
	case "FP8", "F8_E4M3", "F8_E5M2", "FLOAT8_E4M3FN", "INT8", "I8", "U8":
		return precision{1, "8-bit weights, 1 byte per parameter"}, nil
	case "AWQ", "GPTQ":
		return groupQuantized(key, bits, groupSize)
	case "BITSANDBYTES":
		return bitsAndBytes(bits)
	}

	if bpw, ok := ggufBitsPerWeight[key]; ok {
		return precision{
			bytesPerParameter: bpw / 8,
			description:       fmt.Sprintf("GGUF %s, about %.2f bits per weight (llama.cpp figure), %.4f bytes per parameter", key, bpw, bpw/8),
		}, nil
	}

	return precision{}, fmt.Errorf("unknown weight precision %q: give a dtype (BF16, F16, F32, FP8, INT8), "+
		"a quantization method with bits (awq, gptq, bitsandbytes) or a GGUF name (Q4_K_M, Q8_0, ...)", name)
}

// groupQuantized covers AWQ and GPTQ: bits-bit weights packed into int32,
// plus one 16-bit scale and one bits-bit zero point per group of groupSize
// weights.
func groupQuantized(method string, bits, groupSize int64) (precision, error) {
	if bits <= 0 || bits > 8 {
		return precision{}, fmt.Errorf("%s weights need the quantization bits (from quantization_config.bits), got %d", method, bits)
	}
	if groupSize < 0 {
		// GPTQ's group_size -1: one scale per output column, a share of
		// the weights too small to count.
		return precision{
			bytesPerParameter: float64(bits) / 8,
			description:       fmt.Sprintf("%s %d-bit with one scale per column (group size -1), %.3f bytes per parameter", method, bits, float64(bits)/8),
		}, nil
	}

	groupNote := ""
	if groupSize == 0 {
		groupSize = DefaultGroupSize
		groupNote = " (assumed, the config gives no group size)"
	}

	weightBytes := float64(bits) / 8
	groupBytes := (2 + float64(bits)/8) / float64(groupSize)
	return precision{
		bytesPerParameter: weightBytes + groupBytes,
		description: fmt.Sprintf("%s %d-bit: %.3f bytes per weight plus a 16-bit scale and a %d-bit zero point per group of %d%s (%.5f bytes), %.5f bytes per parameter",
			method, bits, weightBytes, bits, groupSize, groupNote, groupBytes, weightBytes+groupBytes),
	}, nil
}

// bitsAndBytes covers bitsandbytes 8-bit (1 byte per weight) and 4-bit NF4
// or FP4 (half a byte per weight plus one 32-bit absmax per block of 64,
// which is 0.0625 bytes per weight before double quantization).
func bitsAndBytes(bits int64) (precision, error) {
	switch bits {
	case 8:
		return precision{1, "bitsandbytes 8-bit, 1 byte per parameter"}, nil
	case 4:
		return precision{0.5625, "bitsandbytes 4-bit: 0.5 bytes per weight plus a 32-bit absmax per block of 64 (0.0625 bytes), 0.5625 bytes per parameter"}, nil
	}
	return precision{}, fmt.Errorf("bitsandbytes weights need bits 4 or 8, got %d", bits)
}

// kvBytesPerElement returns the size of one KV cache element.
func kvBytesPerElement(name string) (float64, string, error) {
	switch strings.ToUpper(strings.TrimSpace(name)) {
	case "", "AUTO", "BF16", "F16", "FP16", "FLOAT16", "BFLOAT16":
		return 2, "16-bit KV cache, 2 bytes per element", nil
	case "FP8", "FP8_E4M3", "FP8_E5M2", "INT8":
		return 1, "8-bit KV cache, 1 byte per element", nil
	case "F32", "FP32", "FLOAT32":
		return 4, "32-bit KV cache, 4 bytes per element", nil
	}
	return 0, "", fmt.Errorf("unknown KV cache precision %q: use auto, BF16, F16, FP8 or F32", name)
}
