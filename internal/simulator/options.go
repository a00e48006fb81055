package simulator

import (
	"log/slog"
	"sync"
	"time"
)

// Options configures a Simulator. The zero value is a usable demo setup
// without authentication, catalog or logging.
type Options struct {
	// Token is the bearer token that every request must carry. An empty
	// Token disables authentication, which is meant for the demo only.
	Token string
	// Clock drives the deployment lifecycle. Nil means the real clock.
	Clock Clock
	// Timings sets the lifecycle phase durations. The zero value means
	// DemoTimings().
	Timings Timings
	// GPUs is the size of the cluster's GPU pool. Zero means 16.
	GPUs int
	// Seed fills the catalog with the demo models and one ready deployment.
	Seed bool
	// SyntheticModels adds this many generated models after the seeded
	// ones, for load and scale measurements. See SyntheticModelName.
	SyntheticModels int
	// Logger receives request and mutation logs. Nil discards them.
	Logger *slog.Logger
}

// DefaultGPUs is the GPU pool size used when Options.GPUs is zero.
const DefaultGPUs = 16

// Clock returns the current time. The simulator computes every deployment
// status from timestamps and the Clock, so a ManualClock makes the lifecycle
// deterministic.
type Clock interface {
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that moves only when Advance is called. It is safe
// for concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a ManualClock stopped at start.
func NewManualClock(start time.Time) *ManualClock {
	return &ManualClock{now: start}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d. A negative d moves it back.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Timings are the durations of the lifecycle phases that a deployment goes
// through once it holds its GPUs: StatusScheduling, then
// StatusPullingWeights, then StatusLoading, then StatusWaitingForChat
// (ready). Time spent in StatusWaitingForGPU, before GPUs are free, is not
// part of Timings.
type Timings struct {
	// Scheduling is the time from GPU allocation until the pod starts.
	Scheduling time.Duration
	// PullingWeights is the time the pod spends downloading the weights.
	PullingWeights time.Duration
	// Loading is the time the serving engine spends loading the weights
	// onto the GPUs.
	Loading time.Duration
}

// DemoTimings returns phase durations of a few seconds each, so a demo
// deployment becomes ready about 12 seconds after it gets its GPUs. A real
// Control Room takes minutes.
func DemoTimings() Timings {
	return Timings{
		Scheduling:     2 * time.Second,
		PullingWeights: 6 * time.Second,
		Loading:        4 * time.Second,
	}
}

// Total returns the time from GPU allocation until the deployment is ready.
func (t Timings) Total() time.Duration {
	return t.Scheduling + t.PullingWeights + t.Loading
}

func (t Timings) isZero() bool {
	return t == Timings{}
}
