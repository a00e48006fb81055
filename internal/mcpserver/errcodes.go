package mcpserver

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// mcp-go v1.2.1 turns every error that a resource or prompt handler
// returns into -32603 internal error. The handlers here start the message
// of an error that is the caller's fault with one of these prefixes, and
// the transports rewrite the code of such a response on its way out
// (fixErrorCodes for HTTP, countingWriter for stdio). The rewrite swaps
// six bytes for six, so a Content-Length already set stays right.
const (
	// resourceNotFoundPrefix starts a resources/read error for a model or
	// deployment that the Control Room does not know: -32002.
	resourceNotFoundPrefix = "resource not found: "
	// invalidParamsPrefix starts an error about the request's parameters:
	// -32602.
	invalidParamsPrefix = "invalid params: "
)

// codeRewrites maps the encoded start of a -32603 error with a prefix to
// the same bytes with the right code.
var codeRewrites = [][2][]byte{
	{[]byte(`"code":-32603,"message":"` + resourceNotFoundPrefix), []byte(`"code":-32002,"message":"` + resourceNotFoundPrefix)},
	{[]byte(`"code":-32603,"message":"` + invalidParamsPrefix), []byte(`"code":-32602,"message":"` + invalidParamsPrefix)},
}

var internalErrorCode = []byte(`"code":-32603,`)

// rewriteErrorCodes returns data with the code of each prefixed -32603
// error replaced. data is one or more encoded messages, or SSE events that
// carry them; it is changed in place.
func rewriteErrorCodes(data []byte) []byte {
	if !bytes.Contains(data, internalErrorCode) {
		return data
	}
	for _, rewrite := range codeRewrites {
		for start := 0; ; {
			at := bytes.Index(data[start:], rewrite[0])
			if at < 0 {
				break
			}
			copy(data[start+at:], rewrite[1])
			start += at + len(rewrite[0])
		}
	}
	return data
}

// notFoundError returns the error of a resources/read for uri whose record
// the Control Room does not have, with the code that the client's protocol
// uses for it: -32002 before 2026-07-28, -32602 since, as mcp-go does for
// a URI that matches no template.
func notFoundError(ctx context.Context, uri string, err error) error {
	if mcp.IsModernProtocol(server.RequestProtocolVersion(ctx)) {
		return fmt.Errorf("%sresource %s not found: %w", invalidParamsPrefix, uri, err)
	}
	return fmt.Errorf("%s%s: %w", resourceNotFoundPrefix, uri, err)
}

// invalidParams returns err as an error that reaches the client as -32602.
func invalidParams(err error) error {
	return fmt.Errorf("%s%w", invalidParamsPrefix, err)
}

// fixErrorCodes rewrites the codes of prefixed errors in the responses of
// the streamable HTTP transport, JSON and SSE alike.
func (s *HTTPServer) fixErrorCodes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&codeFixingWriter{ResponseWriter: w}, r)
	})
}

// codeFixingWriter passes a response through and rewrites the codes in
// each chunk. mcp-go writes each JSON response and each SSE event with one
// Write call, so a prefix never spans two chunks.
type codeFixingWriter struct {
	http.ResponseWriter
}

func (w *codeFixingWriter) Write(data []byte) (int, error) {
	if bytes.Contains(data, internalErrorCode) {
		data = rewriteErrorCodes(bytes.Clone(data))
	}
	return w.ResponseWriter.Write(data)
}

// Flush lets the SDK stream responses through the wrapper.
func (w *codeFixingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *codeFixingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
