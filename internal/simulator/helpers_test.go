package simulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const testToken = "test-token-5f1c"

var testStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testTimings are the phase durations used with the manual clock.
var testTimings = Timings{
	Scheduling:     10 * time.Second,
	PullingWeights: 60 * time.Second,
	Loading:        30 * time.Second,
}

// harness is a simulator served over real HTTP with a manual clock.
type harness struct {
	t      *testing.T
	sim    *Simulator
	clock  *ManualClock
	server *httptest.Server
	base   string // the client's base URL, ending in /api
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	clock := NewManualClock(testStart)
	if opts.Clock == nil {
		opts.Clock = clock
	}
	if opts.Timings == (Timings{}) {
		opts.Timings = testTimings
	}
	sim := New(opts)
	server := httptest.NewServer(sim)
	t.Cleanup(server.Close)
	return &harness{t: t, sim: sim, clock: clock, server: server, base: server.URL + "/api"}
}

// response is a fully read HTTP response.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request to base+path with the test token and a JSON body when
// body is not nil. A string body is sent as is.
func (h *harness) do(method, path string, body any) response {
	h.t.Helper()
	return h.doWithToken(method, path, body, testToken)
}

func (h *harness) doWithToken(method, path string, body any, token string) response {
	h.t.Helper()
	var reader io.Reader
	if body != nil {
		switch typed := body.(type) {
		case string:
			reader = bytes.NewReader([]byte(typed))
		default:
			encoded, err := json.Marshal(body)
			require.NoError(h.t, err)
			reader = bytes.NewReader(encoded)
		}
	}

	req, err := http.NewRequest(method, h.base+path, reader)
	require.NoError(h.t, err)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}

	resp, err := h.server.Client().Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// decode unmarshals the body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// object unmarshals the body as a JSON object.
func (r response) object(t *testing.T) map[string]any {
	t.Helper()
	var object map[string]any
	r.decode(t, &object)
	return object
}

// register registers a model and returns its id.
func (h *harness) register(name string, modelType string, numberOfParams string) string {
	h.t.Helper()
	resp := h.do(http.MethodPost, "/management/v0/models/register", map[string]any{
		"name":           name,
		"type":           modelType,
		"isFineTuned":    false,
		"numberOfParams": numberOfParams,
		"huggingFaceId":  name,
	})
	require.Equal(h.t, http.StatusCreated, resp.status, "body: %s", resp.body)
	id, _ := resp.object(h.t)["id"].(string)
	require.True(h.t, isUUID(id), "id %q", id)
	return id
}

// deploy deploys a model and returns the deployment id.
func (h *harness) deploy(modelID string, force bool) string {
	h.t.Helper()
	resp := h.do(http.MethodPost, "/management/v0/models/"+modelID+"/deploy",
		map[string]any{"forceDeployment": force, "adapterScale": 1})
	require.Equal(h.t, http.StatusCreated, resp.status, "body: %s", resp.body)
	return string(resp.body)
}

// deploymentStatus returns the status of a deployment from the status
// endpoint.
func (h *harness) deploymentStatus(deploymentID string) map[string]any {
	h.t.Helper()
	resp := h.do(http.MethodGet, "/management/v0/models/"+deploymentID+"/deployment-status", nil)
	require.Equal(h.t, http.StatusOK, resp.status, "body: %s", resp.body)
	return resp.object(h.t)
}

func (h *harness) status(deploymentID string) string {
	h.t.Helper()
	status, _ := h.deploymentStatus(deploymentID)["status"].(string)
	return status
}

// errorMessage returns the message of a JSON error body.
func errorMessage(t *testing.T, r response) string {
	t.Helper()
	require.Equal(t, contentTypeJSON, r.header.Get("Content-Type"), "body: %s", r.body)
	object := r.object(t)
	message, _ := object["message"].(string)
	return message
}
