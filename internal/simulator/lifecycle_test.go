package simulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLifecyclePhases(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "7000000000")
	deploymentID := h.deploy(modelID, false)

	steps := []struct {
		advance time.Duration
		status  string
	}{
		{0, StatusScheduling},
		{testTimings.Scheduling - time.Nanosecond, StatusScheduling},
		{time.Nanosecond, StatusPullingWeights},
		{testTimings.PullingWeights - time.Nanosecond, StatusPullingWeights},
		{time.Nanosecond, StatusLoading},
		{testTimings.Loading - time.Nanosecond, StatusLoading},
		{time.Nanosecond, StatusWaitingForChat},
		{24 * time.Hour, StatusWaitingForChat},
	}
	elapsed := time.Duration(0)
	for _, step := range steps {
		h.clock.Advance(step.advance)
		elapsed += step.advance
		assert.Equal(t, step.status, h.status(deploymentID), "after %s", elapsed)
	}

	record := h.do(http.MethodGet, "/management/v0/models/"+modelID, nil).object(t)
	deployment := record["deployments"].([]any)[0].(map[string]any)
	assert.Equal(t, StatusWaitingForChat, deployment["status"])
	assert.Equal(t, serviceURL(deploymentID), deployment["serviceUrl"])
}

func TestGPUsForFormula(t *testing.T) {
	cases := []struct {
		modelType string
		params    string
		want      int
	}{
		{"base", "9241705984", 1},   // 22.2 GB
		{"base", "70553706496", 3},  // 169.3 GB
		{"base", "33333333333", 1},  // 80.0 GB exactly
		{"base", "33333333334", 2},  // just over 80 GB
		{"awq", "70553706496", 1},   // 42.3 GB
		{"gguf", "405000000000", 4}, // 273.4 GB
		{"ggml", "13015864320", 1},
		{"base", "", 1},
		{"base", "12B", 1},
		{"base", "-5", 1},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, GPUsFor(controlroomType(tc.modelType), tc.params), "%s %s", tc.modelType, tc.params)
	}
}

func TestGPUQueueFIFO(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, GPUs: 4})
	big := h.register("org/big-70b", "base", "70553706496") // 3 GPUs
	huge := h.register("org/huge", "base", "100000000000")  // 3 GPUs
	small := h.register("org/small-7b", "base", "7000000000")

	first := h.deploy(big, false)
	assert.Equal(t, StatusScheduling, h.status(first))
	assert.EqualValues(t, 3, h.deploymentStatus(first)["gpuCount"])
	assert.EqualValues(t, 3, h.deploymentStatus(first)["gpusRequested"])
	assert.Equal(t, 1, h.sim.FreeGPUs())

	second := h.deploy(huge, false)
	third := h.deploy(small, false)
	waiting := h.deploymentStatus(second)
	assert.Equal(t, StatusWaitingForGPU, waiting["status"])
	assert.Nil(t, waiting["serviceUrl"])
	assert.EqualValues(t, 1, waiting["queuePosition"])
	assert.EqualValues(t, 0, waiting["gpuCount"], "a queued deployment holds no GPUs")
	assert.EqualValues(t, 3, waiting["gpusRequested"])
	// One GPU is free, but the small deployment queues behind the head.
	assert.Equal(t, StatusWaitingForGPU, h.status(third))
	assert.EqualValues(t, 2, h.deploymentStatus(third)["queuePosition"])

	h.clock.Advance(time.Hour)
	assert.Equal(t, StatusWaitingForGPU, h.status(second), "time alone frees no GPUs")

	cancelled := h.do(http.MethodPost, "/management/v0/models/"+first+"/cancel", nil)
	require.Equal(t, http.StatusOK, cancelled.status)
	assert.Equal(t, StatusScheduling, h.status(second))
	assert.Equal(t, StatusScheduling, h.status(third))
	assert.Equal(t, 0, h.sim.FreeGPUs())

	h.clock.Advance(testTimings.Total())
	assert.Equal(t, StatusWaitingForChat, h.status(second))
	assert.Equal(t, StatusWaitingForChat, h.status(third))
}

func TestGPUQueuePauseReleases(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, GPUs: 1})
	first := h.deploy(h.register("org/a", "base", "7000000000"), false)
	second := h.deploy(h.register("org/b", "base", "7000000000"), false)
	third := h.deploy(h.register("org/c", "base", "7000000000"), false)
	assert.Equal(t, StatusWaitingForGPU, h.status(second))

	// Pausing a queued deployment removes it from the queue.
	h.do(http.MethodPost, "/management/v0/models/"+second+"/pause", nil)
	assert.Equal(t, StatusPaused, h.status(second))
	assert.EqualValues(t, 1, h.deploymentStatus(third)["queuePosition"])

	h.clock.Advance(time.Minute)
	h.do(http.MethodPost, "/management/v0/models/"+first+"/pause", nil)
	assert.Equal(t, StatusScheduling, h.status(third))
	assert.Equal(t, StatusPaused, h.status(second))

	h.clock.Advance(testTimings.Total())
	assert.Equal(t, StatusWaitingForChat, h.status(third))
}

func TestGPUCountZeroWithoutGPUs(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, GPUs: 4})
	paused := h.deploy(h.register("org/a-70b", "base", "70553706496"), false)
	cancelled := h.deploy(h.register("org/b-7b", "base", "7000000000"), false)
	h.clock.Advance(testTimings.Total())
	assert.EqualValues(t, 3, h.deploymentStatus(paused)["gpuCount"], "ready holds its GPUs")

	h.do(http.MethodPost, "/management/v0/models/"+paused+"/pause", nil)
	h.do(http.MethodPost, "/management/v0/models/"+cancelled+"/cancel", nil)

	for id, wantRequested := range map[string]int{paused: 3, cancelled: 1} {
		status := h.deploymentStatus(id)
		assert.EqualValues(t, 0, status["gpuCount"], "%s released its GPUs", status["status"])
		assert.EqualValues(t, wantRequested, status["gpusRequested"], "%s keeps its need", status["status"])
	}
	for _, listed := range h.sim.Deployments() {
		assert.Zero(t, listed.GPUCount, listed.Status)
	}
	assert.Equal(t, 4, h.sim.FreeGPUs())
}

func TestGPUQueueOversizedDoesNotBlock(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, GPUs: 2})
	oversized := h.deploy(h.register("org/405b", "base", "405000000000"), false)
	small := h.deploy(h.register("org/7b", "base", "7000000000"), false)

	assert.Equal(t, StatusWaitingForGPU, h.status(oversized))
	assert.EqualValues(t, 0, h.deploymentStatus(oversized)["gpuCount"])
	assert.EqualValues(t, 13, h.deploymentStatus(oversized)["gpusRequested"])
	assert.Equal(t, StatusScheduling, h.status(small))

	h.clock.Advance(24 * time.Hour)
	assert.Equal(t, StatusWaitingForGPU, h.status(oversized))
}

func TestForceDeploymentFalseConflict(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "7000000000")
	existing := h.deploy(modelID, false)

	resp := h.do(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", `{"forceDeployment":false}`)

	assert.Equal(t, http.StatusConflict, resp.status)
	message := errorMessage(t, resp)
	assert.Contains(t, message, existing)
	assert.Contains(t, message, "forceDeployment=true")
	assert.Len(t, h.sim.Deployments(), 1)
	assert.Equal(t, StatusScheduling, h.status(existing))

	// A paused deployment still exists, so it also conflicts.
	h.do(http.MethodPost, "/management/v0/models/"+existing+"/pause", nil)
	paused := h.do(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", `{"forceDeployment":false}`)
	assert.Equal(t, http.StatusConflict, paused.status)

	// Once cancelled, a deploy without force succeeds.
	h.do(http.MethodPost, "/management/v0/models/"+existing+"/cancel", nil)
	fresh := h.deploy(modelID, false)
	assert.NotEqual(t, existing, fresh)
}

func TestForceDeploymentTrueReplaces(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, GPUs: 1})
	modelID := h.register("org/model", "base", "7000000000")
	old := h.deploy(modelID, true)
	h.clock.Advance(testTimings.Total())
	require.Equal(t, StatusWaitingForChat, h.status(old))

	replacement := h.deploy(modelID, true)

	assert.NotEqual(t, old, replacement)
	assert.Equal(t, StatusCancelled, h.status(old))
	assert.Nil(t, h.deploymentStatus(old)["serviceUrl"])
	// The only GPU went from the old deployment to the new one.
	assert.Equal(t, StatusScheduling, h.status(replacement))
	assert.Equal(t, 0, h.sim.FreeGPUs())

	record := h.do(http.MethodGet, "/management/v0/models/"+modelID, nil).object(t)
	assert.Len(t, record["deployments"], 2)
	stats := h.sim.Stats()
	assert.EqualValues(t, 2, stats.DeploymentsCreated)
	assert.EqualValues(t, 3, stats.Mutations)
}

func TestSeededDeploymentReady(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, Seed: true})
	deployments := h.sim.Deployments()
	require.Len(t, deployments, 1)
	assert.Equal(t, StatusWaitingForChat, deployments[0].Status)
	assert.Equal(t, nameUUID(SeededReadyModel), deployments[0].ModelID)
	assert.Regexp(t, `^model-google-gemma-2-9-b-it-[0-9a-f]{12}$`, deployments[0].DeploymentID)
	assert.Equal(t, serviceURL(deployments[0].DeploymentID), deployments[0].ServiceURL)
	assert.Equal(t, DefaultGPUs-1, h.sim.FreeGPUs())

	again := New(Options{Seed: true, Clock: h.clock})
	assert.Equal(t, deployments, again.Deployments(), "seeded ids are deterministic")
}

func TestDefaultTimingsAreDemo(t *testing.T) {
	sim := New(Options{})
	assert.Equal(t, DemoTimings(), sim.timings)
	assert.Equal(t, DefaultGPUs, sim.gpus)
	assert.Equal(t, 12*time.Second, DemoTimings().Total())
}
