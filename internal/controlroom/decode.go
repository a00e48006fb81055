package controlroom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The decoders below accept every response shape that the vendor's guide
// allows or leaves open, and return a *decodeError quoting the start of the
// body for anything else. The fuzz targets in fuzz_test.go check that no
// input makes them panic.

// quoteLimit is how many bytes of an unexpected body an error quotes.
const quoteLimit = 200

// messageLimit is how many bytes of a message that the Control Room wrote
// for people (a JSON message field, a JSON string or a plain-text body) an
// error keeps. It is larger than quoteLimit because such messages often end
// with the advice the user needs, such as "send forceDeployment=true".
const messageLimit = 2048

// maxPlainTextBytes is the longest plain-text body accepted as a status or
// action message; longer text is more likely an HTML error page.
const maxPlainTextBytes = 512

// decodeError is a response body of an unexpected shape.
type decodeError struct {
	what  string // expected content, such as "model list"
	cause error  // reason for the rejection, or nil
	body  []byte
}

func (e *decodeError) Error() string {
	msg := "unexpected " + e.what + " body"
	if e.cause != nil {
		msg += " (" + e.cause.Error() + ")"
	}
	return msg + ": " + quoteBody(e.body)
}

func (e *decodeError) Unwrap() error { return e.cause }

// quoteBody returns the first quoteLimit bytes of body as a Go-quoted string,
// with "…" when cut, or "empty body".
func quoteBody(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return "empty body"
	}
	if len(body) <= quoteLimit {
		return fmt.Sprintf("%q", body)
	}
	cut := body[:quoteLimit]
	for len(cut) > 0 && !utf8.Valid(cut) {
		cut = cut[:len(cut)-1]
	}
	return fmt.Sprintf("%q…", cut)
}

// pageObject is the page shape of a list: content plus optional totals.
type pageObject[T any] struct {
	Content       *[]T   `json:"content"`
	TotalElements *int64 `json:"totalElements"`
	TotalPages    *int   `json:"totalPages"`
	Number        *int   `json:"number"`
	Size          *int   `json:"size"`
}

// decodeModelPage decodes a catalog list that is either a bare JSON array
// of models or a page object with a content array. page and size are the
// requested values, used where the body does not carry them. bare reports a
// bare array, whose totals the client cannot know.
func decodeModelPage(body []byte, page, size int) (result *ModelPage, bare bool, err error) {
	trimmed := bytes.TrimSpace(body)
	switch firstByte(trimmed) {
	case '[':
		var models []Model
		if err := json.Unmarshal(trimmed, &models); err != nil {
			return nil, false, &decodeError{what: "model list", cause: err, body: body}
		}
		result := &ModelPage{Content: nonNilSlice(models), Number: page, Size: size, TotalElements: int64(len(models))}
		if len(models) > 0 {
			result.TotalPages = 1
		}
		return result, true, nil

	case '{':
		var object pageObject[Model]
		if err := json.Unmarshal(trimmed, &object); err != nil {
			return nil, false, &decodeError{what: "model list", cause: err, body: body}
		}
		if object.Content == nil {
			return nil, false, &decodeError{what: "model list", cause: errors.New("object without a content array"), body: body}
		}
		result := &ModelPage{
			Content:       nonNilSlice(*object.Content),
			Number:        valueOr(object.Number, page),
			Size:          valueOr(object.Size, size),
			TotalElements: valueOr(object.TotalElements, int64(len(*object.Content))),
		}
		result.TotalPages = valueOr(object.TotalPages, pagesFor(result.TotalElements, result.Size))
		return result, false, nil
	}
	return nil, false, &decodeError{what: "model list", cause: errors.New("neither a JSON array nor a page object"), body: body}
}

// decodeDeploymentList decodes the deployments list: a bare JSON array or a
// page object with a content array.
func decodeDeploymentList(body []byte) ([]Deployment, error) {
	trimmed := bytes.TrimSpace(body)
	switch firstByte(trimmed) {
	case '[':
		var deployments []Deployment
		if err := json.Unmarshal(trimmed, &deployments); err != nil {
			return nil, &decodeError{what: "deployment list", cause: err, body: body}
		}
		return nonNilSlice(deployments), nil

	case '{':
		var object pageObject[Deployment]
		if err := json.Unmarshal(trimmed, &object); err != nil {
			return nil, &decodeError{what: "deployment list", cause: err, body: body}
		}
		if object.Content == nil {
			return nil, &decodeError{what: "deployment list", cause: errors.New("object without a content array"), body: body}
		}
		// NOTE: the guide documents no paging for this endpoint, so a page
		// object is taken as the whole list even if it reports more pages.
		return nonNilSlice(*object.Content), nil
	}
	return nil, &decodeError{what: "deployment list", cause: errors.New("neither a JSON array nor a page object"), body: body}
}

// decodeModel decodes one model record, which must be a JSON object with a
// non-empty id.
func decodeModel(body []byte) (*Model, error) {
	trimmed := bytes.TrimSpace(body)
	if firstByte(trimmed) != '{' {
		return nil, &decodeError{what: "model record", cause: errors.New("not a JSON object"), body: body}
	}
	var model Model
	if err := json.Unmarshal(trimmed, &model); err != nil {
		return nil, &decodeError{what: "model record", cause: err, body: body}
	}
	if model.ID == "" {
		return nil, &decodeError{what: "model record", cause: errors.New("no id"), body: body}
	}
	return &model, nil
}

// decodeDeploymentID decodes the body of a successful deploy. The guide
// documents plain text; a JSON string and an object with a deploymentId
// field are accepted too. The id must have the shape ValidateDeploymentID
// accepts, so a garbled body is never taken for an id.
func decodeDeploymentID(body []byte) (string, error) {
	trimmed := bytes.TrimSpace(body)
	var id string
	switch firstByte(trimmed) {
	case '"':
		if err := json.Unmarshal(trimmed, &id); err != nil {
			return "", &decodeError{what: "deploy", cause: err, body: body}
		}
	case '{':
		var object struct {
			DeploymentID *string `json:"deploymentId"`
		}
		if err := json.Unmarshal(trimmed, &object); err != nil {
			return "", &decodeError{what: "deploy", cause: err, body: body}
		}
		if object.DeploymentID == nil {
			return "", &decodeError{what: "deploy", cause: errors.New("object without deploymentId"), body: body}
		}
		id = *object.DeploymentID
	default:
		id = string(trimmed)
		if id == "null" || id == "true" || id == "false" {
			return "", &decodeError{what: "deploy", cause: errors.New("a JSON literal, not a deployment id"), body: body}
		}
	}

	id = strings.TrimSpace(id)
	if err := ValidateDeploymentID(id); err != nil {
		return "", &decodeError{what: "deploy", cause: errors.New("no valid deployment id"), body: body}
	}
	return id, nil
}

// decodeDeploymentStatus decodes the body of deployment-status: a deployment
// object, a status as plain text or as a JSON string, or an empty body (an
// unknown status). deploymentID fills the id when the body does not carry it.
func decodeDeploymentStatus(body []byte, deploymentID string) (*Deployment, error) {
	trimmed := bytes.TrimSpace(body)
	switch firstByte(trimmed) {
	case 0:
		return &Deployment{DeploymentID: deploymentID}, nil
	case '{':
		var deployment Deployment
		if err := json.Unmarshal(trimmed, &deployment); err != nil {
			return nil, &decodeError{what: "deployment status", cause: err, body: body}
		}
		if deployment.DeploymentID == "" {
			deployment.DeploymentID = deploymentID
		}
		return &deployment, nil
	}

	text, err := plainText(trimmed)
	if err != nil {
		return nil, &decodeError{what: "deployment status", cause: err, body: body}
	}
	return &Deployment{DeploymentID: deploymentID, Status: text}, nil
}

// decodeActionResult decodes the body of pause or cancel: empty, plain text,
// a JSON string, or a JSON object. An object with deploymentId or status is
// a deployment; a message, result or status string becomes Message.
func decodeActionResult(body []byte) (*ActionResult, error) {
	trimmed := bytes.TrimSpace(body)
	switch firstByte(trimmed) {
	case 0:
		return &ActionResult{}, nil
	case '{':
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &fields); err != nil {
			return nil, &decodeError{what: "action", cause: err, body: body}
		}
		result := &ActionResult{Message: firstString(fields, "message", "result", "detail")}
		_, hasID := fields["deploymentId"]
		_, hasStatus := fields["status"]
		if hasID || hasStatus {
			var deployment Deployment
			if err := json.Unmarshal(trimmed, &deployment); err != nil {
				return nil, &decodeError{what: "action", cause: err, body: body}
			}
			result.Deployment = &deployment
		}
		return result, nil
	}

	text, err := plainText(trimmed)
	if err != nil {
		return nil, &decodeError{what: "action", cause: err, body: body}
	}
	return &ActionResult{Message: text}, nil
}

// errorMessage extracts a readable message from an error response: the
// message, detail, error or title field of a JSON object, a JSON string or
// a plain-text body, cut to messageLimit bytes; the text of an HTML page or
// the start of any other body, cut to quoteLimit bytes; or "" for an empty
// body. Control characters become spaces.
func errorMessage(body []byte) string {
	trimmed := bytes.TrimSpace(body)
	switch firstByte(trimmed) {
	case '{':
		var fields map[string]json.RawMessage
		if json.Unmarshal(trimmed, &fields) == nil {
			if msg := firstString(fields, "message", "detail", "error_description", "error", "title"); msg != "" {
				return cleanText(msg, messageLimit)
			}
		}
		return cleanText(string(trimmed), quoteLimit)

	case '"':
		var msg string
		if json.Unmarshal(trimmed, &msg) == nil {
			return cleanText(msg, messageLimit)
		}
		return cleanText(string(trimmed), quoteLimit)

	case '[':
		return cleanText(string(trimmed), quoteLimit)
	}
	if htmlTags.Match(trimmed) {
		return cleanText(htmlTags.ReplaceAllString(string(trimmed), " "), quoteLimit)
	}
	return cleanText(string(trimmed), messageLimit)
}

var htmlTags = regexp.MustCompile(`<[^>]*>`)

// wrongOriginBody matches the "Cannot POST /path" body that a web server
// returns for a path it does not route, as text or inside an HTML page.
var wrongOriginBody = regexp.MustCompile(`Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /`)

// isWrongOrigin reports whether a 404 body shows that the path is not routed
// at all, which means the base URL is wrong rather than the id.
func isWrongOrigin(body []byte) bool {
	head := body
	if len(head) > 4096 {
		head = head[:4096]
	}
	return wrongOriginBody.Match(head)
}

// plainText accepts a short single-line text body that is not JSON or HTML.
func plainText(trimmed []byte) (string, error) {
	switch {
	case len(trimmed) > maxPlainTextBytes:
		return "", fmt.Errorf("text longer than %d bytes", maxPlainTextBytes)
	case firstByte(trimmed) == '"':
		var text string
		if err := json.Unmarshal(trimmed, &text); err != nil {
			return "", err
		}
		trimmed = []byte(strings.TrimSpace(text))
	case firstByte(trimmed) == '[' || firstByte(trimmed) == '<':
		return "", errors.New("neither a JSON object nor plain text")
	}
	if !utf8.Valid(trimmed) {
		return "", errors.New("text is not UTF-8")
	}
	for _, r := range string(trimmed) {
		if unicode.IsControl(r) {
			return "", errors.New("text contains control characters or several lines")
		}
	}
	return string(trimmed), nil
}

// cleanText collapses whitespace, drops control characters and invalid
// UTF-8, and cuts the result to limit bytes, adding "…" when it cuts.
func cleanText(text string, limit int) string {
	text = strings.ToValidUTF8(text, "")
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, text)
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= limit {
		return text
	}
	cut := text[:limit]
	for !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cut + "…"
}

// firstString returns the first of keys whose value is a non-empty JSON
// string.
func firstString(fields map[string]json.RawMessage, keys ...string) string {
	for _, key := range keys {
		var value string
		if raw, ok := fields[key]; ok && json.Unmarshal(raw, &value) == nil && value != "" {
			return value
		}
	}
	return ""
}

func firstByte(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func valueOr[T any](p *T, fallback T) T {
	if p == nil {
		return fallback
	}
	return *p
}

func pagesFor(total int64, size int) int {
	if size <= 0 || total <= 0 {
		return 0
	}
	return int((total + int64(size) - 1) / int64(size))
}
