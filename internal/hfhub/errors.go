package hfhub

import (
	"errors"
	"fmt"
)

// Kind classifies a failed Hub lookup by what the caller can do about it.
type Kind string

// The kinds of Error. Callers switch on Kind, or test with errors.Is against
// ErrNotFound, ErrRevisionNotFound, ErrUnreachable and ErrInvalidInput.
const (
	KindInvalidRepoID    Kind = "invalid_repo_id"      // rejected before any request was sent
	KindInvalidRevision  Kind = "invalid_revision"     // rejected before any request was sent
	KindNotFound         Kind = "not_found_or_private" // 401 or 404: missing, or private without access
	KindRevisionNotFound Kind = "revision_not_found"   // the repository exists but the revision does not
	KindGated            Kind = "gated"                // a file of a gated repository without approved access
	KindUnreachable      Kind = "unreachable"          // no usable response: network failure, time-out, 5xx or 429
	KindUpstream         Kind = "upstream"             // an unexpected HTTP status
	KindInvalidResponse  Kind = "invalid_response"     // a body that is not a model info object or too large
	KindCanceled         Kind = "canceled"             // the caller's context was canceled
)

// Error is a failed Hub lookup. Its message never contains the HF_TOKEN.
type Error struct {
	Kind Kind
	// RepoID and Revision are the requested values, quoted when printed.
	RepoID   string
	Revision string
	// StatusCode is the HTTP status, or 0 when no response arrived.
	StatusCode int
	// Message describes the failure.
	Message string
	// Hint is the next step for the caller.
	Hint string
	// Err is the underlying error, if any.
	Err error
}

// Sentinel errors for errors.Is. An *Error matches the sentinel of its kind;
// ErrInvalidInput matches both invalid-input kinds.
var (
	ErrNotFound         = errors.New("hugging face repository not found or private")
	ErrRevisionNotFound = errors.New("hugging face revision not found")
	ErrUnreachable      = errors.New("hugging face hub unreachable")
	ErrInvalidInput     = errors.New("invalid hugging face repository id or revision")
)

func (e *Error) Error() string {
	msg := "hugging face hub"
	if e.RepoID != "" {
		msg += fmt.Sprintf(" %q", e.RepoID)
	}
	if e.Revision != "" {
		msg += fmt.Sprintf(" at revision %q", e.Revision)
	}
	msg += ": " + string(e.Kind)
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

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel error for e's kind.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Kind == KindNotFound
	case ErrRevisionNotFound:
		return e.Kind == KindRevisionNotFound
	case ErrUnreachable:
		return e.Kind == KindUnreachable
	case ErrInvalidInput:
		return e.Kind == KindInvalidRepoID || e.Kind == KindInvalidRevision
	}
	return false
}

// KindOf returns the Kind of err, or "" when err is not an *Error.
func KindOf(err error) Kind {
	var hubErr *Error
	if errors.As(err, &hubErr) {
		return hubErr.Kind
	}
	return ""
}

// CouldNotVerify reports whether err means the Hub sent no usable response,
// so a caller may go on with a "could not verify" warning instead of
// failing. Only KindUnreachable qualifies, because a missing repository is a
// definite result.
func CouldNotVerify(err error) bool {
	return errors.Is(err, ErrUnreachable)
}

// notFoundHint is the advice for a repository that the Hub does not show.
// The Hub returns 401 both for a missing repository and for a private or
// gated-private one without access, so the hint names both causes.
const notFoundHint = "check the spelling of the namespace and the name (copy the id from the model page), " +
	"and if the repository is private set HF_TOKEN to a token that can read it"
