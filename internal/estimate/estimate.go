// Package estimate computes a GPU memory estimate for serving a model: the
// weights, the KV cache for a context length and number of sequences, an
// overhead factor, and the number of GPUs of a given memory size. Every
// input and assumption is listed in the result, and every figure is an
// estimate: the real footprint depends on the serving backend and its
// settings.
package estimate

import (
	"errors"
	"fmt"
	"math"
)

// Defaults for Settings fields left zero.
const (
	// DefaultOverheadFactor covers activations, CUDA graphs, the CUDA
	// context and allocator fragmentation on top of weights and KV cache.
	DefaultOverheadFactor = 1.2
	// DefaultGPUMemoryBytes is one 80 GiB GPU (A100 80GB or H100 80GB).
	DefaultGPUMemoryBytes = 80 << 30
	// DefaultUsableFraction is the share of GPU memory a serving backend
	// may use. It matches the default of vLLM's --gpu-memory-utilization
	// engine argument.
	DefaultUsableFraction = 0.9
)

// Settings are the operator's knobs. Zero fields take the defaults above.
type Settings struct {
	// OverheadFactor multiplies weights plus KV cache; at least 1.
	OverheadFactor float64
	// GPUMemoryBytes is the memory of one GPU.
	GPUMemoryBytes int64
	// UsableFraction is the share of GPUMemoryBytes available, in (0, 1].
	UsableFraction float64
}

// Input describes the model and the serving load. WeightBytes, when above
// zero, is used as is; otherwise Parameters and Precision give the weights.
// The KV cache needs Layers, a KV head count and head dimension (given or
// derived) and ContextLength. Without them the KV cache is left out, and an
// assumption line states that.
type Input struct {
	// Model names the model in the assumption lines, such as a repo id.
	Model string

	// WeightBytes is the size of the weights as stored, 0 when unknown.
	WeightBytes int64
	// WeightSource describes where WeightBytes comes from.
	WeightSource string

	// Parameters is the parameter count, 0 when unknown.
	Parameters int64
	// ParametersSource describes where Parameters comes from.
	ParametersSource string
	// Precision is a dtype ("BF16"), a quantization method ("awq",
	// "gptq", "bitsandbytes", "fp8") or a GGUF name ("Q4_K_M"). It is
	// needed only when WeightBytes is 0.
	Precision string
	// QuantBits and GroupSize describe AWQ, GPTQ and bitsandbytes weights.
	// GroupSize 0 means the default of 128, and a negative value one group
	// per output column (GPTQ's group_size -1).
	QuantBits int64
	GroupSize int64

	Layers         int64
	KVHeads        int64
	AttentionHeads int64
	HeadDim        int64
	HiddenSize     int64

	// ContextLength is the tokens per sequence the cache must hold.
	ContextLength int64
	// ContextSource describes where ContextLength comes from.
	ContextSource string
	// ConcurrentSequences is the number of sequences cached at once; 0
	// means 1.
	ConcurrentSequences int64
	// KVCachePrecision is "auto" (16-bit), "FP8" or "F32"; "" means auto.
	KVCachePrecision string

	// Notes are extra assumption lines, copied into the result as they are.
	Notes []string
}

// Estimate is the result of Compute. All byte figures are estimates.
type Estimate struct {
	Model string

	WeightBytes int64
	// WeightMethod is "file sizes" or "parameters x bytes per parameter".
	WeightMethod string
	// BytesPerParameter is set when WeightMethod uses parameters.
	BytesPerParameter float64

	// KVCacheIncluded is false when an input for the KV cache was missing.
	KVCacheIncluded bool
	KVCacheBytes    int64
	// KVBytesPerToken is the cache size of one token of one sequence.
	KVBytesPerToken     int64
	ContextLength       int64
	ConcurrentSequences int64

	// SubtotalBytes is WeightBytes plus KVCacheBytes.
	SubtotalBytes  int64
	OverheadFactor float64
	// TotalBytes is SubtotalBytes times OverheadFactor, rounded up.
	TotalBytes int64

	GPUMemoryBytes    int64
	UsableFraction    float64
	UsableBytesPerGPU int64
	// GPUCount is TotalBytes divided by UsableBytesPerGPU, rounded up.
	GPUCount int64
	// TensorParallelGPUs is GPUCount rounded up to a power of two, the
	// counts that tensor parallelism usually accepts.
	TensorParallelGPUs int64

	// Assumptions lists every input and assumption as a sentence.
	Assumptions []string
}

// Compute returns the estimate for in under settings. It fails when
// neither the weight size nor the parameter count with a known precision
// is given, or when a setting is out of range.
func Compute(in Input, settings Settings) (*Estimate, error) {
	settings, err := withDefaults(settings)
	if err != nil {
		return nil, err
	}
	if err := validate(in); err != nil {
		return nil, err
	}

	est := &Estimate{
		Model:          in.Model,
		OverheadFactor: settings.OverheadFactor,
		GPUMemoryBytes: settings.GPUMemoryBytes,
		UsableFraction: settings.UsableFraction,
	}
	est.note("All figures are estimates for serving %s. The real footprint depends on the serving backend and its settings.", modelName(in.Model))

	if err := est.weights(in); err != nil {
		return nil, err
	}
	if err := est.kvCache(in); err != nil {
		return nil, err
	}
	est.Assumptions = append(est.Assumptions, in.Notes...)

	est.SubtotalBytes = est.WeightBytes + est.KVCacheBytes
	est.TotalBytes = int64(math.Ceil(float64(est.SubtotalBytes) * est.OverheadFactor))
	est.note("Overhead: (%s weights + %s KV cache) x %.2f for activations, CUDA graphs, the CUDA context and fragmentation = %s.",
		formatBytes(est.WeightBytes), formatBytes(est.KVCacheBytes), est.OverheadFactor, formatBytes(est.TotalBytes))

	est.gpus()
	return est, nil
}

func withDefaults(s Settings) (Settings, error) {
	if s.OverheadFactor == 0 {
		s.OverheadFactor = DefaultOverheadFactor
	}
	if s.GPUMemoryBytes == 0 {
		s.GPUMemoryBytes = DefaultGPUMemoryBytes
	}
	if s.UsableFraction == 0 {
		s.UsableFraction = DefaultUsableFraction
	}

	switch {
	case math.IsNaN(s.OverheadFactor) || s.OverheadFactor < 1 || s.OverheadFactor > 10:
		return s, fmt.Errorf("invalid overhead factor %v: use a value from 1 to 10, such as %.1f", s.OverheadFactor, DefaultOverheadFactor)
	case s.GPUMemoryBytes < 1<<30:
		return s, fmt.Errorf("invalid GPU memory size %d bytes: use at least 1 GiB, such as %d for 80 GiB", s.GPUMemoryBytes, int64(DefaultGPUMemoryBytes))
	case math.IsNaN(s.UsableFraction) || s.UsableFraction <= 0 || s.UsableFraction > 1:
		return s, fmt.Errorf("invalid usable GPU memory fraction %v: use a value above 0 and at most 1, such as %.1f", s.UsableFraction, DefaultUsableFraction)
	}
	return s, nil
}

// Input bounds far above any real model, so that no product overflows.
const (
	maxBytes      = 1 << 50 // 1 PiB
	maxParameters = 1 << 50
	maxDimension  = 1 << 20 // layers, heads, head dim, hidden size
	maxContext    = 1 << 30 // tokens
	maxSequences  = 1 << 16
)

func validate(in Input) error {
	checks := []struct {
		name  string
		value int64
		max   int64
	}{
		{"weight bytes", in.WeightBytes, maxBytes},
		{"parameters", in.Parameters, maxParameters},
		{"quantization bits", in.QuantBits, 64},
		{"group size", max(in.GroupSize, 0), maxDimension},
		{"layers", in.Layers, maxDimension},
		{"KV heads", in.KVHeads, maxDimension},
		{"attention heads", in.AttentionHeads, maxDimension},
		{"head dim", in.HeadDim, maxDimension},
		{"hidden size", in.HiddenSize, maxDimension},
		{"context length", in.ContextLength, maxContext},
		{"concurrent sequences", in.ConcurrentSequences, maxSequences},
	}
	for _, check := range checks {
		if check.value < 0 || check.value > check.max {
			return fmt.Errorf("invalid %s %d: use a value from 0 to %d", check.name, check.value, check.max)
		}
	}
	return nil
}

// ErrNoWeightSize means that neither the weight files' size nor a parameter
// count was known.
var ErrNoWeightSize = errors.New("cannot estimate the weights: neither the weight file sizes nor the parameter count is known")

func (est *Estimate) weights(in Input) error {
	if in.WeightBytes > 0 {
		est.WeightBytes = in.WeightBytes
		est.WeightMethod = "file sizes"
		est.note("Weights: %s, %s. Weights are assumed to load at the precision they are stored in.",
			formatBytes(in.WeightBytes), orDefault(in.WeightSource, "the size of the weight files"))
		return nil
	}

	if in.Parameters <= 0 {
		return ErrNoWeightSize
	}
	if in.Precision == "" {
		return fmt.Errorf("cannot estimate the weights of %s from %d parameters: the precision is unknown; give a dtype, quantization method or GGUF name",
			modelName(in.Model), in.Parameters)
	}

	resolved, err := resolvePrecision(in.Precision, in.QuantBits, in.GroupSize)
	if err != nil {
		return err
	}

	est.WeightBytes = int64(math.Ceil(float64(in.Parameters) * resolved.bytesPerParameter))
	est.WeightMethod = "parameters x bytes per parameter"
	est.BytesPerParameter = resolved.bytesPerParameter
	est.note("Weights: %s parameters (%s) x %.5f bytes (%s) = %s, because the weight file sizes were not known.",
		formatCount(in.Parameters), orDefault(in.ParametersSource, "given"), resolved.bytesPerParameter, resolved.description, formatBytes(est.WeightBytes))
	if isQuantized(in.Precision) {
		est.note("Weights: every parameter is counted at the quantized rate, but embeddings and the output layer usually stay 16-bit, so this part is low.")
	}
	return nil
}

func (est *Estimate) gpus() {
	est.UsableBytesPerGPU = int64(math.Floor(float64(est.GPUMemoryBytes) * est.UsableFraction))
	est.GPUCount = (est.TotalBytes + est.UsableBytesPerGPU - 1) / est.UsableBytesPerGPU
	if est.GPUCount < 1 {
		est.GPUCount = 1
	}

	est.TensorParallelGPUs = 1
	for est.TensorParallelGPUs < est.GPUCount {
		est.TensorParallelGPUs *= 2
	}

	est.note("GPUs: %s per GPU x %.0f%% usable = %s. %s / %s rounded up = %d GPU(s).",
		formatBytes(est.GPUMemoryBytes), est.UsableFraction*100, formatBytes(est.UsableBytesPerGPU),
		formatBytes(est.TotalBytes), formatBytes(est.UsableBytesPerGPU), est.GPUCount)
	if est.TensorParallelGPUs != est.GPUCount {
		est.note("GPUs: tensor parallelism usually needs a power of two that divides the attention heads, so plan for %d GPUs.", est.TensorParallelGPUs)
	}
	est.note("GPUs: the model is assumed to split evenly across GPUs. Each extra GPU also needs its own CUDA context, which the overhead factor only approximates.")
}

func (est *Estimate) note(format string, args ...any) {
	est.Assumptions = append(est.Assumptions, fmt.Sprintf(format, args...))
}

func modelName(model string) string {
	if model == "" {
		return "the model"
	}
	return model
}

func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}
