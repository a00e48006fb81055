package simulator

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Deployment statuses that the simulator reports. Only StatusWaitingForChat
// comes from the vendor's guide; the others are the simulator's own names for
// the phases that the guide describes in prose.
const (
	// StatusWaitingForGPU means the deployment is queued because the GPU
	// pool has too few free GPUs. It holds no GPUs.
	StatusWaitingForGPU = "waitingForGpu"
	// StatusScheduling means the GPUs are reserved and the pod is being
	// placed.
	StatusScheduling = "scheduling"
	// StatusPullingWeights means the pod is downloading the weights.
	StatusPullingWeights = "pullingWeights"
	// StatusLoading means the serving engine is loading the weights.
	StatusLoading = "loading"
	// StatusWaitingForChat means the pod is up and accepting traffic.
	StatusWaitingForChat = controlroom.StatusWaitingForChat
	// StatusPaused means the deployment was paused and released its GPUs.
	// There is no resume: deploy again to serve the model.
	StatusPaused = "paused"
	// StatusCancelled means the deployment was cancelled and released its
	// GPUs. It is terminal.
	StatusCancelled = "cancelled"
)

// deploymentState is the stored lifecycle stage of a deployment. The
// statuses between GPU allocation and ready are derived from allocatedAt and
// the clock.
type deploymentState int

const (
	stateQueued deploymentState = iota
	stateAllocated
	statePaused
	stateCancelled
)

// GPU sizing constants of GPUsFor.
const (
	gpuMemoryBytes = 80e9 // one 80 GB accelerator
	memoryOverhead = 1.2  // KV cache, activations and runtime buffers
)

// bytesPerParam is the weight storage per parameter for each model type:
// 16-bit floats for base, 4-bit AWQ, and about 4.5 bits for the usual
// GGUF/GGML quantizations such as Q4_K_M and q4_0.
var bytesPerParam = map[controlroom.ModelType]float64{
	controlroom.ModelTypeBase: 2,
	controlroom.ModelTypeAWQ:  0.5,
	controlroom.ModelTypeGGUF: 0.5625,
	controlroom.ModelTypeGGML: 0.5625,
}

// GPUsFor returns the number of GPUs that a deployment of a model with the
// given type and numberOfParams needs: parameters × bytes per parameter ×
// 1.2 overhead / 80 GB per GPU, rounded up, at least 1. Bytes per parameter
// are 2 for base, 0.5 for awq and 0.5625 for gguf and ggml. A
// numberOfParams that is empty or not a positive decimal integer gives 1.
func GPUsFor(modelType controlroom.ModelType, numberOfParams string) int {
	params, err := strconv.ParseFloat(strings.TrimSpace(numberOfParams), 64)
	if err != nil || params <= 0 || math.IsInf(params, 0) {
		return 1
	}

	perParam, ok := bytesPerParam[modelType]
	if !ok {
		perParam = bytesPerParam[controlroom.ModelTypeBase]
	}

	gpus := math.Ceil(params * perParam * memoryOverhead / gpuMemoryBytes)
	if gpus < 1 {
		return 1
	}
	if gpus > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(gpus)
}

// status returns the deployment's status at now.
func (d *deployment) status(now time.Time, timings Timings) string {
	switch d.state {
	case stateQueued:
		return StatusWaitingForGPU
	case statePaused:
		return StatusPaused
	case stateCancelled:
		return StatusCancelled
	}

	elapsed := now.Sub(d.allocatedAt)
	switch {
	case elapsed < timings.Scheduling:
		return StatusScheduling
	case elapsed < timings.Scheduling+timings.PullingWeights:
		return StatusPullingWeights
	case elapsed < timings.Total():
		return StatusLoading
	default:
		return StatusWaitingForChat
	}
}

// live reports whether the deployment still exists from the Control Room's
// point of view: everything but cancelled, paused included.
func (d *deployment) live() bool {
	return d.state != stateCancelled
}

// freeGPUs returns the GPUs not held by any deployment. The caller holds
// s.mu.
func (s *Simulator) freeGPUs() int {
	used := 0
	for _, d := range s.deployments {
		if d.state == stateAllocated {
			used += d.gpuCount
		}
	}
	return s.gpus - used
}

// schedule allocates GPUs to queued deployments in FIFO order. The head of
// the queue blocks those behind it until it fits, so large deployments do
// not starve. A deployment that needs more GPUs than the whole pool can never
// fit: it stays queued without blocking the others. The caller holds s.mu.
func (s *Simulator) schedule(now time.Time) {
	free := s.freeGPUs()
	remaining := s.queue[:0]
	blocked := false

	for _, d := range s.queue {
		switch {
		case d.gpuCount > s.gpus:
			// NOTE: a real Control Room may reject or fail such a
			// deployment. The vendor's guide only mentions deployments
			// stuck before waitingForChat, so the simulator keeps it queued.
			remaining = append(remaining, d)
		case !blocked && d.gpuCount <= free:
			d.state = stateAllocated
			d.allocatedAt = now
			d.updatedAt = now
			free -= d.gpuCount
			s.logger.Info("deployment scheduled", "deployment_id", d.id, "gpu_count", d.gpuCount, "free_gpus", free)
		default:
			blocked = true
			remaining = append(remaining, d)
		}
	}

	clear(s.queue[len(remaining):])
	s.queue = remaining
}

// release moves a deployment to a final or paused state, frees its GPUs or
// its queue slot, and schedules the queue. The caller holds s.mu.
func (s *Simulator) release(d *deployment, to deploymentState, now time.Time) {
	if d.state == stateQueued {
		s.removeFromQueue(d)
	}
	d.state = to
	d.updatedAt = now
	s.schedule(now)
}

func (s *Simulator) removeFromQueue(target *deployment) {
	for i, d := range s.queue {
		if d == target {
			s.queue = append(s.queue[:i], s.queue[i+1:]...)
			return
		}
	}
}

// queuePosition returns the 1-based position of d in the GPU queue, or 0.
// The caller holds s.mu.
func (s *Simulator) queuePosition(d *deployment) int {
	for i, queued := range s.queue {
		if queued == d {
			return i + 1
		}
	}
	return 0
}
