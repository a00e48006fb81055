package simulator

import (
	"bytes"
	"encoding/json"
	"net/http"
)

const (
	contentTypeJSON = "application/json; charset=utf-8"
	contentTypeText = "text/plain; charset=utf-8"
)

// errorBody is the simulator's JSON error shape, the one NestJS uses:
// {"statusCode":409,"error":"Conflict","message":"..."}. The vendor's guide
// does not show error bodies.
type errorBody struct {
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error"`
	Message    string `json:"message"`
}

// writeError sends a JSON error with the status's reason phrase.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, errorBody{
		StatusCode: status,
		Error:      http.StatusText(status),
		Message:    message,
	})
}

// writeJSON sends v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Every value passed here is built from plain fields, so this is a
		// bug in the simulator.
		http.Error(w, "encoding the response failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentTypeJSON)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeText sends a plain-text body.
func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", contentTypeText)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(text))
}

// writeCannot sends Express's 404 for a path or method that no route
// serves: "Cannot POST /api/whatever" as plain text. A client whose base
// URL lacks the /api prefix gets this response.
func writeCannot(w http.ResponseWriter, r *http.Request) {
	writeText(w, http.StatusNotFound, "Cannot "+r.Method+" "+r.URL.EscapedPath())
}

// bufferedResponse is an http.ResponseWriter that keeps the whole response
// in memory, so faults can drop, replace or corrupt it after the handler ran.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedResponse() *bufferedResponse {
	return &bufferedResponse{header: make(http.Header)}
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// statusCode returns the status the handler set, 200 when it set none.
func (b *bufferedResponse) statusCode() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}
