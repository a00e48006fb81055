package hfhub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// get sends one GET to requestURL and returns the body of a 200 response.
// Every other outcome is an *Error, logged once.
func (c *Client) get(ctx context.Context, repoID, revision, requestURL string) ([]byte, error) {
	started := time.Now()
	fail := func(kind Kind, status int, message, hint string, cause error) error {
		// A misbehaving endpoint may echo the Authorization header in its
		// body, and messages quote bodies.
		message = c.redact(message)
		err := &Error{
			Kind: kind, RepoID: repoID, Revision: revision, StatusCode: status,
			Message: message, Hint: hint, Err: cause,
		}
		c.logger.Warn("hugging face hub lookup failed",
			"repo", repoID, "revision", revision, "kind", string(kind), "status", status,
			"duration", time.Since(started), "error", message)
		return err
	}

	requestCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(requestCtx, http.MethodGet, requestURL, nil)
	if err != nil {
		return nil, fail(KindUpstream, 0, "could not build the request: "+err.Error(), "check HF_ENDPOINT", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "rational-mcp")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}

	resp, err := c.httpClient.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, requestCtx, err, fail)
	}
	defer resp.Body.Close()

	body, readErr := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if readErr != nil {
		return nil, c.transportError(ctx, requestCtx, readErr, fail)
	}
	if int64(len(body)) > c.maxBody {
		return nil, fail(KindInvalidResponse, resp.StatusCode,
			fmt.Sprintf("the response body exceeds %d bytes", c.maxBody),
			"check that HF_ENDPOINT points at a Hugging Face Hub", nil)
	}

	// Redact before any part of the body is quoted, so that a truncated
	// quote cannot carry a prefix of the token.
	body = []byte(c.redact(string(body)))

	c.logger.Debug("hugging face hub lookup",
		"repo", repoID, "revision", revision, "status", resp.StatusCode, "duration", time.Since(started))

	if resp.StatusCode != http.StatusOK {
		return nil, c.statusError(resp, body, fail)
	}
	return body, nil
}

type failFunc func(kind Kind, status int, message, hint string, cause error) error

// transportError classifies a failure to get or read a response: the
// caller's cancellation, this client's time-out, or an unreachable Hub.
func (c *Client) transportError(ctx, requestCtx context.Context, err error, fail failFunc) error {
	switch {
	case ctx.Err() != nil:
		return fail(KindCanceled, 0, "the lookup was canceled: "+ctx.Err().Error(), "", ctx.Err())
	case errors.Is(requestCtx.Err(), context.DeadlineExceeded):
		return fail(KindUnreachable, 0,
			fmt.Sprintf("no answer from %s within %s", c.endpoint, c.timeout),
			"the repository could not be verified; retry later or check the network", err)
	}
	return fail(KindUnreachable, 0,
		"could not reach "+c.endpoint+": "+err.Error(),
		"the repository could not be verified; check the network or HF_ENDPOINT", err)
}

// statusError maps a non-200 response to an *Error. The Hub returns 401 for
// a missing repository and for a private one without access, and 404 with
// the X-Error-Code header RepoNotFound or RevisionNotFound otherwise.
func (c *Client) statusError(resp *http.Response, body []byte, fail failFunc) error {
	status := resp.StatusCode
	message := hubMessage(body)
	errorCode := resp.Header.Get("X-Error-Code")

	switch {
	case errorCode == "GatedRepo":
		return fail(KindGated, status, "the repository is gated and its files need approved access: "+message,
			"accept the conditions on the model page and set HF_TOKEN to a token of that account", nil)

	case errorCode == "EntryNotFound":
		return fail(KindNotFound, status, "the file does not exist in the repository: "+message, "", nil)

	case errorCode == "RevisionNotFound":
		return fail(KindRevisionNotFound, status, "the revision does not exist: "+message,
			`check the branch, tag or commit sha, or leave the revision empty for the default branch`, nil)

	case status == http.StatusUnauthorized || status == http.StatusNotFound:
		if c.token != "" {
			message += " (HF_TOKEN was sent)"
		}
		return fail(KindNotFound, status, "the repository does not exist or is private: "+message, notFoundHint, nil)

	case status == http.StatusForbidden:
		return fail(KindNotFound, status, "access to the repository was denied: "+message,
			"check that HF_TOKEN belongs to an account with access to this repository", nil)

	case status == http.StatusTooManyRequests || status >= 500:
		return fail(KindUnreachable, status, "the Hub did not serve the request: "+message,
			"the repository could not be verified; retry later", nil)
	}

	return fail(KindUpstream, status, "unexpected answer from the Hub: "+message,
		"check that HF_ENDPOINT points at a Hugging Face Hub", nil)
}

// hubMessage extracts {"error": "..."} from an error body, or quotes the
// start of the body when it has another shape.
func hubMessage(body []byte) string {
	var payload struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(body, &payload); err == nil && payload.Error != "" {
		return printable(payload.Error)
	}
	if len(body) == 0 {
		return "empty body"
	}
	return quoteStart(body)
}

// redact replaces the token in text that came from the network.
func (c *Client) redact(text string) string {
	if c.token == "" {
		return text
	}
	return strings.ReplaceAll(text, c.token, "[redacted]")
}
