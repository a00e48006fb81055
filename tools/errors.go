package tools

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// subject is the record a call is about, so that an error can name it and
// say which tool finds the right one.
type subject struct {
	kind string // "model" or "deployment"
	id   string
	// argument is the tool argument that carried id, or "" when id did not
	// come from one argument.
	argument string
}

func modelSubject(id string) subject { return subject{kind: "model", id: id, argument: "modelId"} }
func deploymentSubject(id string) subject {
	return subject{kind: "deployment", id: id, argument: "deploymentId"}
}

// finder returns the tool that lists records of the subject's kind.
func (s subject) finder() string {
	if s.kind == "deployment" {
		return "list_deployments"
	}
	return "list_models"
}

// upstreamFailure is a failed Control Room call as a tool reports it. Its
// message says what failed and what to call next; Unwrap returns the
// client's error, so controlroom.KindOf still finds the kind.
type upstreamFailure struct {
	message string
	cause   error
}

func (e *upstreamFailure) Error() string { return e.message }
func (e *upstreamFailure) Unwrap() error { return e.cause }

// upstreamError turns a failed Control Room call into an error whose message
// says what failed, on which record, and what to call next. tool is the name
// of the tool that made the call. The returned error wraps err.
func upstreamError(tool string, subj subject, err error) error {
	described := &upstreamFailure{message: describeUpstreamError(tool, subj, err).Error(), cause: err}
	if tool == "register_model" && mayHaveArrived(err) {
		return fmt.Errorf("%w; the model may or may not have been registered, so call register_model again with the same arguments: "+
			"if the first call created it, the repeat returns the existing record", described)
	}
	return described
}

// mayHaveArrived reports whether a failed call may have been processed by
// the Control Room: a timeout, a lost connection, a 5xx or an unreadable
// reply can each come after the change was made.
func mayHaveArrived(err error) bool {
	switch controlroom.KindOf(err) {
	case controlroom.KindTimeout, controlroom.KindNetwork, controlroom.KindUpstream, controlroom.KindCanceled:
		return true
	}
	return false
}

// describeUpstreamError builds upstreamError's message from the error kind.
func describeUpstreamError(tool string, subj subject, err error) error {
	failed := tool + " failed" + subj.forRecord()
	var apiErr *controlroom.Error
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("%s: %v", failed, err)
	}

	detail := ""
	if apiErr.Message != "" {
		detail = ": " + apiErr.Message
	}

	switch apiErr.Kind {
	case controlroom.KindNotFound:
		return fmt.Errorf("%s %s not found; call %s to find its id%s", subj.kind, quote(subj.id), subj.finder(), subj.argumentHint())
	case controlroom.KindInvalidInput:
		return fmt.Errorf("%s: invalid argument%s%s; nothing was sent to the Control Room, fix the argument and call again", failed, subj.argumentNameFor(apiErr.Message), detail)
	case controlroom.KindBadRequest:
		return fmt.Errorf("%s: the Control Room rejected the request as invalid%s; fix the arguments and call again", failed, detail)
	case controlroom.KindUnauthorized:
		var callerToken interface{ CallerTokenHint() string }
		if errors.As(err, &callerToken) {
			return fmt.Errorf("%s: the Control Room API token of this request is missing or was rejected%s; %s", failed, detail, callerToken.CallerTokenHint())
		}
		return fmt.Errorf("%s: the Control Room rejected the API token (HTTP 401); set RATIONAL_API_TOKEN to a valid token and restart the server", failed)
	case controlroom.KindForbidden:
		return fmt.Errorf("%s: the API token lacks management rights (HTTP 403); use a token with admin or management rights", failed)
	case controlroom.KindWrongOrigin:
		return fmt.Errorf("%s: the Control Room base URL is wrong%s; check RATIONAL_BASE_URL or RATIONAL_TENANT", failed, detail)
	case controlroom.KindConflict:
		if tool == "delete_model" {
			return fmt.Errorf("%s: conflict%s; the model likely still has deployments, paused ones included: call get_model to list them, cancel_deployment on each that is not cancelled, then delete_model again", failed, detail)
		}
		return fmt.Errorf("%s: conflict%s; call get_model or list_deployments to see the current state", failed, detail)
	case controlroom.KindRateLimited:
		return fmt.Errorf("%s: the Control Room is rate limiting requests; wait a minute and call again", failed)
	case controlroom.KindTimeout, controlroom.KindNetwork:
		return fmt.Errorf("%s: the Control Room could not be reached in time%s; call again later", failed, detail)
	case controlroom.KindOutcomeUnknown:
		return fmt.Errorf("%s: the deploy may or may not have started%s; call get_model with modelId %s and check its deployments before deploying again", failed, detail, quote(subj.id))
	case controlroom.KindCanceled:
		return fmt.Errorf("%s: the call was canceled by the client", failed)
	default:
		returned := "an error"
		if apiErr.StatusCode != 0 {
			returned = fmt.Sprintf("HTTP %d", apiErr.StatusCode)
		}
		return fmt.Errorf("%s: the Control Room returned %s%s; call again later", failed, returned, detail)
	}
}

// forRecord returns " for model 'x'", or "" when the call names no record.
func (s subject) forRecord() string {
	if s.id == "" {
		return ""
	}
	return " for " + s.kind + " " + quote(s.id)
}

// argumentName returns " 'modelId'" or similar, or "" when the subject came
// from no single argument.
func (s subject) argumentName() string {
	if s.argument == "" {
		return ""
	}
	return " " + quote(s.argument)
}

// argumentNameFor returns argumentName when message, a validation error
// of the Control Room client, is about the subject's id ("model id ..."),
// and "" otherwise: such a message starts with the name of the field it is
// about, such as "name" or "temperature".
func (s subject) argumentNameFor(message string) string {
	if !strings.HasPrefix(message, s.kind+" id") {
		return ""
	}
	return s.argumentName()
}

// argumentHint returns " and pass it as modelId" or similar, or "".
func (s subject) argumentHint() string {
	if s.argument == "" {
		return ""
	}
	return " and pass it as " + s.argument
}

// maxQuotedBytes bounds a value quoted in a message, so an error never
// echoes a huge argument back into the caller's context.
const maxQuotedBytes = 80

// quote returns value in single quotes, cut to maxQuotedBytes at a rune
// boundary and marked with "…" when longer.
func quote(value string) string {
	if len(value) <= maxQuotedBytes {
		return "'" + value + "'"
	}
	cut := maxQuotedBytes
	for cut > 0 && !utf8.RuneStart(value[cut]) {
		cut--
	}
	return "'" + value[:cut] + "…'"
}
