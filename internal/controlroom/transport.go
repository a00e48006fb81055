package controlroom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// retryPolicy selects which failed attempts of a request may be repeated.
type retryPolicy int

const (
	// retryTransient repeats after network errors, timeouts, 5xx and 429.
	// It is for requests whose repetition has the same effect as one send:
	// reads, PATCH with the same body, DELETE, register (a repeated register
	// gets 409, which resolves to the record), pause and cancel.
	retryTransient retryPolicy = iota
	// retryUnsent repeats only attempts that surely did not reach the
	// Control Room: a failure before the request headers were written
	// (dial error, connection refused) or a 429. It is for deploy.
	retryUnsent
)

// minAttemptTime is the least time budget worth starting an attempt with.
const minAttemptTime = 50 * time.Millisecond

// call is one Management API request, before retries.
type call struct {
	op     string // operation name for errors and logs, such as "deploy model"
	method string
	path   string // escaped path below /management/v0
	query  url.Values
	body   []byte // JSON body, nil for none
	policy retryPolicy
}

// reply is an HTTP response with its whole body.
type reply struct {
	status int
	header http.Header
	body   []byte
	// afterAmbiguous is true when an earlier attempt failed after it may have
	// reached the Control Room, so the request may have taken effect already.
	afterAmbiguous bool
}

// transportError is a failed exchange that left no usable response.
type transportError struct {
	err error
	// mayHaveArrived is true when the request headers were written, so the
	// Control Room may have received and acted on the request.
	mayHaveArrived bool
	// tooLarge is true when the response body exceeded MaxBodyBytes.
	tooLarge bool
	status   int // HTTP status when a response started, else 0
}

func (e *transportError) Error() string { return e.err.Error() }

func jsonBody(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		// The request types contain only strings, numbers, booleans and
		// JSON-safe maps, and every number was checked to be finite.
		panic(fmt.Sprintf("controlroom: encoding a request body: %v", err))
	}
	return data
}

// do sends cl, retrying as its policy allows within ctx. It returns the last
// reply, whatever its status, or the last transport error.
func (c *Client) do(ctx context.Context, cl *call) (*reply, *transportError) {
	policy := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(c.cfg.RetryInitialInterval),
		backoff.WithMaxInterval(c.cfg.RetryMaxInterval),
		backoff.WithMaxElapsedTime(0),
	)
	ambiguous := false

	for attempt := 1; ; attempt++ {
		r, failure := c.attempt(ctx, cl, attempt)
		if r != nil {
			r.afterAmbiguous = ambiguous
		}
		if (failure != nil && failure.mayHaveArrived) || (r != nil && mayHaveProcessed(r.status)) {
			ambiguous = true
		}

		if ctx.Err() != nil || attempt >= c.cfg.MaxAttempts || !retryable(cl.policy, r, failure) {
			return r, failure
		}

		delay := policy.NextBackOff()
		if r != nil {
			if after, ok := retryAfter(r.header, time.Now()); ok && after > delay {
				delay = after
			}
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay+minAttemptTime {
			return r, failure
		}

		reason := retryReason(r, failure)
		c.stats.retries.Add(1)
		c.log.Warn("retrying Control Room request",
			"op", cl.op, "method", cl.method, "path", cl.path,
			"attempt", attempt, "delay", delay, "reason", c.redact(reason.Error()))
		if c.cfg.OnRetry != nil {
			c.cfg.OnRetry(cl.op, attempt, reason)
		}

		if err := sleep(ctx, delay); err != nil {
			return r, failure
		}
	}
}

// attempt sends cl once, bounded by AttemptTimeout, and reads the body.
func (c *Client) attempt(ctx context.Context, cl *call, number int) (*reply, *transportError) {
	attemptCtx, cancel := context.WithTimeout(ctx, c.cfg.AttemptTimeout)
	defer cancel()

	var wroteHeaders atomic.Bool
	trace := &httptrace.ClientTrace{WroteHeaders: func() { wroteHeaders.Store(true) }}
	attemptCtx = httptrace.WithClientTrace(attemptCtx, trace)

	target := c.apiRoot + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(attemptCtx, cl.method, target, body)
	if err != nil {
		return nil, &transportError{err: fmt.Errorf("building the request: %w", err)}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	c.stats.attempts.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		c.log.Debug("Control Room request failed",
			"op", cl.op, "method", cl.method, "path", cl.path, "attempt", number,
			"latency", time.Since(start), "error", c.redact(err.Error()))
		return nil, &transportError{err: err, mayHaveArrived: wroteHeaders.Load()}
	}
	defer resp.Body.Close()

	data, err := readLimited(resp.Body, c.cfg.MaxBodyBytes)
	c.log.Debug("Control Room request",
		"op", cl.op, "method", cl.method, "path", cl.path, "attempt", number,
		"status", resp.StatusCode, "latency", time.Since(start), "bytes", len(data))
	if err != nil {
		tooLarge := errors.Is(err, errBodyTooLarge)
		return nil, &transportError{
			err:            fmt.Errorf("reading the body of an HTTP %d response: %w", resp.StatusCode, err),
			mayHaveArrived: true,
			tooLarge:       tooLarge,
			status:         resp.StatusCode,
		}
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: c.redactBody(data)}, nil
}

var errBodyTooLarge = errors.New("response body too large")

// readLimited reads r to the end, failing once more than limit bytes arrive.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return data, err
	}
	if int64(len(data)) > limit {
		return data[:limit], fmt.Errorf("%w: more than %d bytes", errBodyTooLarge, limit)
	}
	return data, nil
}

// retryable reports whether a failed attempt may be repeated under policy.
func retryable(policy retryPolicy, r *reply, failure *transportError) bool {
	if failure != nil {
		if failure.tooLarge {
			return false
		}
		return policy == retryTransient || !failure.mayHaveArrived
	}
	switch {
	case r.status == http.StatusTooManyRequests:
		return true
	case r.status >= 500 && r.status != http.StatusNotImplemented:
		return policy == retryTransient
	}
	return false
}

// retryReason describes why an attempt is retried.
func retryReason(r *reply, failure *transportError) error {
	if failure != nil {
		return failure.err
	}
	return fmt.Errorf("HTTP %d: %s", r.status, errorMessage(r.body))
}

// mayHaveProcessed reports whether a response with status may come after
// the Control Room acted on the request: a 5xx other than 503 (Service
// Unavailable, which says the request was not handled) can be sent after the
// change was made, as can a 502 or 504 from a proxy in front of it.
func mayHaveProcessed(status int) bool {
	return status >= 500 && status != http.StatusServiceUnavailable
}

// retryAfter parses a Retry-After header given in seconds or as an HTTP
// date.
func retryAfter(header http.Header, now time.Time) (time.Duration, bool) {
	value := header.Get("Retry-After")
	if value == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseInt(value, 10, 64); err == nil {
		if seconds < 0 {
			return 0, false
		}
		if seconds > int64(24*time.Hour/time.Second) {
			seconds = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(seconds) * time.Second, true
	}
	if when, err := http.ParseTime(value); err == nil {
		wait := when.Sub(now)
		if wait < 0 {
			wait = 0
		}
		return wait, true
	}
	return 0, false
}
