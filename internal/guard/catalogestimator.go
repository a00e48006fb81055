package guard

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/estimate"
)

// catalogPrecision is the weight precision assumed for each Control Room
// type when only the catalog record is known. The GGUF and GGML figures
// assume the common 4-bit variants, because the record does not name one.
var catalogPrecision = map[controlroom.ModelType]struct {
	precision string
	bits      int64
}{
	controlroom.ModelTypeBase: {"BF16", 0},
	controlroom.ModelTypeAWQ:  {"awq", 4},
	controlroom.ModelTypeGGUF: {"Q4_K_M", 0},
	controlroom.ModelTypeGGML: {"Q4_0", 0},
}

// CatalogEstimator estimates a deploy from the catalog record alone: its
// numberOfParams times the bytes per parameter that its type implies. It
// leaves out the KV cache, because the record has no layer or head counts,
// so its figures are lower bounds and its Basis says so. Its estimates have
// Source EstimateFromCatalog: any agent can write numberOfParams, so they
// are shown to a human but never satisfy a policy's maxParams or maxGpus.
type CatalogEstimator struct {
	// Settings are the GPU size and overhead; zero fields take the
	// estimate package's defaults.
	Settings estimate.Settings
}

// EstimateDeploy implements Estimator. It fails when the record has no
// parseable numberOfParams or a type without a known precision.
func (e CatalogEstimator) EstimateDeploy(_ context.Context, model controlroom.Model) (*Estimate, error) {
	params, err := strconv.ParseInt(strings.TrimSpace(model.NumberOfParams), 10, 64)
	if err != nil || params <= 0 {
		return nil, fmt.Errorf("the catalog record has no usable numberOfParams (got %q)", model.NumberOfParams)
	}
	assumed, ok := catalogPrecision[model.Type]
	if !ok {
		return nil, fmt.Errorf("the catalog record's type %q has no known bytes per parameter", model.Type)
	}

	computed, err := estimate.Compute(estimate.Input{
		Model:            model.HuggingFaceID,
		Parameters:       params,
		ParametersSource: "the catalog record's numberOfParams",
		Precision:        assumed.precision,
		QuantBits:        assumed.bits,
		Notes:            []string{fmt.Sprintf("Precision %s is assumed from the catalog type %s.", assumed.precision, model.Type)},
	}, e.Settings)
	if err != nil {
		return nil, err
	}
	return &Estimate{
		Params:         params,
		GPUMemoryBytes: computed.TotalBytes,
		GPUCount:       int(computed.GPUCount),
		Source:         EstimateFromCatalog,
		Basis:          "estimated from the catalog record, not the Hub (weights only, no KV cache): " + strings.Join(computed.Assumptions, " "),
	}, nil
}

// FallbackEstimator asks Primary first and Fallback when Primary fails or
// returns no GPU figures, as when the Hub cannot be reached. The fallback's
// Basis names why the primary was not used.
type FallbackEstimator struct {
	Primary  Estimator
	Fallback Estimator
}

// EstimateDeploy implements Estimator.
func (e FallbackEstimator) EstimateDeploy(ctx context.Context, model controlroom.Model) (*Estimate, error) {
	if e.Primary == nil && e.Fallback == nil {
		return nil, errors.New("no estimator is configured")
	}

	var reason string
	if e.Primary != nil {
		primary, err := e.Primary.EstimateDeploy(ctx, model)
		switch {
		case err == nil && primary != nil && primary.GPUCount > 0:
			return primary, nil
		case err != nil:
			reason = err.Error()
		case primary != nil:
			reason = primary.Basis
		}
		if e.Fallback == nil {
			return primary, err
		}
	}

	fallback, err := e.Fallback.EstimateDeploy(ctx, model)
	if err != nil {
		if reason != "" {
			return nil, fmt.Errorf("%s; fallback: %w", reason, err)
		}
		return nil, err
	}
	if reason != "" {
		fallback.Basis = "Hub estimate unavailable (" + reason + "); " + fallback.Basis
	}
	return fallback, nil
}
