package controlroom_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// These tests run the client against the simulator over real HTTP on
// 127.0.0.1. They live in an external test package because the simulator
// imports controlroom.

const simToken = "sim-token-0f9e8d7c6b5a"

var simStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// simEnv is a simulator behind an httptest server and a client aimed at it.
type simEnv struct {
	sim    *simulator.Simulator
	clock  *simulator.ManualClock
	server *httptest.Server
	client *controlroom.Client
}

func newSimEnv(t *testing.T, mutate func(*controlroom.Config)) *simEnv {
	t.Helper()
	clock := simulator.NewManualClock(simStart)
	sim := simulator.New(simulator.Options{Token: simToken, Clock: clock, Seed: true})
	server := httptest.NewServer(sim)
	t.Cleanup(server.Close)

	cfg := controlroom.Config{
		BaseURL:              server.URL + "/api",
		Token:                simToken,
		HTTPClient:           server.Client(),
		Logger:               slog.New(slog.DiscardHandler),
		CallTimeout:          10 * time.Second,
		AttemptTimeout:       2 * time.Second,
		MaxAttempts:          6,
		RetryInitialInterval: 5 * time.Millisecond,
		RetryMaxInterval:     20 * time.Millisecond,
		ReconcileBudget:      time.Second,
		ReconcileDelay:       20 * time.Millisecond,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	client, err := controlroom.New(cfg)
	require.NoError(t, err)

	return &simEnv{sim: sim, clock: clock, server: server, client: client}
}

func kindOf(t *testing.T, err error) controlroom.Kind {
	t.Helper()
	require.Error(t, err)
	return controlroom.KindOf(err)
}

// register registers a fresh test model and returns its id.
func (e *simEnv) register(t *testing.T, name string) string {
	t.Helper()
	result, err := e.client.RegisterModel(context.Background(), controlroom.RegisterModelRequest{
		Name: name, Type: controlroom.ModelTypeGGUF, HuggingFaceID: name, NumberOfParams: "1000000000",
	})
	require.NoError(t, err)
	return result.Model.ID
}

func deployMatcher(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/deploy")
}

func TestContractModelLifecycle(t *testing.T) {
	env := newSimEnv(t, nil)
	ctx := context.Background()

	page, err := env.client.ListModels(ctx, 0, 50)
	require.NoError(t, err)
	require.NotEmpty(t, page.Content, "the seeded catalog is listed")
	assert.Equal(t, int64(len(page.Content)), page.TotalElements)

	created, err := env.client.RegisterModel(ctx, controlroom.RegisterModelRequest{
		Name: "acme/tiny-chat", Type: controlroom.ModelTypeBase, Publisher: "acme",
		HuggingFaceID: "acme/tiny-chat", NumberOfParams: "500000000", Card: "https://huggingface.co/acme/tiny-chat",
	})
	require.NoError(t, err)
	assert.False(t, created.AlreadyExisted)
	require.NoError(t, controlroom.ValidateModelID(created.Model.ID))
	assert.NotEmpty(t, created.Model.Extra, "simulator-only fields are kept in Extra")

	again, err := env.client.RegisterModel(ctx, controlroom.RegisterModelRequest{Name: "acme/tiny-chat", Type: controlroom.ModelTypeBase})
	require.NoError(t, err)
	assert.True(t, again.AlreadyExisted)
	assert.Equal(t, created.Model.ID, again.Model.ID)

	fetched, err := env.client.GetModel(ctx, created.Model.ID)
	require.NoError(t, err)
	assert.Equal(t, "acme/tiny-chat", fetched.HuggingFaceID)

	description := "a small chat model"
	updated, err := env.client.UpdateModel(ctx, created.Model.ID, controlroom.UpdateModelRequest{Description: &description})
	require.NoError(t, err)
	assert.Equal(t, description, updated.Description)
	assert.Equal(t, "acme/tiny-chat", updated.Name, "fields not in the PATCH are unchanged")

	require.NoError(t, env.client.DeleteModel(ctx, created.Model.ID))
	_, err = env.client.GetModel(ctx, created.Model.ID)
	assert.Equal(t, controlroom.KindNotFound, kindOf(t, err))
	assert.Equal(t, int64(1), env.sim.Stats().RegistrationsCreated)
}

func TestContractDeploymentLifecycle(t *testing.T) {
	env := newSimEnv(t, nil)
	ctx := context.Background()
	modelID := env.register(t, "acme/deploy-me")

	deployed, err := env.client.DeployModel(ctx, modelID, controlroom.DeploymentParameters{ForceDeployment: true, AdapterScale: ptr(1.0), Temperature: ptr(0.7)})
	require.NoError(t, err)
	assert.False(t, deployed.Reconciled)
	require.NoError(t, controlroom.ValidateDeploymentID(deployed.DeploymentID))

	status, err := env.client.GetDeploymentStatus(ctx, deployed.DeploymentID)
	require.NoError(t, err)
	assert.Equal(t, deployed.DeploymentID, status.DeploymentID)
	assert.False(t, status.Ready())
	assert.NotEmpty(t, status.Status, "the intermediate status passes through")

	env.clock.Advance(simulator.DemoTimings().Total() + time.Second)
	status, err = env.client.GetDeploymentStatus(ctx, deployed.DeploymentID)
	require.NoError(t, err)
	assert.True(t, status.Ready())
	assert.NotEmpty(t, status.ServiceURL)
	assert.Equal(t, modelID, status.ModelID)

	model, err := env.client.GetModel(ctx, modelID)
	require.NoError(t, err)
	require.Len(t, model.Deployments, 1)
	assert.Equal(t, deployed.DeploymentID, model.Deployments[0].DeploymentID)

	all, err := env.client.ListDeployments(ctx)
	require.NoError(t, err)
	assert.True(t, containsDeployment(all, deployed.DeploymentID))

	paused, err := env.client.PauseDeployment(ctx, deployed.DeploymentID)
	require.NoError(t, err)
	require.NotNil(t, paused.Deployment)
	assert.Equal(t, simulator.StatusPaused, paused.Deployment.Status)

	cancelled, err := env.client.CancelDeployment(ctx, deployed.DeploymentID)
	require.NoError(t, err)
	require.NotNil(t, cancelled.Deployment)
	assert.Equal(t, simulator.StatusCancelled, cancelled.Deployment.Status)

	_, err = env.client.PauseDeployment(ctx, deployed.DeploymentID)
	assert.Equal(t, controlroom.KindConflict, kindOf(t, err), "a cancelled deployment cannot be paused")

	_, err = env.client.GetDeploymentStatus(ctx, "model-does-not-exist-000000000000")
	assert.Equal(t, controlroom.KindNotFound, kindOf(t, err))
	assert.Equal(t, int64(1), env.sim.Stats().DeploymentsCreated)
}

func TestContractDeployWithoutForceConflicts(t *testing.T) {
	env := newSimEnv(t, nil)
	ctx := context.Background()
	modelID := env.register(t, "acme/conflict")

	_, err := env.client.DeployModel(ctx, modelID, controlroom.DeploymentParameters{ForceDeployment: true})
	require.NoError(t, err)
	_, err = env.client.DeployModel(ctx, modelID, controlroom.DeploymentParameters{ForceDeployment: false})

	assert.Equal(t, controlroom.KindConflict, kindOf(t, err))
	assert.Contains(t, err.Error(), "send forceDeployment=true to replace it with a fresh rollout", "the advice at the end of the message is kept")
	assert.Equal(t, int64(1), env.sim.Stats().DeploymentsCreated)
}

func TestContractWrongOriginAndToken(t *testing.T) {
	env := newSimEnv(t, nil)

	wrongBase, err := controlroom.New(controlroom.Config{BaseURL: env.server.URL + "/v2/api", Token: simToken, HTTPClient: env.server.Client()})
	require.NoError(t, err)
	_, err = wrongBase.ListDeployments(context.Background())
	assert.Equal(t, controlroom.KindWrongOrigin, kindOf(t, err))
	assert.Contains(t, err.Error(), "must end in /api")

	const wrongToken = "wrong-token-123456"
	wrongTokenClient, err := controlroom.New(controlroom.Config{BaseURL: env.server.URL + "/api", Token: wrongToken, HTTPClient: env.server.Client()})
	require.NoError(t, err)
	_, err = wrongTokenClient.ListModels(context.Background(), 0, 10)
	assert.Equal(t, controlroom.KindUnauthorized, kindOf(t, err))
	assert.Contains(t, err.Error(), controlroom.EnvToken)
	assert.NotContains(t, err.Error(), wrongToken)
}

func TestContractReadsSurviveFaults(t *testing.T) {
	env := newSimEnv(t, nil)
	ctx := context.Background()
	env.sim.SetFaults(simulator.Faults{
		ServerErrorRate: 0.2, DropBeforeRate: 0.1, DropAfterRate: 0.1, TruncatedRate: 0.05, MalformedRate: 0,
		Match: func(r *http.Request) bool { return r.Method == http.MethodGet },
		Seed:  7,
	})

	for range 20 {
		page, err := env.client.ListModels(ctx, 0, 20)
		require.NoError(t, err)
		require.NotEmpty(t, page.Content)

		_, err = env.client.GetModel(ctx, page.Content[0].ID)
		require.NoError(t, err)

		_, err = env.client.ListDeployments(ctx)
		require.NoError(t, err)
	}

	faults := env.sim.Stats().Faults
	injected := faults[simulator.FaultServerError] + faults[simulator.FaultDropBefore] + faults[simulator.FaultDropAfter] + faults[simulator.FaultTruncated]
	assert.Greater(t, injected, int64(5), "the plan injected faults")
	// net/http itself resends a GET whose reused connection closed without
	// a response, so a drop may cost no retry of the client's own.
	retries := env.client.Stats().Retries
	assert.GreaterOrEqual(t, retries, faults[simulator.FaultServerError]+faults[simulator.FaultTruncated])
	assert.LessOrEqual(t, retries, injected)
}

func TestContractRateLimitHonoursRetryAfter(t *testing.T) {
	env := newSimEnv(t, nil)
	env.sim.SetFaults(simulator.Faults{Next: []simulator.Fault{simulator.FaultRateLimit}, RetryAfter: time.Second})

	start := time.Now()
	_, err := env.client.ListDeployments(context.Background())
	require.NoError(t, err)

	assert.GreaterOrEqual(t, time.Since(start), time.Second)
	assert.Equal(t, int64(1), env.sim.Stats().Faults[simulator.FaultRateLimit])
}

func TestContractDeployAmbiguousFaultsReconcile(t *testing.T) {
	for _, fault := range []simulator.Fault{simulator.FaultDropAfter, simulator.FaultServerErrorAfter, simulator.FaultMalformed, simulator.FaultTruncated} {
		t.Run(string(fault), func(t *testing.T) {
			env := newSimEnv(t, nil)
			modelID := env.register(t, "acme/flaky-"+strings.ToLower(string(fault)))
			env.sim.SetFaults(simulator.Faults{Next: []simulator.Fault{fault}, Match: deployMatcher})

			result, err := env.client.DeployModel(context.Background(), modelID, controlroom.DeploymentParameters{ForceDeployment: true})
			require.NoError(t, err)

			assert.True(t, result.Reconciled)
			deployments := env.sim.Deployments()
			require.Len(t, modelDeployments(deployments, modelID), 1, "exactly one deployment, never two")
			assert.Equal(t, result.DeploymentID, modelDeployments(deployments, modelID)[0].DeploymentID)
			assert.Equal(t, int64(1), env.sim.Stats().Requests[simulator.EndpointDeployModel])
			assert.Equal(t, int64(1), env.client.Stats().DeploysReconciled)
		})
	}
}

func TestContractDeploySlowBodyTimeoutReconciles(t *testing.T) {
	env := newSimEnv(t, func(cfg *controlroom.Config) { cfg.AttemptTimeout = 300 * time.Millisecond })
	modelID := env.register(t, "acme/slow")
	env.sim.SetFaults(simulator.Faults{SlowBody: 3 * time.Second, Match: deployMatcher})

	start := time.Now()
	result, err := env.client.DeployModel(context.Background(), modelID, controlroom.DeploymentParameters{ForceDeployment: true})
	require.NoError(t, err)

	assert.True(t, result.Reconciled)
	assert.Len(t, modelDeployments(env.sim.Deployments(), modelID), 1)
	assert.Equal(t, int64(1), env.sim.Stats().Requests[simulator.EndpointDeployModel])
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestContractDeployLostBeforeProcessingIsOutcomeUnknown(t *testing.T) {
	cases := map[string]simulator.Faults{
		"latency timeout": {Latency: 3 * time.Second, Match: deployMatcher},
		"drop before":     {Next: []simulator.Fault{simulator.FaultDropBefore}, Match: deployMatcher},
		"503 before":      {Next: []simulator.Fault{simulator.FaultServerError}, Match: deployMatcher},
	}
	for name, faults := range cases {
		t.Run(name, func(t *testing.T) {
			env := newSimEnv(t, func(cfg *controlroom.Config) { cfg.AttemptTimeout = 300 * time.Millisecond })
			modelID := env.register(t, "acme/lost")
			env.sim.SetFaults(faults)

			start := time.Now()
			_, err := env.client.DeployModel(context.Background(), modelID, controlroom.DeploymentParameters{ForceDeployment: true})

			assert.Equal(t, controlroom.KindOutcomeUnknown, kindOf(t, err))
			assert.Contains(t, err.Error(), "get_model")
			assert.Empty(t, modelDeployments(env.sim.Deployments(), modelID))
			assert.Equal(t, int64(1), env.sim.Stats().Requests[simulator.EndpointDeployModel], "the deploy was not resent")
			assert.Less(t, time.Since(start), 3*time.Second)
		})
	}
}

func TestContractDeployRateLimitedRetried(t *testing.T) {
	env := newSimEnv(t, nil)
	modelID := env.register(t, "acme/busy")
	env.sim.SetFaults(simulator.Faults{Next: []simulator.Fault{simulator.FaultRateLimit}, RetryAfter: time.Second, Match: deployMatcher})

	result, err := env.client.DeployModel(context.Background(), modelID, controlroom.DeploymentParameters{ForceDeployment: true})
	require.NoError(t, err)

	assert.False(t, result.Reconciled)
	assert.Len(t, modelDeployments(env.sim.Deployments(), modelID), 1)
	assert.Equal(t, int64(2), env.sim.Stats().Requests[simulator.EndpointDeployModel])
}

func TestContractRegisterDropAfterResolves(t *testing.T) {
	env := newSimEnv(t, nil)
	env.sim.SetFaults(simulator.Faults{
		Next:  []simulator.Fault{simulator.FaultDropAfter},
		Match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/register") },
	})

	result, err := env.client.RegisterModel(context.Background(), controlroom.RegisterModelRequest{Name: "acme/once", Type: controlroom.ModelTypeAWQ})
	require.NoError(t, err)

	assert.True(t, result.AlreadyExisted, "the retry met the record the lost attempt created")
	assert.Equal(t, "acme/once", result.Model.Name)
	assert.Equal(t, int64(1), env.sim.Stats().RegistrationsCreated)
}

func TestContractDeleteDropAfterSucceeds(t *testing.T) {
	env := newSimEnv(t, nil)
	modelID := env.register(t, "acme/delete-me")
	env.sim.SetFaults(simulator.Faults{
		Next:  []simulator.Fault{simulator.FaultDropAfter},
		Match: func(r *http.Request) bool { return r.Method == http.MethodDelete },
	})

	require.NoError(t, env.client.DeleteModel(context.Background(), modelID))

	_, err := env.client.GetModel(context.Background(), modelID)
	assert.Equal(t, controlroom.KindNotFound, kindOf(t, err))
}

func TestContractPauseServerErrorAfterRetried(t *testing.T) {
	env := newSimEnv(t, nil)
	ctx := context.Background()
	modelID := env.register(t, "acme/pause-me")
	deployed, err := env.client.DeployModel(ctx, modelID, controlroom.DeploymentParameters{ForceDeployment: true})
	require.NoError(t, err)
	env.sim.SetFaults(simulator.Faults{
		Next:  []simulator.Fault{simulator.FaultServerErrorAfter},
		Match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/pause") },
	})

	result, err := env.client.PauseDeployment(ctx, deployed.DeploymentID)
	require.NoError(t, err)

	require.NotNil(t, result.Deployment)
	assert.Equal(t, simulator.StatusPaused, result.Deployment.Status)
	assert.Equal(t, int64(2), env.sim.Stats().Requests[simulator.EndpointPauseDeployment])
}

func TestContractCallerDeadline(t *testing.T) {
	env := newSimEnv(t, nil)
	env.sim.SetFaults(simulator.Faults{Latency: 3 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()

	start := time.Now()
	_, err := env.client.ListDeployments(ctx)

	assert.Equal(t, controlroom.KindTimeout, kindOf(t, err))
	assert.True(t, errors.Is(err, context.DeadlineExceeded))
	assert.Less(t, time.Since(start), time.Second)
}

func modelDeployments(all []controlroom.Deployment, modelID string) []controlroom.Deployment {
	var matched []controlroom.Deployment
	for _, d := range all {
		if d.ModelID == modelID {
			matched = append(matched, d)
		}
	}
	return matched
}

func containsDeployment(all []controlroom.Deployment, id string) bool {
	for _, d := range all {
		if d.DeploymentID == id {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }
