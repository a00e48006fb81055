package estimate_test

import (
	"fmt"

	"github.com/rational-ai/rational-mcp/internal/estimate"
)

func ExampleCompute() {
	est, err := estimate.Compute(estimate.Input{
		Model:      "meta-llama/Llama-3.1-8B-Instruct",
		Parameters: 8030261248, Precision: "BF16",
		Layers: 32, KVHeads: 8, HeadDim: 128,
		ContextLength: 8192, ContextSource: "requested",
	}, estimate.Settings{})
	if err != nil {
		fmt.Println(err)
		return
	}

	fmt.Println("total bytes:", est.TotalBytes, "GPUs:", est.GPUCount)
	for _, line := range est.Assumptions[:2] {
		fmt.Println(line)
	}
	// Output:
	// total bytes: 20561117184 GPUs: 1
	// All figures are estimates for serving meta-llama/Llama-3.1-8B-Instruct. The real footprint depends on the serving backend and its settings.
	// Weights: 8,030,261,248 parameters (given) x 2.00000 bytes (16-bit floats, 2 bytes per parameter) = 16,060,522,496 bytes (14.96 GiB), because the weight file sizes were not known.
}
