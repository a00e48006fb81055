package mcpserver

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"golang.org/x/time/rate"
)

// RateLimitedCode is the JSON-RPC error code of the 429 response to a
// tool call over the rate limit.
const RateLimitedCode = -32029

// maxPrincipals bounds the rate limiters kept in memory; idle ones are
// dropped first when it is reached.
const maxPrincipals = 10000

// RateLimit limits the tool calls of each principal with a token bucket.
// The zero value (PerMinute 0) turns the limit off. Limits are kept in
// memory, so each replica of a shared deployment enforces its own.
type RateLimit struct {
	// PerMinute is the sustained number of tools/call requests a principal
	// may send per minute.
	PerMinute float64
	// Burst is how many calls a principal may send at once after being
	// idle; 0 means max(1, PerMinute/6).
	Burst int
	// OnLimited, when set, is called for every refused call. It must not
	// block.
	OnLimited func()
}

func (l RateLimit) burst() int {
	if l.Burst > 0 {
		return l.Burst
	}
	return max(1, int(l.PerMinute/6))
}

// limiters holds one token bucket per principal.
type limiters struct {
	limit RateLimit
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	limiter  *rate.Limiter
	lastSeen time.Time
}

// reserve takes one token for principal. It returns 0 when the call may
// run, or how long the principal must wait.
func (l *limiters) reserve(principal string) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()

	b, ok := l.buckets[principal]
	if !ok {
		if len(l.buckets) >= maxPrincipals {
			l.evict(now)
		}
		b = &bucket{limiter: rate.NewLimiter(rate.Limit(l.limit.PerMinute/60), l.limit.burst())}
		l.buckets[principal] = b
	}
	b.lastSeen = now

	reservation := b.limiter.ReserveN(now, 1)
	if !reservation.OK() {
		return time.Minute
	}
	delay := reservation.DelayFrom(now)
	if delay > 0 {
		reservation.CancelAt(now)
	}
	return delay
}

// evict drops the buckets idle long enough to have refilled, and if none
// is, the least recently seen one.
func (l *limiters) evict(now time.Time) {
	refill := time.Duration(float64(l.limit.burst()) / (l.limit.PerMinute / 60) * float64(time.Second))
	oldest, oldestSeen := "", now
	for principal, b := range l.buckets {
		if now.Sub(b.lastSeen) > refill {
			delete(l.buckets, principal)
			continue
		}
		if b.lastSeen.Before(oldestSeen) {
			oldest, oldestSeen = principal, b.lastSeen
		}
	}
	if len(l.buckets) >= maxPrincipals {
		delete(l.buckets, oldest)
	}
}

// principal names who sends r, for the rate limit: the credential
// principal (see credentialPrincipal) when there is one, else the remote
// host. It is never the session, which a client renews with one
// initialize. Behind a reverse proxy every client shares the proxy's
// address, so a shared service should turn authentication on.
func (s *HTTPServer) principal(r *http.Request) string {
	if principal := s.credentialPrincipal(r); principal != "" {
		return principal
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "remote:" + host
}

// limitRate rejects a tools/call over its principal's limit with 429, a
// Retry-After header in whole seconds and a JSON-RPC error body. Other
// messages (initialize, tools/list, notifications) are not limited.
func (s *HTTPServer) limitRate(next http.Handler) http.Handler {
	if s.opts.RateLimit.PerMinute <= 0 {
		return next
	}
	store := &limiters{limit: s.opts.RateLimit, now: time.Now, buckets: map[string]*bucket{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method, id := peekMessage(r)
		if method != string(mcp.MethodToolsCall) {
			next.ServeHTTP(w, r)
			return
		}
		principal := s.principal(r)
		wait := store.reserve(principal)
		if wait == 0 {
			next.ServeHTTP(w, r)
			return
		}

		seconds := int(math.Ceil(wait.Seconds()))
		if s.opts.RateLimit.OnLimited != nil {
			s.opts.RateLimit.OnLimited()
		}
		s.opts.Logger.Warn("rate limit exceeded", "principal", principal, "retry_after_s", seconds, "remote", r.RemoteAddr)
		body, _ := json.Marshal(map[string]any{
			"jsonrpc": "2.0",
			"id":      id,
			"error": map[string]any{
				"code": RateLimitedCode,
				"message": fmt.Sprintf("rate limit exceeded: at most %g tool calls per minute (bursts of %d) per client; retry after %d seconds",
					s.opts.RateLimit.PerMinute, s.opts.RateLimit.burst(), seconds),
			},
		})
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", strconv.Itoa(seconds))
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write(append(body, '\n'))
	})
}
