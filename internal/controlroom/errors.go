package controlroom

import (
	"errors"
	"fmt"
)

// Kind classifies a failed Management API call by what the caller can do
// about it.
type Kind string

// The kinds of Error. Callers switch on Kind rather than on status codes.
const (
	KindInvalidInput   Kind = "invalid_input"   // rejected before any request was sent
	KindBadRequest     Kind = "bad_request"     // 400 from the Control Room
	KindUnauthorized   Kind = "unauthorized"    // 401: the token is missing, wrong or expired
	KindForbidden      Kind = "forbidden"       // 403: the token lacks management rights
	KindNotFound       Kind = "not_found"       // 404 for a model or deployment
	KindWrongOrigin    Kind = "wrong_origin"    // 404 "Cannot POST/GET ...": the base URL is wrong
	KindConflict       Kind = "conflict"        // 409 other than a resolved register conflict
	KindRateLimited    Kind = "rate_limited"    // 429 after the retry budget ran out
	KindUpstream       Kind = "upstream"        // 5xx or an undecodable body
	KindTimeout        Kind = "timeout"         // the call's time budget ran out
	KindNetwork        Kind = "network"         // the Control Room could not be reached
	KindOutcomeUnknown Kind = "outcome_unknown" // a deploy may or may not have happened
	KindCanceled       Kind = "canceled"        // the caller's context was canceled
)

// Error is a failed Management API call. Its message never contains the API
// token.
type Error struct {
	Kind Kind
	// Op names the operation, such as "deploy model".
	Op string
	// StatusCode is the HTTP status, or 0 when no response arrived.
	StatusCode int
	// Message is the Control Room's own message, or a description of the
	// local failure.
	Message string
	// Hint says what the caller should do next.
	Hint string
	// Err is the underlying error, if any.
	Err error
}

func (e *Error) Error() string {
	msg := e.Op + ": " + string(e.Kind)
	if e.StatusCode != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.StatusCode)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err, or "" when err is not an *Error.
func KindOf(err error) Kind {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.Kind
	}
	return ""
}
