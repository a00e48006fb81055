package tools

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// deploy registers a model with params parameters and deploys it on the
// simulator, returning the deployment id.
func (e *toolEnv) deploy(t *testing.T, repo, params string) string {
	t.Helper()
	ctx := context.Background()
	registered, err := e.api.RegisterModel(ctx, controlroom.RegisterModelRequest{
		Name: repo, Type: controlroom.ModelTypeBase, HuggingFaceID: repo, NumberOfParams: params,
	})
	require.NoError(t, err)
	deployed, err := e.api.DeployModel(ctx, registered.Model.ID, controlroom.DeploymentParameters{})
	require.NoError(t, err)
	require.NotEmpty(t, deployed.DeploymentID)
	return deployed.DeploymentID
}

func (e *toolEnv) status(t *testing.T, ctx context.Context, id string, waitSeconds int) (DeploymentStatusOutput, error) {
	t.Helper()
	result, err := e.call(t, ctx, "get_deployment_status", map[string]any{"deploymentId": id, "waitSeconds": waitSeconds})
	if err != nil {
		return DeploymentStatusOutput{}, err
	}
	return result.(DeploymentStatusOutput), nil
}

func assertIncreasing(t *testing.T, reports []progressReport) {
	t.Helper()
	for i := 1; i < len(reports); i++ {
		assert.Greater(t, reports[i].progress, reports[i-1].progress, "report %d", i)
	}
}

func TestWaitUntilReady(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	id := env.deploy(t, "Qwen/Qwen2.5-7B-Instruct", "7000000000")
	env.clock.Advance(60 * time.Second)

	recorder := &progressRecorder{}
	out, err := env.status(t, WithProgressReporter(context.Background(), recorder), id, 45)
	require.NoError(t, err)

	assert.True(t, out.Ready)
	assert.Equal(t, controlroom.StatusWaitingForChat, out.Status)
	assert.NotEmpty(t, out.ServiceURL)
	assert.Greater(t, out.ElapsedSeconds, 30, "the last 40 simulated seconds of the lifecycle were waited")
	assert.LessOrEqual(t, out.ElapsedSeconds, 45)
	assert.Contains(t, out.Next, out.ServiceURL)

	reports := recorder.all()
	require.NotEmpty(t, reports)
	assertIncreasing(t, reports)
	assert.Equal(t, float64(45), reports[0].total)
	assert.Contains(t, reports[0].message, "status pullingWeights")
}

func TestWaitBudgetEndsNotReady(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	id := env.deploy(t, "Qwen/Qwen2.5-7B-Instruct", "7000000000")

	out, err := env.status(t, context.Background(), id, 45)
	require.NoError(t, err)
	assert.False(t, out.Ready)
	assert.Equal(t, 45, out.ElapsedSeconds)
	assert.Equal(t, "pullingWeights", out.Status)
	assert.Contains(t, out.Next, "call again with waitSeconds to keep waiting")

	encoded, err := json.Marshal(out)
	require.NoError(t, err)
	assert.Less(t, len(encoded), 500, "a not-ready reply stays small: %s", encoded)
}

func TestWaitStuckOnGPUCapacity(t *testing.T) {
	env := newToolEnv(t, envConfig{gpus: 2})
	id := env.deploy(t, "meta-llama/Llama-3.1-70B-Instruct", "70000000000")

	recorder := &progressRecorder{}
	out, err := env.status(t, WithProgressReporter(context.Background(), recorder), id, 45)
	require.NoError(t, err)
	assert.False(t, out.Ready)
	assert.Equal(t, "waitingForGpu", out.Status)
	assert.Equal(t, 45, out.ElapsedSeconds)
	assert.Contains(t, out.Next, "call again with waitSeconds")

	reports := recorder.all()
	require.GreaterOrEqual(t, len(reports), 3, "the wait polled several times with backoff")
	assertIncreasing(t, reports)
	assert.Contains(t, reports[len(reports)-1].message, "waitingForGpu")
}

func TestWaitStopsOnPaused(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	id := env.deploy(t, "Qwen/Qwen2.5-7B-Instruct", "7000000000")
	_, err := env.api.PauseDeployment(context.Background(), id)
	require.NoError(t, err)

	recorder := &progressRecorder{}
	out, err := env.status(t, WithProgressReporter(context.Background(), recorder), id, 45)
	require.NoError(t, err)
	assert.Equal(t, "paused", out.Status)
	assert.Equal(t, 0, out.ElapsedSeconds, "a terminal status ends the wait at once")
	assert.Contains(t, out.Next, "deploy_model")
	assert.Empty(t, recorder.all())
}

func TestCancelledDeploymentIsFinal(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	id := env.deploy(t, "Qwen/Qwen2.5-7B-Instruct", "7000000000")
	_, err := env.api.CancelDeployment(context.Background(), id)
	require.NoError(t, err)

	for _, wait := range []int{0, 45} {
		out, err := env.status(t, context.Background(), id, wait)
		require.NoError(t, err)
		assert.Equal(t, "cancelled", out.Status)
		assert.Equal(t, 0, out.ElapsedSeconds)
		assert.Contains(t, out.Next, "final")
		assert.Contains(t, out.Next, "deploy_model")
		assert.NotContains(t, out.Next, "call again")
	}
}

func TestWaitConfiguredTerminalStatus(t *testing.T) {
	env := newToolEnv(t, envConfig{gpus: 2})
	env.services.TerminalStatuses = []string{"waitingForGpu"}
	id := env.deploy(t, "meta-llama/Llama-3.1-70B-Instruct", "70000000000")

	out, err := env.status(t, context.Background(), id, 45)
	require.NoError(t, err)
	assert.Equal(t, 0, out.ElapsedSeconds)
	assert.Contains(t, out.Next, "is final")
}

func TestWaitCanceledByClient(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	// The poll sleep blocks until the call's context ends, so the call can
	// only return because the client canceled it.
	sleeping := make(chan time.Duration, 8)
	env.services.Sleep = func(ctx context.Context, d time.Duration) error {
		sleeping <- d
		<-ctx.Done()
		return ctx.Err()
	}
	id := env.deploy(t, "Qwen/Qwen2.5-7B-Instruct", "7000000000")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-sleeping
		cancel()
	}()

	recorder := &progressRecorder{}
	_, err := env.status(t, WithProgressReporter(ctx, recorder), id, 45)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "stopped waiting")
	assert.Empty(t, sleeping, "no poll after the client canceled")
	assert.Len(t, recorder.all(), 1)
}

func TestWaitZeroReadsOnce(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	id := env.deploy(t, "Qwen/Qwen2.5-7B-Instruct", "7000000000")
	recorder := &progressRecorder{}
	out, err := env.status(t, WithProgressReporter(context.Background(), recorder), id, 0)
	require.NoError(t, err)
	assert.Equal(t, 0, out.ElapsedSeconds)
	assert.Equal(t, "scheduling", out.Status)
	assert.Empty(t, recorder.all())
}

func TestWaitSecondsOutOfRange(t *testing.T) {
	env := newToolEnv(t, envConfig{})
	for _, wait := range []int{-1, 46} {
		_, err := env.status(t, context.Background(), "dep-1", wait)
		var argErr *ArgumentError
		require.ErrorAs(t, err, &argErr, "waitSeconds %d", wait)
		assert.Equal(t, "waitSeconds", argErr.Argument)
	}
}
