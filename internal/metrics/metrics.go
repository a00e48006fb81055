// Package metrics exposes the server's Prometheus metrics: tool calls by
// tool and outcome, call latency, Control Room errors by kind and retries,
// and guard decisions. Every metric lives in the registry of one Metrics
// value, never in the global default registry, so tests and several servers
// in one process do not share counters.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Namespace prefixes every metric name.
const Namespace = "rational_mcp"

// Tool call outcomes, the values of the outcome label of
// rational_mcp_tool_calls_total.
const (
	OutcomeOK            = "ok"             // the tool ran and succeeded
	OutcomeError         = "error"          // the result has isError set
	OutcomeInputRequired = "input_required" // the server asked the user first
	OutcomeProtocolError = "protocol_error" // a JSON-RPC error reached the client
)

// Metrics holds the collectors and their registry. It is safe for
// concurrent use; a nil *Metrics records nothing.
type Metrics struct {
	registry        *prometheus.Registry
	toolCalls       *prometheus.CounterVec
	toolLatency     *prometheus.HistogramVec
	upstreamErrors  *prometheus.CounterVec
	upstreamRetries *prometheus.CounterVec
	decisions       *prometheus.CounterVec
	rateLimited     prometheus.Counter
}

// New returns Metrics registered in a fresh registry, with the Go runtime
// and process collectors.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		toolCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "tool_calls_total",
			Help: "MCP tool calls by tool and outcome (ok, error, input_required, protocol_error).",
		}, []string{"tool", "outcome"}),
		toolLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "tool_call_duration_seconds",
			Help:    "Duration of MCP tool calls, guard and Control Room calls included.",
			Buckets: []float64{0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"tool"}),
		upstreamErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "upstream_errors_total",
			Help: "Failed Control Room calls by operation and error kind.",
		}, []string{"op", "kind"}),
		upstreamRetries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "upstream_retries_total",
			Help: "Control Room requests retried, by operation.",
		}, []string{"op"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "approvals_total",
			Help: "Guard decisions on changing or refused tool calls, by decision (allowed, approved, input_required, approval_required, refused).",
		}, []string{"decision"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Name: "rate_limited_total",
			Help: "Tool calls refused because their principal exceeded its rate limit.",
		}),
	}
	m.registry.MustRegister(m.toolCalls, m.toolLatency, m.upstreamErrors, m.upstreamRetries,
		m.decisions, m.rateLimited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the registry that holds every metric, for tests and for
// callers that add their own collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Handler serves the metrics in the Prometheus text format. It does no
// authentication: the HTTP transport puts it behind the same bearer token
// check as the MCP endpoint.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// ObserveToolCall records one finished tool call.
func (m *Metrics) ObserveToolCall(tool, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.toolCalls.WithLabelValues(tool, outcome).Inc()
	m.toolLatency.WithLabelValues(tool).Observe(took.Seconds())
}

// ObserveUpstreamError records a failed Control Room call under the kind of
// err (see controlroom.Kind); an error that is not a *controlroom.Error
// counts as "other". A nil err records nothing.
func (m *Metrics) ObserveUpstreamError(op string, err error) {
	if m == nil || err == nil {
		return
	}
	kind := string(controlroom.KindOf(err))
	if kind == "" {
		kind = "other"
	}
	m.upstreamErrors.WithLabelValues(op, kind).Inc()
}

// OnRetry has the signature of controlroom.Config.OnRetry and counts one
// retry of op.
func (m *Metrics) OnRetry(op string, _ int, _ error) {
	if m == nil {
		return
	}
	m.upstreamRetries.WithLabelValues(op).Inc()
}

// ObserveDecision counts one guard decision.
func (m *Metrics) ObserveDecision(decision string) {
	if m == nil {
		return
	}
	m.decisions.WithLabelValues(decision).Inc()
}

// ObserveRateLimited counts one call refused by the rate limit.
func (m *Metrics) ObserveRateLimited() {
	if m == nil {
		return
	}
	m.rateLimited.Inc()
}
