package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// newHTTPClient returns a client that keeps up to sessions connections to
// the server alive, one per concurrent session.
func newHTTPClient(sessions int) *http.Client {
	transport := &http.Transport{
		MaxIdleConns:        sessions + 16,
		MaxIdleConnsPerHost: sessions + 16,
		IdleConnTimeout:     30 * time.Second,
	}
	return &http.Client{Transport: transport, Timeout: 30 * time.Second}
}

// httpSession is one 2025-era MCP session over streamable HTTP.
type httpSession struct {
	client    *http.Client
	endpoint  string
	sessionID string
	nextID    atomic.Int64
}

// openSession runs the initialize handshake and returns the session.
func openSession(ctx context.Context, client *http.Client, endpoint string) (*httpSession, error) {
	s := &httpSession{client: client, endpoint: endpoint}
	body, header, err := s.post(ctx, initializeRequest(1))
	if err != nil {
		return nil, fmt.Errorf("initialize: %w", err)
	}
	if _, err := checkResponse(body); err != nil {
		return nil, fmt.Errorf("initialize: %w", err)
	}
	s.sessionID = header.Get("Mcp-Session-Id")
	if s.sessionID == "" {
		return nil, errors.New("initialize: the response has no Mcp-Session-Id header")
	}
	if _, _, err := s.post(ctx, initializedNotification()); err != nil {
		return nil, fmt.Errorf("notifications/initialized: %w", err)
	}
	s.nextID.Store(1)
	return s, nil
}

// call runs one tools/call and returns its latency.
func (s *httpSession) call(ctx context.Context, tool string, arguments map[string]any) (time.Duration, []byte, error) {
	message := callRequest(int(s.nextID.Add(1)), tool, arguments)
	started := time.Now()
	body, _, err := s.post(ctx, message)
	elapsed := time.Since(started)
	if err != nil {
		return 0, nil, err
	}
	if _, err := checkResponse(body); err != nil {
		return 0, nil, fmt.Errorf("%s: %w", tool, err)
	}
	return elapsed, body, nil
}

// close ends the session on the server.
func (s *httpSession) close(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, s.endpoint, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Mcp-Session-Id", s.sessionID)
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// post sends one message and returns the JSON-RPC response it got, taken
// from the JSON body or from the first data line of an SSE stream.
func (s *httpSession) post(ctx context.Context, message []byte) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, bytes.NewReader(message))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if s.sessionID != "" {
		req.Header.Set("Mcp-Session-Id", s.sessionID)
		req.Header.Set("Mcp-Protocol-Version", legacyProtocol)
	}

	resp, err := s.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("read the response body: %w", err)
	}
	if resp.StatusCode == http.StatusAccepted {
		return nil, resp.Header, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, body)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		body, err = firstEventData(body)
	}
	return body, resp.Header, err
}

// firstEventData returns the data of the first SSE event that carries a
// JSON-RPC response.
func firstEventData(stream []byte) ([]byte, error) {
	for line := range bytes.SplitSeq(stream, []byte("\n")) {
		data, ok := bytes.CutPrefix(bytes.TrimRight(line, "\r"), []byte("data:"))
		if ok && bytes.Contains(data, []byte(`"id"`)) {
			return bytes.TrimSpace(data), nil
		}
	}
	return nil, fmt.Errorf("SSE stream has no response: %.200s", stream)
}
