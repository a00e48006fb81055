package controlroom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const apiRoot = "/api/management/v0"

const sampleDeploymentID = "model-google-gemma-4-12-b-it-420f1c9176bc"

func TestClientSendsHeadersAndQuery(t *testing.T) {
	var seen *http.Request
	var body []byte
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Clone(context.Background())
		body, _ = io.ReadAll(r.Body)
		fmt.Fprint(w, `[]`)
	}), nil)

	_, err := tc.ListModels(context.Background(), 3, 25)
	require.NoError(t, err)

	assert.Equal(t, apiRoot+"/models", seen.URL.Path)
	assert.Equal(t, "3", seen.URL.Query().Get("page"))
	assert.Equal(t, "25", seen.URL.Query().Get("size"))
	assert.Equal(t, "application/json", seen.Header.Get("Accept"))
	assert.Equal(t, "Bearer "+secretToken, seen.Header.Get("Authorization"))
	assert.Equal(t, DefaultUserAgent, seen.Header.Get("User-Agent"))
	assert.Empty(t, seen.Header.Get("Content-Type"), "a GET has no body")
	assert.Empty(t, body)
}

func TestRegisterSendsJSONBody(t *testing.T) {
	var contentType string
	var sent map[string]any
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		contentType = r.Header.Get("Content-Type")
		_ = json.NewDecoder(r.Body).Decode(&sent)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":%q,"name":"google/gemma-4-12B-it","type":"base","isFineTuned":false,"architecture":"gemma3"}`, sampleModelID)
	}), nil)

	result, err := tc.RegisterModel(context.Background(), RegisterModelRequest{
		Name: "google/gemma-4-12B-it", Type: ModelTypeBase, HuggingFaceID: "google/gemma-4-12B-it",
	})
	require.NoError(t, err)

	assert.Equal(t, "application/json", contentType)
	assert.Equal(t, map[string]any{"name": "google/gemma-4-12B-it", "type": "base", "isFineTuned": false, "huggingFaceId": "google/gemma-4-12B-it"}, sent)
	assert.Equal(t, sampleModelID, result.Model.ID)
	assert.False(t, result.AlreadyExisted)
	assert.JSONEq(t, `"gemma3"`, string(result.Model.Extra["architecture"]))
}

func TestListModelsShapes(t *testing.T) {
	bodies := map[string]int{
		`[{"id":"a","name":"x","type":"base"},{"id":"b","name":"y","type":"gguf"}]`:                               2,
		`{"content":[{"id":"a","name":"x","type":"base"}],"totalElements":1,"totalPages":1,"number":0,"size":50}`: 1,
	}
	for body, want := range bodies {
		tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, body)
		}), nil)

		page, err := tc.ListModels(context.Background(), 0, 50)
		require.NoError(t, err)
		assert.Len(t, page.Content, want)
	}
}

func TestListModelsGarbageIsUpstream(t *testing.T) {
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"items":[{"id":"a"}],"more":true}`)
	}), nil)

	_, err := tc.ListModels(context.Background(), 0, 50)

	apiErr := requireKind(t, err, KindUpstream)
	assert.Contains(t, apiErr.Error(), `{\"items\":[{\"id\":\"a\"}]`)
}

func TestPlainTextServerErrorRetriedThenReported(t *testing.T) {
	var calls atomic.Int32
	var retries []int
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "upstream database unavailable", http.StatusBadGateway)
	}), func(cfg *Config) {
		cfg.MaxAttempts = 3
		cfg.OnRetry = func(op string, attempt int, err error) { retries = append(retries, attempt) }
	})

	_, err := tc.GetModel(context.Background(), sampleModelID)

	apiErr := requireKind(t, err, KindUpstream)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, "upstream database unavailable")
	assert.Equal(t, int32(3), calls.Load())
	assert.Equal(t, []int{1, 2}, retries)
	assert.Equal(t, int64(2), tc.Stats().Retries)
	assert.Equal(t, int64(3), tc.Stats().Attempts)
	assert.Contains(t, tc.logs.String(), "retrying Control Room request")
}

func TestServerErrorThenSuccess(t *testing.T) {
	var calls atomic.Int32
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, `{"id":%q,"name":"n","type":"base"}`, sampleModelID)
	}), nil)

	model, err := tc.GetModel(context.Background(), sampleModelID)
	require.NoError(t, err)

	assert.Equal(t, sampleModelID, model.ID)
	assert.Equal(t, int32(2), calls.Load())
}

func TestStatusErrorKinds(t *testing.T) {
	cases := []struct {
		status int
		body   string
		kind   Kind
		wants  []string
	}{
		{404, `{"status":404,"error":"Not Found","message":"model does not exist"}`, KindNotFound, []string{sampleModelID, "list_models", "model does not exist"}},
		{404, "Cannot GET /management/v0/models/" + sampleModelID, KindWrongOrigin, []string{"/api", "https://TENANT.rational.is/api"}},
		{404, `<!DOCTYPE html><html><body><pre>Cannot GET /x</pre></body></html>`, KindWrongOrigin, []string{"must end in /api"}},
		{401, `{"message":"token expired"}`, KindUnauthorized, []string{"RATIONAL_API_TOKEN", "token expired"}},
		{403, ``, KindForbidden, []string{"RATIONAL_API_TOKEN", "management rights"}},
		{400, `{"detail":"bad id"}`, KindBadRequest, []string{"bad id"}},
		{409, `conflict text`, KindConflict, []string{"conflict text"}},
		{418, `teapot`, KindBadRequest, []string{"teapot"}},
		{501, `not implemented`, KindUpstream, []string{"not implemented"}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d %s", tc.status, tc.kind), func(t *testing.T) {
			var calls atomic.Int32
			client := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}), nil)

			_, err := client.GetModel(context.Background(), sampleModelID)

			apiErr := requireKind(t, err, tc.kind)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			for _, want := range tc.wants {
				assert.Contains(t, apiErr.Error(), want)
			}
			assert.Equal(t, int32(1), calls.Load(), "status %d is not retried", tc.status)
		})
	}
}

func TestDeploymentNotFoundNamesListTool(t *testing.T) {
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message":"no such deployment"}`, http.StatusNotFound)
	}), nil)

	_, err := tc.GetDeploymentStatus(context.Background(), sampleDeploymentID)

	apiErr := requireKind(t, err, KindNotFound)
	assert.Contains(t, apiErr.Error(), sampleDeploymentID)
	assert.Contains(t, apiErr.Error(), "list_deployments")
}

func TestRetryAfterSecondsHonoured(t *testing.T) {
	var calls atomic.Int32
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, `[]`)
	}), nil)

	start := time.Now()
	_, err := tc.ListDeployments(context.Background())
	require.NoError(t, err)

	assert.GreaterOrEqual(t, time.Since(start), time.Second, "the retry waits for Retry-After")
	assert.Less(t, time.Since(start), 3*time.Second)
	assert.Equal(t, int32(2), calls.Load())
}

func TestRetryAfterBeyondBudgetFailsFast(t *testing.T) {
	var calls atomic.Int32
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}), nil)

	start := time.Now()
	_, err := tc.ListDeployments(context.Background())

	apiErr := requireKind(t, err, KindRateLimited)
	assert.Contains(t, apiErr.Hint, "2m0s")
	assert.Less(t, time.Since(start), time.Second, "no wait that cannot fit the budget")
	assert.Equal(t, int32(1), calls.Load())
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	wait, ok := retryAfter(http.Header{"Retry-After": {"7"}}, now)
	assert.True(t, ok)
	assert.Equal(t, 7*time.Second, wait)

	wait, ok = retryAfter(http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, now)
	assert.True(t, ok)
	assert.Equal(t, 90*time.Second, wait)

	wait, ok = retryAfter(http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, now)
	assert.True(t, ok)
	assert.Equal(t, time.Duration(0), wait)

	for _, value := range []string{"", "soon", "-3", "1.5"} {
		_, ok := retryAfter(http.Header{"Retry-After": {value}}, now)
		assert.False(t, ok, "value %q", value)
	}
}

func TestBodyOverLimitIsCut(t *testing.T) {
	var calls atomic.Int32
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fmt.Fprint(w, "["+strings.Repeat(`{"id":"a","name":"b","type":"base"},`, 100)+`{"id":"z"}]`)
	}), func(cfg *Config) { cfg.MaxBodyBytes = 1024 })

	_, err := tc.ListModels(context.Background(), 0, 10)

	apiErr := requireKind(t, err, KindUpstream)
	assert.Contains(t, apiErr.Message, "1024 bytes")
	assert.Equal(t, int32(1), calls.Load(), "an oversized body is not retried")
}

func TestRedirectNotFollowed(t *testing.T) {
	var calls atomic.Int32
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Redirect(w, r, "/login", http.StatusFound)
	}), nil)

	_, err := tc.ListDeployments(context.Background())

	apiErr := requireKind(t, err, KindWrongOrigin)
	assert.Contains(t, apiErr.Message, "/login")
	assert.Equal(t, int32(1), calls.Load())
}

func TestCancelReachesRequest(t *testing.T) {
	arrived := make(chan struct{})
	released := make(chan struct{})
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		select {
		case <-r.Context().Done():
			close(released)
		case <-time.After(3 * time.Second):
		}
	}), nil)

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := tc.ListDeployments(ctx)

	requireKind(t, err, KindCanceled)
	select {
	case <-released:
	case <-time.After(2 * time.Second):
		t.Fatal("the server never saw the request canceled")
	}
}

func TestCallTimeoutBoundsRetries(t *testing.T) {
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}), func(cfg *Config) {
		cfg.CallTimeout = 600 * time.Millisecond
		cfg.AttemptTimeout = 200 * time.Millisecond
	})

	start := time.Now()
	_, err := tc.ListDeployments(context.Background())

	requireKind(t, err, KindTimeout)
	assert.Less(t, time.Since(start), 1500*time.Millisecond)
	assert.GreaterOrEqual(t, tc.Stats().Attempts, int64(2), "attempt timeouts are retried inside the budget")
}

func TestInvalidInputSendsNothing(t *testing.T) {
	var requests counter
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.add(r)
	}), nil)
	ctx := context.Background()
	badIDs := []string{"", "../../admin", sampleModelID + "/deploy", "a b", "model%2F..", "%2e%2e"}

	for _, id := range badIDs {
		_, err := tc.GetModel(ctx, id)
		requireKind(t, err, KindInvalidInput)
		_, err = tc.UpdateModel(ctx, id, UpdateModelRequest{Description: ptr("x")})
		requireKind(t, err, KindInvalidInput)
		requireKind(t, tc.DeleteModel(ctx, id), KindInvalidInput)
		_, err = tc.DeployModel(ctx, id, DeploymentParameters{})
		requireKind(t, err, KindInvalidInput)
		_, err = tc.GetDeploymentStatus(ctx, id)
		requireKind(t, err, KindInvalidInput)
		_, err = tc.PauseDeployment(ctx, id)
		requireKind(t, err, KindInvalidInput)
		_, err = tc.CancelDeployment(ctx, id)
		requireKind(t, err, KindInvalidInput)
	}

	_, err := tc.GetModel(ctx, "deployments")
	requireKind(t, err, KindInvalidInput)
	_, err = tc.RegisterModel(ctx, RegisterModelRequest{Name: "x", Type: "fp8"})
	requireKind(t, err, KindInvalidInput)
	_, err = tc.UpdateModel(ctx, sampleModelID, UpdateModelRequest{})
	requireKind(t, err, KindInvalidInput)
	_, err = tc.DeployModel(ctx, sampleModelID, DeploymentParameters{TopP: ptr(3.0)})
	requireKind(t, err, KindInvalidInput)
	_, err = tc.ListModels(ctx, -1, 10)
	requireKind(t, err, KindInvalidInput)
	_, err = tc.ListModels(ctx, 0, MaxPageSize+1)
	requireKind(t, err, KindInvalidInput)

	assert.Equal(t, 0, requests.total())
}

func TestDeployIDBodyShapes(t *testing.T) {
	for _, body := range []string{sampleDeploymentID, `"` + sampleDeploymentID + `"`, `{"deploymentId":"` + sampleDeploymentID + `"}`} {
		var requests counter
		tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.add(r)
			if r.Method == http.MethodGet {
				fmt.Fprintf(w, `{"id":%q,"name":"n","type":"base","deployments":[]}`, sampleModelID)
				return
			}
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, body)
		}), nil)

		result, err := tc.DeployModel(context.Background(), sampleModelID, DeploymentParameters{ForceDeployment: true, AdapterScale: ptr(1.0)})
		require.NoError(t, err)

		assert.Equal(t, &DeployResult{DeploymentID: sampleDeploymentID}, result)
		assert.Equal(t, 1, requests.get("POST "+apiRoot+"/models/"+sampleModelID+"/deploy"))
	}
}

// fakeDeployServer serves a model record whose deployments are those added
// so far, and responds to deploy with deployStatus and deployBody after adding a
// deployment when create is set.
type fakeDeployServer struct {
	requests     counter
	deployments  atomic.Pointer[[]string]
	create       bool
	deployStatus int
	deployBody   string
}

func (f *fakeDeployServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.add(r)
	current := []string{}
	if p := f.deployments.Load(); p != nil {
		current = *p
	}
	if r.Method == http.MethodGet {
		var list []string
		for _, id := range current {
			list = append(list, fmt.Sprintf(`{"deploymentId":%q,"status":"scheduling"}`, id))
		}
		fmt.Fprintf(w, `{"id":%q,"name":"n","type":"base","deployments":[%s]}`, sampleModelID, strings.Join(list, ","))
		return
	}
	if f.create {
		next := append(append([]string{}, current...), fmt.Sprintf("model-n-%d", len(current)+1))
		f.deployments.Store(&next)
	}
	w.WriteHeader(f.deployStatus)
	fmt.Fprint(w, f.deployBody)
}

func TestDeployMalformedSuccessReconciles(t *testing.T) {
	fake := &fakeDeployServer{create: true, deployStatus: http.StatusCreated, deployBody: "OK, deploying"}
	fake.deployments.Store(&[]string{"model-n-0"})
	tc := newTestClient(t, fake, nil)

	result, err := tc.DeployModel(context.Background(), sampleModelID, DeploymentParameters{ForceDeployment: true})
	require.NoError(t, err)

	assert.Equal(t, &DeployResult{DeploymentID: "model-n-2", Reconciled: true}, result)
	assert.Equal(t, 1, fake.requests.get("POST "+apiRoot+"/models/"+sampleModelID+"/deploy"))
	assert.Equal(t, int64(1), tc.Stats().DeploysReconciled)
}

func TestDeployServerErrorWithoutDeploymentIsOutcomeUnknown(t *testing.T) {
	fake := &fakeDeployServer{deployStatus: http.StatusInternalServerError, deployBody: "boom"}
	tc := newTestClient(t, fake, nil)

	start := time.Now()
	_, err := tc.DeployModel(context.Background(), sampleModelID, DeploymentParameters{ForceDeployment: true})

	apiErr := requireKind(t, err, KindOutcomeUnknown)
	assert.Contains(t, apiErr.Message, "may or may not have started")
	assert.Contains(t, apiErr.Hint, "get_model")
	assert.Contains(t, apiErr.Hint, "list_deployments")
	assert.Equal(t, 1, fake.requests.get("POST "+apiRoot+"/models/"+sampleModelID+"/deploy"), "a deploy is never resent")
	assert.Greater(t, fake.requests.get("GET "+apiRoot+"/models/"+sampleModelID), 2, "the model is reread during reconciliation")
	assert.Less(t, time.Since(start), 2*time.Second, "reconciliation stays within its budget")
	assert.Equal(t, int64(1), tc.Stats().DeploysOutcomeUnknown)
}

func TestDeployCanceledInFlightIsOutcomeUnknown(t *testing.T) {
	arrived := make(chan struct{})
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			fmt.Fprintf(w, `{"id":%q,"name":"n","type":"base"}`, sampleModelID)
			return
		}
		// The server watches the connection for a disconnect only once the
		// body has been read.
		_, _ = io.Copy(io.Discard, r.Body)
		close(arrived)
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	}), nil)

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := tc.DeployModel(ctx, sampleModelID, DeploymentParameters{})

	requireKind(t, err, KindOutcomeUnknown)
	assert.True(t, errors.Is(err, context.Canceled))
}

func TestDeployRateLimitedIsRetried(t *testing.T) {
	var deploys atomic.Int32
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			fmt.Fprintf(w, `{"id":%q,"name":"n","type":"base"}`, sampleModelID)
			return
		}
		if deploys.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, sampleDeploymentID)
	}), nil)

	result, err := tc.DeployModel(context.Background(), sampleModelID, DeploymentParameters{ForceDeployment: true})
	require.NoError(t, err)

	assert.Equal(t, &DeployResult{DeploymentID: sampleDeploymentID}, result)
	assert.Equal(t, int32(2), deploys.Load(), "a 429 proves the deploy was not acted on")
}

func TestDeployConflictIsNotAmbiguous(t *testing.T) {
	fake := &fakeDeployServer{deployStatus: http.StatusConflict, deployBody: `{"message":"model already has deployment model-n-0"}`}
	tc := newTestClient(t, fake, nil)

	_, err := tc.DeployModel(context.Background(), sampleModelID, DeploymentParameters{})

	apiErr := requireKind(t, err, KindConflict)
	assert.Contains(t, apiErr.Message, "already has deployment")
	assert.Equal(t, 1, fake.requests.get("GET "+apiRoot+"/models/"+sampleModelID), "no reconciliation after a 409")
}

func TestDeploySnapshotFailureSendsNoDeploy(t *testing.T) {
	var requests counter
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.add(r)
		http.Error(w, "down", http.StatusServiceUnavailable)
	}), func(cfg *Config) { cfg.MaxAttempts = 2 })

	_, err := tc.DeployModel(context.Background(), sampleModelID, DeploymentParameters{})

	apiErr := requireKind(t, err, KindUpstream)
	assert.Contains(t, apiErr.Message, "no deploy request was sent")
	assert.Equal(t, 0, requests.get("POST "+apiRoot+"/models/"+sampleModelID+"/deploy"))
}

func TestDeployConnectionRefusedIsNotAmbiguous(t *testing.T) {
	// The model read succeeds through one server, then the deploy goes to
	// a closed port through a transport that rewrites the address.
	var requests counter
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.add(r)
		fmt.Fprintf(w, `{"id":%q,"name":"n","type":"base"}`, sampleModelID)
	}), nil)
	closed := newTestClient(t, http.NotFoundHandler(), nil)
	closedAddr := closed.server.Listener.Addr().String()
	closed.server.Close()
	tc.http.Transport = rewriteTransport{
		match: func(r *http.Request) bool { return r.Method == http.MethodPost },
		host:  closedAddr,
		next:  http.DefaultTransport,
	}

	_, err := tc.DeployModel(context.Background(), sampleModelID, DeploymentParameters{})

	apiErr := requireKind(t, err, KindNetwork)
	assert.Contains(t, apiErr.Message, "the deploy request was not sent")
	assert.Equal(t, int64(0), tc.Stats().DeploysOutcomeUnknown)
	assert.GreaterOrEqual(t, tc.Stats().Retries, int64(1), "a refused connection is safe to retry")
}

// rewriteTransport sends the requests that match to host instead.
type rewriteTransport struct {
	match func(*http.Request) bool
	host  string
	next  http.RoundTripper
}

func (t rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.match(r) {
		r = r.Clone(r.Context())
		r.URL.Host = t.host
	}
	return t.next.RoundTrip(r)
}

func TestRegisterConflictPagesBareArrays(t *testing.T) {
	const existingID = "00000000-0000-4000-8000-000000000150"
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			http.Error(w, "Conflict", http.StatusConflict)
			return
		}
		page := r.URL.Query().Get("page")
		var entries []string
		start := map[string]int{"0": 0, "1": 100}[page]
		if page != "0" && page != "1" {
			fmt.Fprint(w, `[]`)
			return
		}
		for i := start; i < start+100; i++ {
			entries = append(entries, fmt.Sprintf(`{"id":"00000000-0000-4000-8000-%012d","name":"model-%d","type":"base"}`, i, i))
		}
		fmt.Fprint(w, "["+strings.Join(entries, ",")+"]")
	}), nil)

	result, err := tc.RegisterModel(context.Background(), RegisterModelRequest{Name: "model-150", Type: ModelTypeBase})
	require.NoError(t, err)

	assert.True(t, result.AlreadyExisted)
	assert.Equal(t, existingID, result.Model.ID)
}

func TestRegisterConflictWithoutMatch(t *testing.T) {
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusConflict)
			return
		}
		fmt.Fprint(w, `{"content":[{"id":"a","name":"other","type":"base"}],"totalPages":1}`)
	}), nil)

	_, err := tc.RegisterModel(context.Background(), RegisterModelRequest{Name: "wanted", Type: ModelTypeBase})

	apiErr := requireKind(t, err, KindConflict)
	assert.Contains(t, apiErr.Message, `"wanted"`)
	assert.Contains(t, apiErr.Hint, "list_models")
}

func TestActionBodies(t *testing.T) {
	for body, check := range map[string]func(*ActionResult){
		``:                  func(r *ActionResult) { assert.Equal(t, &ActionResult{}, r) },
		`paused`:            func(r *ActionResult) { assert.Equal(t, "paused", r.Message) },
		`{"status":"gone"}`: func(r *ActionResult) { assert.Equal(t, "gone", r.Deployment.Status) },
	} {
		tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, body)
		}), nil)

		result, err := tc.PauseDeployment(context.Background(), sampleDeploymentID)
		require.NoError(t, err, "body %q", body)
		check(result)
	}
}

func TestTokenNeverLeaks(t *testing.T) {
	// The server echoes the Authorization header into every error body, the
	// worst case for a client that quotes bodies.
	tc := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echo := "rejected " + r.Header.Get("Authorization")
		switch {
		case strings.HasSuffix(r.URL.Path, "/deploy"):
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, echo)
		case r.Method == http.MethodGet && strings.Contains(r.URL.Path, "deployment-status"):
			fmt.Fprint(w, "<html>"+echo+"</html>")
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/deployments"):
			fmt.Fprintf(w, `{"garbage":%q}`, echo)
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/models"):
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"message":%q}`, echo)
		case r.Method == http.MethodGet:
			fmt.Fprintf(w, `{"id":%q,"name":"n","type":"base"}`, sampleModelID)
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, echo)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, "Cannot POST "+echo)
		}
	}), nil)
	ctx := context.Background()

	var errs []error
	_, err := tc.ListModels(ctx, 0, 10)
	errs = append(errs, err)
	_, err = tc.ListDeployments(ctx)
	errs = append(errs, err)
	_, err = tc.GetDeploymentStatus(ctx, sampleDeploymentID)
	errs = append(errs, err)
	_, err = tc.DeployModel(ctx, sampleModelID, DeploymentParameters{})
	errs = append(errs, err)
	errs = append(errs, tc.DeleteModel(ctx, sampleModelID))
	_, err = tc.PauseDeployment(ctx, sampleDeploymentID)
	errs = append(errs, err)
	_, err = New(Config{BaseURL: "https://acme.rational.is/api", Token: "bad " + secretToken})
	errs = append(errs, err)
	_, err = ConfigFromEnv(envOf(map[string]string{EnvTenant: "x", EnvToken: secretToken + " x"}))
	errs = append(errs, err)

	for _, err := range errs {
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secretToken)
		var apiErr *Error
		if errors.As(err, &apiErr) {
			assert.NotContains(t, fmt.Sprintf("%+v", *apiErr), secretToken)
		}
	}
	assert.NotContains(t, tc.logs.String(), secretToken)
	assert.NotContains(t, tc.logs.String(), "Authorization")
	assert.Contains(t, tc.logs.String(), "[REDACTED]", "the echoed token was logged redacted")
}
