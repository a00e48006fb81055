package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// MaxBodyBytes is the largest request body the simulator reads. Larger
// bodies get 413.
const MaxBodyBytes = 1 << 20

// readJSONObject reads r's body as one JSON object. On failure it writes the
// error response (415, 413 or 400) and returns false.
func readJSONObject(w http.ResponseWriter, r *http.Request) (jsonObject, bool) {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mediaType != "application/json" && !strings.HasSuffix(mediaType, "+json")) {
		writeError(w, http.StatusUnsupportedMediaType,
			fmt.Sprintf("Content-Type %q is not supported: send the body as JSON with Content-Type: application/json", r.Header.Get("Content-Type")))
		return nil, false
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge,
				fmt.Sprintf("request body is larger than %d bytes", MaxBodyBytes))
			return nil, false
		}
		writeError(w, http.StatusBadRequest, "reading the request body failed: "+err.Error())
		return nil, false
	}

	if len(bytes.TrimSpace(body)) == 0 {
		writeError(w, http.StatusBadRequest, "request body is empty: send a JSON object")
		return nil, false
	}
	if kind := jsonKind(body); kind != "object" && json.Valid(body) {
		writeError(w, http.StatusBadRequest, "request body must be a JSON object, got "+kind)
		return nil, false
	}

	var object jsonObject
	decoder := json.NewDecoder(bytes.NewReader(body))
	if err := decoder.Decode(&object); err != nil {
		writeError(w, http.StatusBadRequest, "request body is not a valid JSON object: "+err.Error())
		return nil, false
	}
	if _, err := decoder.Token(); err != io.EOF {
		writeError(w, http.StatusBadRequest, "request body has data after the JSON object")
		return nil, false
	}
	return object, true
}

// jsonObject is a decoded JSON object whose fields are decoded on demand.
// Field errors accumulate in a fieldErrors so one response lists them all.
type jsonObject map[string]json.RawMessage

// fieldErrors collects validation messages for one request body.
type fieldErrors []string

func (e *fieldErrors) add(format string, args ...any) {
	*e = append(*e, fmt.Sprintf(format, args...))
}

func (e fieldErrors) message() string {
	return strings.Join(e, "; ")
}

// lookup returns a field's raw value and whether it is present and not null.
func (o jsonObject) lookup(name string) (json.RawMessage, bool) {
	raw, ok := o[name]
	if !ok || jsonKind(raw) == "null" {
		return nil, false
	}
	return raw, true
}

// isNull reports whether the field is present with the value null.
func (o jsonObject) isNull(name string) bool {
	raw, ok := o[name]
	return ok && jsonKind(raw) == "null"
}

// stringField decodes a string field. It returns nil when the field is
// absent or null.
func (o jsonObject) stringField(name string, errs *fieldErrors) *string {
	raw, ok := o.lookup(name)
	if !ok {
		return nil
	}
	var value string
	if err := json.Unmarshal(raw, &value); err != nil {
		errs.add("field %q must be a string, got %s", name, jsonKind(raw))
		return nil
	}
	return &value
}

// boolField decodes a boolean field. It returns nil when the field is absent
// or null.
func (o jsonObject) boolField(name string, errs *fieldErrors) *bool {
	raw, ok := o.lookup(name)
	if !ok {
		return nil
	}
	var value bool
	if err := json.Unmarshal(raw, &value); err != nil {
		errs.add("field %q must be a boolean, got %s", name, jsonKind(raw))
		return nil
	}
	return &value
}

// numberField decodes a number field. It returns nil when the field is
// absent or null.
func (o jsonObject) numberField(name string, errs *fieldErrors) *float64 {
	raw, ok := o.lookup(name)
	if !ok {
		return nil
	}
	var value float64
	if err := json.Unmarshal(raw, &value); err != nil {
		errs.add("field %q must be a number, got %s", name, jsonKind(raw))
		return nil
	}
	return &value
}

// integerField decodes an integer field. It returns nil when the field is
// absent or null.
func (o jsonObject) integerField(name string, errs *fieldErrors) *int {
	raw, ok := o.lookup(name)
	if !ok {
		return nil
	}
	var value int
	if err := json.Unmarshal(raw, &value); err != nil {
		errs.add("field %q must be an integer, got %s %s", name, jsonKind(raw), abbreviate(string(raw)))
		return nil
	}
	return &value
}

// objectField returns an object field's raw JSON, or nil when the field is
// absent or null.
func (o jsonObject) objectField(name string, errs *fieldErrors) json.RawMessage {
	raw, ok := o.lookup(name)
	if !ok {
		return nil
	}
	if jsonKind(raw) != "object" {
		errs.add("field %q must be an object, got %s", name, jsonKind(raw))
		return nil
	}
	return append(json.RawMessage(nil), raw...)
}

// jsonKind names the JSON type of a raw value.
func jsonKind(raw json.RawMessage) string {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return "nothing"
	}
	switch trimmed[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// abbreviate shortens a value for an error message.
func abbreviate(s string) string {
	const maxLength = 200
	if len(s) <= maxLength {
		return s
	}
	return s[:maxLength] + "..."
}
