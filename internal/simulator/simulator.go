package simulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Simulator is an in-memory Control Room Management API. It implements
// http.Handler for the paths under /api/management/v0 and is safe for
// concurrent use. All state lives in memory and is lost with the value.
type Simulator struct {
	token   []byte // SHA-256 of Options.Token, nil when auth is disabled
	clock   Clock
	timings Timings
	gpus    int
	logger  *slog.Logger

	mu           sync.Mutex
	models       map[string]*model // by id
	modelsByName map[string]*model
	modelOrder   []*model // creation order, for listing
	deployments  map[string]*deployment
	deployOrder  []*deployment
	queue        []*deployment // deployments waiting for GPUs, FIFO
	stats        Stats

	faultMu     sync.Mutex
	faults      Faults
	faultNext   []Fault
	faultRandom *rand.Rand
}

// model is a catalog record. Optional string fields are nil when unset, so
// they are sent as JSON null.
type model struct {
	id                string
	name              string
	modelType         controlroom.ModelType
	isFineTuned       bool
	huggingFaceID     *string
	publisher         *string
	numberOfParams    *string
	quant             *string
	size              *string
	description       *string
	card              *string
	defaultParameters json.RawMessage
	createdAt         time.Time
	updatedAt         time.Time
	deployments       []*deployment // creation order
}

// deployment is one serving instance of a model.
type deployment struct {
	id          string
	model       *model
	gpuCount    int // GPUs needed; held only in stateAllocated
	parameters  deployParameters
	state       deploymentState
	createdAt   time.Time
	allocatedAt time.Time // zero while queued
	updatedAt   time.Time
}

// New returns a Simulator configured by opts.
func New(opts Options) *Simulator {
	s := &Simulator{
		clock:        opts.Clock,
		timings:      opts.Timings,
		gpus:         opts.GPUs,
		logger:       opts.Logger,
		models:       make(map[string]*model),
		modelsByName: make(map[string]*model),
		deployments:  make(map[string]*deployment),
		stats:        newStats(),
		faultRandom:  rand.New(rand.NewPCG(0, 0)),
	}
	if opts.Token != "" {
		sum := sha256.Sum256([]byte(opts.Token))
		s.token = sum[:]
	}
	if s.clock == nil {
		s.clock = realClock{}
	}
	if s.timings.isZero() {
		s.timings = DemoTimings()
	}
	if s.gpus <= 0 {
		s.gpus = DefaultGPUs
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}

	if opts.Seed {
		s.seedCatalog()
	}
	s.addSyntheticModels(opts.SyntheticModels)
	return s
}

// ServeHTTP routes a request, applies the active fault plan, checks the
// bearer token and runs the endpoint.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	route := matchRoute(r.Method, r.URL.Path)
	s.countRequest(route.endpoint)

	fault, apply := s.pickFault(r)
	if apply.latency > 0 && !s.sleep(r, apply.latency) {
		return
	}
	if s.applyFaultBefore(w, r, fault) {
		return
	}

	resp := newBufferedResponse()
	s.handle(resp, r, route)

	s.applyFaultAfter(w, r, fault, resp, apply.slowBody)
	s.logRequest(r, route, resp, fault, time.Since(started))
}

// logRequest logs a handled request: rejected ones at Info with the start of
// the error body, the others at Debug.
func (s *Simulator) logRequest(r *http.Request, route route, resp *bufferedResponse, fault Fault, elapsed time.Duration) {
	status := resp.statusCode()
	attributes := []any{"method", r.Method, "path", r.URL.Path, "endpoint", string(route.endpoint),
		"status", status, "fault", string(fault), "duration", elapsed}
	if status < http.StatusBadRequest {
		s.logger.Debug("request", attributes...)
		return
	}
	s.logger.Info("request rejected", append(attributes, "error", abbreviate(resp.body.String()))...)
}

// handle runs the route's handler after the token check.
func (s *Simulator) handle(w http.ResponseWriter, r *http.Request, route route) {
	if route.handler == nil {
		writeCannot(w, r)
		return
	}
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="rational-control-room"`)
		writeError(w, http.StatusUnauthorized, "missing or invalid bearer token: send the header Authorization: Bearer <token> with a token that has management rights")
		return
	}

	route.handler(s, w, r, route.param)
}

// authorized reports whether r carries the configured bearer token. Both
// sides are hashed first so the comparison takes the same time whatever the
// token's length.
func (s *Simulator) authorized(r *http.Request) bool {
	if s.token == nil {
		return true
	}

	scheme, credentials, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(credentials)))
	return subtle.ConstantTimeCompare(sum[:], s.token) == 1
}

// now returns the clock's time in UTC.
func (s *Simulator) now() time.Time {
	return s.clock.Now().UTC()
}
