package simulator

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// Fault is one kind of injected failure. The values are also the keys of
// Stats.Faults.
type Fault string

// The fault kinds. FaultLatency and FaultSlowBody are only Stats keys,
// because Faults.Latency and Faults.SlowBody apply to every matching request.
// In Faults.Next, an entry of either kind acts like FaultNone.
const (
	// FaultNone lets a request through; in Faults.Next it skips one request.
	FaultNone Fault = "none"
	// FaultLatency delays a request by Faults.Latency before handling.
	FaultLatency Fault = "latency"
	// FaultServerError returns 503 without processing the request.
	FaultServerError Fault = "serverError"
	// FaultRateLimit returns 429 with Retry-After without processing.
	FaultRateLimit Fault = "rateLimit"
	// FaultDropBefore closes the connection without processing the request
	// or sending a response.
	FaultDropBefore Fault = "dropBefore"
	// FaultDropAfter processes the request, so mutations happen, then closes
	// the connection without sending a response.
	FaultDropAfter Fault = "dropAfter"
	// FaultServerErrorAfter processes the request, then returns 500.
	FaultServerErrorAfter Fault = "serverErrorAfter"
	// FaultMalformed processes the request and keeps its status, but sends
	// the first half of the body followed by "\x00<malformed>". A 204
	// becomes a 200 so the body can be sent.
	FaultMalformed Fault = "malformed"
	// FaultTruncated processes the request, declares a Content-Length 100
	// bytes larger than the body, sends half the body and closes.
	FaultTruncated Fault = "truncated"
	// FaultSlowBody spreads the body over Faults.SlowBody.
	FaultSlowBody Fault = "slowBody"
)

// Faults is a fault plan. Every request that Match accepts first waits
// Latency, then gets the next entry of Next if any is left, and otherwise
// at most one fault drawn at random from the rates. The rates are
// probabilities from 0 to 1 drawn from one value, so their sum should not
// exceed 1; they are tried in the order DropBefore, ServerError, RateLimit,
// DropAfter, ServerErrorAfter, Malformed, Truncated. Latency and SlowBody
// use real time, not Options.Clock.
type Faults struct {
	// Latency is added before handling each matching request.
	Latency time.Duration
	// ServerErrorRate is the probability of FaultServerError (503).
	ServerErrorRate float64
	// RateLimitRate is the probability of FaultRateLimit (429).
	RateLimitRate float64
	// RetryAfter is sent in the Retry-After header of a 429, in whole
	// seconds rounded up. Zero sends 1.
	RetryAfter time.Duration
	// DropBeforeRate is the probability of FaultDropBefore.
	DropBeforeRate float64
	// DropAfterRate is the probability of FaultDropAfter.
	DropAfterRate float64
	// ServerErrorAfterRate is the probability of FaultServerErrorAfter.
	ServerErrorAfterRate float64
	// MalformedRate is the probability of FaultMalformed.
	MalformedRate float64
	// TruncatedRate is the probability of FaultTruncated.
	TruncatedRate float64
	// SlowBody spreads every matching response body over this time.
	SlowBody time.Duration
	// Match selects the requests the plan applies to. Nil matches every
	// request. It must not read the request body.
	Match func(r *http.Request) bool
	// Seed seeds the random draws, so a plan gives the same sequence of
	// faults for the same sequence of requests.
	Seed int64
	// Next are one-shot faults applied to the next matching requests in
	// order, before any rate is drawn. FaultNone lets one request through.
	Next []Fault
}

// faultTiming holds the delays that apply to one matching request.
type faultTiming struct {
	latency  time.Duration
	slowBody time.Duration
}

// SetFaults replaces the active fault plan and restarts its random sequence
// from f.Seed. SetFaults(Faults{}) turns faults off.
func (s *Simulator) SetFaults(f Faults) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()

	s.faults = f
	s.faultNext = append([]Fault(nil), f.Next...)
	seed := uint64(f.Seed)
	s.faultRandom = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// pickFault decides the fault and delays for one request and counts them.
func (s *Simulator) pickFault(r *http.Request) (Fault, faultTiming) {
	s.faultMu.Lock()
	plan := s.faults
	s.faultMu.Unlock()

	if plan.Match != nil && !plan.Match(r) {
		return FaultNone, faultTiming{}
	}

	s.faultMu.Lock()
	fault := FaultNone
	if len(s.faultNext) > 0 {
		fault = s.faultNext[0]
		s.faultNext = s.faultNext[1:]
	} else {
		fault = drawFault(plan, s.faultRandom.Float64())
	}
	s.faultMu.Unlock()

	if fault == FaultLatency || fault == FaultSlowBody {
		fault = FaultNone
	}

	timing := faultTiming{latency: plan.Latency, slowBody: plan.SlowBody}
	if timing.latency > 0 {
		s.countFault(FaultLatency)
	}
	if timing.slowBody > 0 {
		s.countFault(FaultSlowBody)
	}
	if fault != FaultNone {
		s.countFault(fault)
		s.logger.Info("fault injected", "fault", string(fault), "method", r.Method, "path", r.URL.Path)
	}
	return fault, timing
}

// drawFault maps one uniform value in [0, 1) to a fault by the plan's rates.
func drawFault(plan Faults, draw float64) Fault {
	rates := []struct {
		fault Fault
		rate  float64
	}{
		{FaultDropBefore, plan.DropBeforeRate},
		{FaultServerError, plan.ServerErrorRate},
		{FaultRateLimit, plan.RateLimitRate},
		{FaultDropAfter, plan.DropAfterRate},
		{FaultServerErrorAfter, plan.ServerErrorAfterRate},
		{FaultMalformed, plan.MalformedRate},
		{FaultTruncated, plan.TruncatedRate},
	}

	threshold := 0.0
	for _, candidate := range rates {
		if candidate.rate <= 0 {
			continue
		}
		threshold += candidate.rate
		if draw < threshold {
			return candidate.fault
		}
	}
	return FaultNone
}

// retryAfterSeconds returns the Retry-After value for a plan.
func retryAfterSeconds(retryAfter time.Duration) int {
	seconds := int((retryAfter + time.Second - 1) / time.Second)
	return max(seconds, 1)
}
