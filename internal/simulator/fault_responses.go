package simulator

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// truncatedExtraBytes is how much larger than the real body the declared
// Content-Length of a FaultTruncated response is.
const truncatedExtraBytes = 100

// slowBodyChunks is the number of pieces a FaultSlowBody body is sent in.
const slowBodyChunks = 10

// applyFaultBefore sends the response of a fault that skips processing and
// reports whether it sent one.
func (s *Simulator) applyFaultBefore(w http.ResponseWriter, r *http.Request, fault Fault) bool {
	switch fault {
	case FaultDropBefore:
		dropConnection(w)
		return true

	case FaultServerError:
		writeError(w, http.StatusServiceUnavailable,
			"the Control Room is temporarily unavailable (simulated fault); retry later")
		return true

	case FaultRateLimit:
		s.faultMu.Lock()
		seconds := retryAfterSeconds(s.faults.RetryAfter)
		s.faultMu.Unlock()

		w.Header().Set("Retry-After", strconv.Itoa(seconds))
		writeError(w, http.StatusTooManyRequests,
			fmt.Sprintf("too many requests (simulated fault); retry after %d seconds", seconds))
		return true
	}
	return false
}

// applyFaultAfter sends the handler's response, or the fault that replaces
// or corrupts it.
func (s *Simulator) applyFaultAfter(w http.ResponseWriter, r *http.Request, fault Fault, resp *bufferedResponse, slowBody time.Duration) {
	switch fault {
	case FaultDropAfter:
		dropConnection(w)

	case FaultServerErrorAfter:
		writeError(w, http.StatusInternalServerError,
			"internal server error (simulated fault after the request was processed)")

	case FaultMalformed:
		if resp.statusCode() == http.StatusNoContent {
			resp.status = http.StatusOK
		}
		body := resp.body.Bytes()
		corrupted := append(append([]byte(nil), body[:len(body)/2]...), "\x00<malformed>"...)
		resp.body.Reset()
		resp.body.Write(corrupted)
		s.writeBuffered(w, r, resp, slowBody)

	case FaultTruncated:
		writeTruncated(w, resp)

	default:
		s.writeBuffered(w, r, resp, slowBody)
	}
}

// writeBuffered sends a buffered response, spread over slowBody if it is
// positive.
func (s *Simulator) writeBuffered(w http.ResponseWriter, r *http.Request, resp *bufferedResponse, slowBody time.Duration) {
	for key, values := range resp.header {
		w.Header()[key] = values
	}
	status := resp.statusCode()
	body := resp.body.Bytes()
	if status != http.StatusNoContent && status != http.StatusNotModified {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)

	if slowBody <= 0 {
		_, _ = w.Write(body)
		return
	}

	controller := http.NewResponseController(w)
	if len(body) == 0 {
		_ = controller.Flush()
		s.sleep(r, slowBody)
		return
	}

	chunkSize := (len(body) + slowBodyChunks - 1) / slowBodyChunks
	chunks := (len(body) + chunkSize - 1) / chunkSize
	pause := slowBody / time.Duration(chunks)
	for sent := 0; sent < len(body); sent += chunkSize {
		if !s.sleep(r, pause) {
			return
		}
		_, _ = w.Write(body[sent:min(sent+chunkSize, len(body))])
		_ = controller.Flush()
	}
}

// writeTruncated declares a Content-Length larger than the body, sends half
// of the body and closes the connection.
func writeTruncated(w http.ResponseWriter, resp *bufferedResponse) {
	status := resp.statusCode()
	if status == http.StatusNoContent {
		status = http.StatusOK
	}
	body := resp.body.Bytes()
	declared := len(body) + truncatedExtraBytes

	conn, buffered, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 cannot hijack; aborting resets the stream mid-body.
		for key, values := range resp.header {
			w.Header()[key] = values
		}
		w.Header().Set("Content-Length", strconv.Itoa(declared))
		w.WriteHeader(status)
		_, _ = w.Write(body[:len(body)/2])
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()

	fmt.Fprintf(buffered, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	resp.header.Set("Content-Length", strconv.Itoa(declared))
	resp.header.Set("Connection", "close")
	_ = resp.header.Write(buffered)
	fmt.Fprint(buffered, "\r\n")
	_, _ = buffered.Write(body[:len(body)/2])
	_ = buffered.Flush()
}

// dropConnection closes the client's connection without a response.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 cannot hijack; aborting resets the stream.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// sleep waits d of real time and reports false when the client went away
// first.
func (s *Simulator) sleep(r *http.Request, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
