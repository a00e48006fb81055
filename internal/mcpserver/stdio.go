package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// DefaultDrainTimeout bounds how long ServeStdio waits, after stdin closes,
// for the responses to requests that are still running.
const DefaultDrainTimeout = 30 * time.Second

// ServeStdio serves mcpServer over newline-delimited JSON-RPC on in and out
// until in reaches EOF or ctx is canceled, and returns nil in both cases.
// Only protocol messages are written to out; errors go to logger. Lines may
// be of any length and may end in CRLF. When in closes, requests that are
// still running get their responses before ServeStdio returns, for up to
// drainTimeout.
func ServeStdio(ctx context.Context, mcpServer *server.MCPServer, in io.Reader, out io.Writer, logger *slog.Logger, drainTimeout time.Duration) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if drainTimeout <= 0 {
		drainTimeout = DefaultDrainTimeout
	}

	pending := &pendingRequests{}
	input := &countingReader{in: in, pending: pending, ctx: ctx, drainTimeout: drainTimeout, logger: logger}
	output := &countingWriter{out: out, pending: pending}

	stdio := server.NewStdioServer(mcpServer)
	stdio.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))

	logger.Info("serving MCP over stdio")
	err := stdio.Listen(ctx, input, output)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	logger.Info("stdio session ended")
	return nil
}

// pendingRequests counts JSON-RPC requests read from the client that have
// no response yet.
type pendingRequests struct {
	mu      sync.Mutex
	count   int
	changed chan struct{}
}

func (p *pendingRequests) add(delta int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.count = max(p.count+delta, 0)
	if p.changed != nil {
		close(p.changed)
		p.changed = nil
	}
}

// wait blocks until no request is pending, ctx is done or timeout passes,
// and returns how many requests were still pending.
func (p *pendingRequests) wait(ctx context.Context, timeout time.Duration) int {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		count := p.count
		if count == 0 {
			p.mu.Unlock()
			return 0
		}
		if p.changed == nil {
			p.changed = make(chan struct{})
		}
		changed := p.changed
		p.mu.Unlock()

		select {
		case <-changed:
		case <-ctx.Done():
			return count
		case <-deadline.C:
			return count
		}
	}
}

// countingReader passes the client's input through, counts the requests in
// it, and holds back EOF until those requests have responses. Without this, the
// SDK cancels every running call as soon as stdin closes, so a client that
// writes its requests and closes stdin would get no responses.
type countingReader struct {
	in           io.Reader
	pending      *pendingRequests
	ctx          context.Context
	drainTimeout time.Duration
	logger       *slog.Logger
	line         []byte
}

func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.in.Read(p)
	r.scan(p[:n])
	if !errors.Is(err, io.EOF) {
		return n, err
	}

	// The SDK drops a last line without a newline, so one is added. The
	// underlying reader returns EOF again on the next call.
	if len(r.line) > 0 {
		if n < len(p) {
			p[n] = '\n'
			r.scan(p[n : n+1])
			n++
		}
		return n, nil
	}

	if left := r.pending.wait(r.ctx, r.drainTimeout); left > 0 {
		r.logger.Warn("stdin closed with requests still running; they are canceled", "pending", left)
	}
	return n, err
}

func (r *countingReader) scan(chunk []byte) {
	for len(chunk) > 0 {
		newline := bytes.IndexByte(chunk, '\n')
		if newline < 0 {
			r.line = append(r.line, chunk...)
			return
		}
		r.line = append(r.line, chunk[:newline]...)
		if isRequest(r.line) {
			r.pending.add(1)
		}
		r.line = r.line[:0]
		chunk = chunk[newline+1:]
	}
}

// countingWriter passes the server's output through, counts the responses
// in it and fixes the codes of prefixed errors (see rewriteErrorCodes).
type countingWriter struct {
	out     io.Writer
	pending *pendingRequests
	mu      sync.Mutex
	line    []byte
}

func (w *countingWriter) Write(p []byte) (int, error) {
	// The SDK writes each message with one call, so a code prefix never
	// spans two writes; the rewrite keeps the length.
	if bytes.Contains(p, internalErrorCode) {
		p = rewriteErrorCodes(bytes.Clone(p))
	}
	n, err := w.out.Write(p)

	w.mu.Lock()
	defer w.mu.Unlock()
	chunk := p[:n]
	for len(chunk) > 0 {
		newline := bytes.IndexByte(chunk, '\n')
		if newline < 0 {
			w.line = append(w.line, chunk...)
			break
		}
		w.line = append(w.line, chunk[:newline]...)
		if isResponse(w.line) {
			w.pending.add(-1)
		}
		w.line = w.line[:0]
		chunk = chunk[newline+1:]
	}
	return n, err
}

type envelope struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
}

func decodeEnvelope(line []byte) (envelope, bool) {
	var message envelope
	if len(bytes.TrimSpace(line)) == 0 || json.Unmarshal(line, &message) != nil {
		return envelope{}, false
	}
	return message, true
}

func isRequest(line []byte) bool {
	message, ok := decodeEnvelope(line)
	return ok && message.Method != "" && len(message.ID) > 0 && string(message.ID) != "null"
}

// isResponse reports whether a line of the SDK's output is a response. The
// line is the SDK's own encoding, so scanEnvelope reads it without decoding
// the result.
func isResponse(line []byte) bool {
	message, ok := scanEnvelope(line)
	return ok && message.Method == "" && len(message.ID) > 0 && string(message.ID) != "null"
}
