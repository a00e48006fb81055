package simulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// faultClient returns a client that opens a new connection per request, so
// net/http never retries a request on a dropped reused connection.
func faultClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
}

// send sends one request and returns the response with its body read, or
// the error of the request or of reading the body.
func (h *harness) send(method, path, body string) (response, error) {
	h.t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.base+path, reader)
	require.NoError(h.t, err)
	req.Header.Set("Authorization", "Bearer "+testToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}

	resp, err := faultClient().Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: data}, err
}

const registerPath = "/management/v0/models/register"

func registerBody(name string) string {
	return `{"name":"` + name + `","type":"base","isFineTuned":false,"numberOfParams":"7000000000"}`
}

func TestFaultServerError(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	h.sim.SetFaults(Faults{Next: []Fault{FaultServerError}})

	resp, err := h.send(http.MethodPost, registerPath, registerBody("org/a"))

	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.status)
	assert.Contains(t, errorMessage(t, resp), "temporarily unavailable")
	assert.Zero(t, h.sim.Stats().RegistrationsCreated, "a 503 fault does not process the request")
	assert.EqualValues(t, 1, h.sim.Stats().Faults[FaultServerError])

	next, err := h.send(http.MethodPost, registerPath, registerBody("org/a"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, next.status, "one-shot faults apply once")
}

func TestFaultRateLimit(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	h.sim.SetFaults(Faults{Next: []Fault{FaultRateLimit, FaultRateLimit}, RetryAfter: 2500 * time.Millisecond})

	resp, err := h.send(http.MethodGet, "/management/v0/models", "")

	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.status)
	assert.Equal(t, "3", resp.header.Get("Retry-After"))
	assert.Contains(t, errorMessage(t, resp), "retry after 3 seconds")

	h.sim.SetFaults(Faults{Next: []Fault{FaultRateLimit}})
	defaulted, err := h.send(http.MethodGet, "/management/v0/models", "")
	require.NoError(t, err)
	assert.Equal(t, "1", defaulted.header.Get("Retry-After"))
}

func TestFaultDropBefore(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "7000000000")
	h.sim.SetFaults(Faults{Next: []Fault{FaultDropBefore}})

	_, err := h.send(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", `{"forceDeployment":true}`)

	require.Error(t, err)
	assert.Empty(t, h.sim.Deployments(), "the dropped deploy was not processed")
	assert.EqualValues(t, 1, h.sim.Stats().Faults[FaultDropBefore])
}

func TestFaultDropAfter(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "7000000000")
	h.sim.SetFaults(Faults{Next: []Fault{FaultDropAfter}})

	_, err := h.send(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", `{"forceDeployment":true}`)

	require.Error(t, err)
	deployments := h.sim.Deployments()
	require.Len(t, deployments, 1, "the deploy happened although no response arrived")
	assert.Equal(t, modelID, deployments[0].ModelID)
	assert.EqualValues(t, 1, h.sim.Stats().DeploymentsCreated)
	assert.EqualValues(t, 1, h.sim.Stats().Faults[FaultDropAfter])
}

func TestFaultServerErrorAfter(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	h.sim.SetFaults(Faults{Next: []Fault{FaultServerErrorAfter}})

	resp, err := h.send(http.MethodPost, registerPath, registerBody("org/a"))

	require.NoError(t, err)
	assert.Equal(t, http.StatusInternalServerError, resp.status)
	assert.EqualValues(t, 1, h.sim.Stats().RegistrationsCreated, "the request was processed before the 500")

	retry, err := h.send(http.MethodPost, registerPath, registerBody("org/a"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusConflict, retry.status)
}

func TestFaultMalformed(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "7000000000")
	h.sim.SetFaults(Faults{Next: []Fault{FaultMalformed, FaultMalformed}})

	record, err := h.send(http.MethodGet, "/management/v0/models/"+modelID, "")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, record.status)
	assert.False(t, json.Valid(record.body), "body: %q", record.body)

	deployed, err := h.send(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", `{"forceDeployment":true}`)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, deployed.status)
	assert.NotRegexp(t, `^model-[a-z0-9-]+-[0-9a-f]{12}$`, string(deployed.body))
	assert.Len(t, h.sim.Deployments(), 1)
	assert.EqualValues(t, 2, h.sim.Stats().Faults[FaultMalformed])
}

func TestFaultTruncated(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, Seed: true})
	h.sim.SetFaults(Faults{Next: []Fault{FaultTruncated}})

	resp, err := h.send(http.MethodGet, "/management/v0/models?page=0&size=50", "")

	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, http.StatusOK, resp.status)
	assert.False(t, json.Valid(resp.body))
	assert.EqualValues(t, 1, h.sim.Stats().Faults[FaultTruncated])
}

func TestFaultLatencyAndSlowBody(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, Seed: true})
	h.sim.SetFaults(Faults{Latency: 100 * time.Millisecond, SlowBody: 200 * time.Millisecond})

	started := time.Now()
	resp, err := h.send(http.MethodGet, "/management/v0/models?page=0&size=50", "")
	elapsed := time.Since(started)

	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.status)
	assert.True(t, json.Valid(resp.body), "a slow body arrives complete")
	assert.GreaterOrEqual(t, elapsed, 300*time.Millisecond)
	stats := h.sim.Stats()
	assert.EqualValues(t, 1, stats.Faults[FaultLatency])
	assert.EqualValues(t, 1, stats.Faults[FaultSlowBody])
}

func TestFaultMatchAndNone(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "7000000000")
	h.sim.SetFaults(Faults{
		Match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/deploy") },
		Next:  []Fault{FaultNone, FaultServerError},
	})

	listed, err := h.send(http.MethodGet, "/management/v0/models", "")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, listed.status, "unmatched requests pass")

	first, err := h.send(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", `{"forceDeployment":true}`)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, first.status, "FaultNone lets the first deploy through")

	second, err := h.send(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", `{"forceDeployment":true}`)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, second.status)

	h.sim.SetFaults(Faults{})
	third, err := h.send(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", `{"forceDeployment":true}`)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, third.status, "an empty plan turns faults off")
}

func TestFaultRatesDeterministic(t *testing.T) {
	plan := Faults{ServerErrorRate: 0.3, RateLimitRate: 0.2, Seed: 42}
	sequence := func() []int {
		h := newHarness(t, Options{Token: testToken})
		h.sim.SetFaults(plan)
		var statuses []int
		for range 40 {
			resp, err := h.send(http.MethodGet, "/management/v0/models", "")
			require.NoError(t, err)
			statuses = append(statuses, resp.status)
		}
		return statuses
	}

	first := sequence()
	assert.Equal(t, first, sequence(), "the same seed gives the same faults")

	counts := map[int]int{}
	for _, status := range first {
		counts[status]++
	}
	assert.Positive(t, counts[http.StatusOK])
	assert.Positive(t, counts[http.StatusServiceUnavailable])
	assert.Positive(t, counts[http.StatusTooManyRequests])
	assert.Equal(t, 40, counts[http.StatusOK]+counts[http.StatusServiceUnavailable]+counts[http.StatusTooManyRequests])
}

func TestFaultRateOneAlwaysFaults(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	h.sim.SetFaults(Faults{DropBeforeRate: 1})
	for range 5 {
		_, err := h.send(http.MethodPost, registerPath, registerBody("org/a"))
		require.Error(t, err)
	}
	assert.Zero(t, h.sim.Stats().RegistrationsCreated)
	assert.EqualValues(t, 5, h.sim.Stats().Faults[FaultDropBefore])
	assert.EqualValues(t, 5, h.sim.Stats().Requests[EndpointRegisterModel])
}

func TestDrawFaultOrder(t *testing.T) {
	plan := Faults{DropBeforeRate: 0.1, ServerErrorRate: 0.1, RateLimitRate: 0.1, DropAfterRate: 0.1,
		ServerErrorAfterRate: 0.1, MalformedRate: 0.1, TruncatedRate: 0.1}
	want := []Fault{FaultDropBefore, FaultServerError, FaultRateLimit, FaultDropAfter,
		FaultServerErrorAfter, FaultMalformed, FaultTruncated, FaultNone}
	for i, fault := range want {
		assert.Equal(t, fault, drawFault(plan, float64(i)*0.1+0.05), "draw %d", i)
	}
}

func TestFaultsOverHTTP2(t *testing.T) {
	sim := New(Options{Token: testToken, Clock: NewManualClock(testStart), Seed: true})
	server := httptest.NewUnstartedServer(sim)
	server.EnableHTTP2 = true
	server.StartTLS()
	t.Cleanup(server.Close)

	for _, fault := range []Fault{FaultDropBefore, FaultDropAfter, FaultTruncated} {
		t.Run(string(fault), func(t *testing.T) {
			sim.SetFaults(Faults{Next: []Fault{fault}})
			req, err := http.NewRequest(http.MethodGet, server.URL+"/api/management/v0/models?page=0&size=50", nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+testToken)

			resp, err := server.Client().Do(req)
			if err == nil {
				assert.Equal(t, 2, resp.ProtoMajor)
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			assert.Error(t, err)
			assert.EqualValues(t, 1, sim.Stats().Faults[fault])
		})
	}
}
