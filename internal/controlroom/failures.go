package controlroom

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// subject is the record a request is about, for not-found messages.
type subject struct {
	noun     string // "model" or "deployment"
	id       string
	listTool string // the MCP tool that lists valid ids
}

func modelSubject(id string) subject { return subject{noun: "model", id: id, listTool: "list_models"} }

func deploymentSubject(id string) subject {
	return subject{noun: "deployment", id: id, listTool: "list_deployments"}
}

const tokenHint = "check " + EnvToken + " (or the file named by " + EnvTokenFile + ")"

// statusError turns a non-2xx reply into an *Error.
func (c *Client) statusError(cl *call, r *reply, about subject) *Error {
	message := errorMessage(r.body)
	status := r.status

	switch {
	case status >= 300 && status < 400:
		return c.newError(KindWrongOrigin, cl.op, status,
			fmt.Sprintf("the Control Room redirected %s %s to %q", cl.method, cl.path, r.header.Get("Location")),
			fmt.Sprintf("set the base URL (now %s) to the final address; %s", c.cfg.BaseURL, baseURLMustEndInAPIHint), nil)

	case (status == http.StatusNotFound || status == http.StatusMethodNotAllowed) && isWrongOrigin(r.body):
		return c.newError(KindWrongOrigin, cl.op, status,
			fmt.Sprintf("the server at %s does not serve the Management API (%s)", c.cfg.BaseURL, message),
			baseURLMustEndInAPIHint, nil)

	case status == http.StatusNotFound:
		text := "not found"
		if about.id != "" {
			text = fmt.Sprintf("%s %q not found", about.noun, about.id)
		}
		if message != "" {
			text += " (" + message + ")"
		}
		hint := ""
		if about.listTool != "" {
			hint = fmt.Sprintf("call %s to see the existing %s ids", about.listTool, about.noun)
		}
		return c.newError(KindNotFound, cl.op, status, text, hint, nil)

	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return c.newError(KindBadRequest, cl.op, status, orDefault(message, "the Control Room rejected the request"),
			"check the request fields against the vendor's guide", nil)

	case status == http.StatusUnauthorized:
		return c.newError(KindUnauthorized, cl.op, status, orDefault(message, "the API token was rejected"),
			tokenHint+": the token is missing, wrong or expired", nil)

	case status == http.StatusForbidden:
		return c.newError(KindForbidden, cl.op, status, orDefault(message, "the API token lacks the rights for this request"),
			tokenHint+": the token needs admin/management rights on the Control Room", nil)

	case status == http.StatusConflict:
		return c.newError(KindConflict, cl.op, status, orDefault(message, "the request conflicts with the current state"), "", nil)

	case status == http.StatusTooManyRequests:
		hint := "wait and try again"
		if wait, ok := retryAfter(r.header, time.Now()); ok {
			hint = fmt.Sprintf("wait %s and try again", wait.Round(time.Second))
		}
		return c.newError(KindRateLimited, cl.op, status, orDefault(message, "the Control Room is rate limiting requests"), hint, nil)

	case status >= 500:
		return c.newError(KindUpstream, cl.op, status, orDefault(message, "the Control Room failed"),
			"the Control Room had an internal error; try again later", nil)

	case status >= 400:
		return c.newError(KindBadRequest, cl.op, status, orDefault(message, "the Control Room rejected the request"), "", nil)
	}
	return c.newError(KindUpstream, cl.op, status, fmt.Sprintf("unexpected HTTP status %d: %s", status, quoteBody(r.body)), "", nil)
}

// decodeFailure reports a successful status whose body has an unexpected
// shape.
func (c *Client) decodeFailure(cl *call, r *reply, err error) *Error {
	return c.newError(KindUpstream, cl.op, r.status, err.Error(),
		"the Control Room answered in a shape this client does not know; report it with the quoted body", err)
}

// transportFailure turns a transport error into an *Error.
func (c *Client) transportFailure(ctx context.Context, cl *call, failure *transportError) *Error {
	if ctx.Err() != nil {
		return c.contextError(ctx, cl.op, failure.err)
	}
	if failure.tooLarge {
		return c.newError(KindUpstream, cl.op, failure.status,
			fmt.Sprintf("the response body exceeds the limit of %d bytes", c.cfg.MaxBodyBytes),
			"raise MaxBodyBytes if such a large response is expected", failure.err)
	}

	var netErr net.Error
	if errors.Is(failure.err, context.DeadlineExceeded) || (errors.As(failure.err, &netErr) && netErr.Timeout()) {
		return c.newError(KindTimeout, cl.op, failure.status,
			fmt.Sprintf("no complete answer from the Control Room within %s per attempt", c.cfg.AttemptTimeout),
			"the Control Room may be overloaded; try again later", failure.err)
	}
	return c.newError(KindNetwork, cl.op, failure.status,
		fmt.Sprintf("cannot reach the Control Room at %s: %v", c.cfg.BaseURL, failure.err),
		"check the base URL and the network connection", failure.err)
}

// finish turns the outcome of do into a 2xx reply or an *Error.
func (c *Client) finish(ctx context.Context, cl *call, r *reply, failure *transportError, about subject) (*reply, error) {
	if failure != nil {
		return nil, c.transportFailure(ctx, cl, failure)
	}
	if r.status < 200 || r.status > 299 {
		return nil, c.statusError(cl, r, about)
	}
	return r, nil
}

// send runs do and finish.
func (c *Client) send(ctx context.Context, cl *call, about subject) (*reply, error) {
	r, failure := c.do(ctx, cl)
	return c.finish(ctx, cl, r, failure, about)
}

func orDefault(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// invalidInput reports a request rejected before anything was sent.
func (c *Client) invalidInput(op string, err error) *Error {
	return c.newError(KindInvalidInput, op, 0, err.Error(), "nothing was sent to the Control Room", err)
}
