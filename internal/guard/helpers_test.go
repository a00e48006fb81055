package guard

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// testClock is a clock that tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2026, 7, 28, 12, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// catalogAPI is an in-memory Control Room catalog. The guard only reads, so
// the write methods record that they were called and fail: a guard test
// that reaches them has a bug.
type catalogAPI struct {
	mu          sync.Mutex
	models      map[string]*controlroom.Model
	deployments []controlroom.Deployment
	writes      int
	listErr     error
}

func newCatalogAPI() *catalogAPI {
	return &catalogAPI{models: map[string]*controlroom.Model{
		"m-gemma": {
			ID: "m-gemma", Name: "google/gemma-4-12B-it", Type: controlroom.ModelTypeBase,
			HuggingFaceID: "google/gemma-4-12B-it", NumberOfParams: "12000000000",
			Description: "Gemma 4 12B instruction-tuned",
		},
		"m-llama": {
			ID: "m-llama", Name: "meta-llama/Llama-3.1-405B-Instruct", Type: controlroom.ModelTypeBase,
			HuggingFaceID: "meta-llama/Llama-3.1-405B-Instruct", NumberOfParams: "405000000000",
		},
	}}
}

func (a *catalogAPI) setModel(model controlroom.Model) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.models[model.ID] = &model
}

func (a *catalogAPI) ListModels(context.Context, int, int) (*controlroom.ModelPage, error) {
	return &controlroom.ModelPage{}, nil
}

func (a *catalogAPI) GetModel(_ context.Context, id string) (*controlroom.Model, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	model, ok := a.models[id]
	if !ok {
		return nil, &controlroom.Error{Kind: controlroom.KindNotFound, Op: "get model", StatusCode: 404, Message: "model " + id + " not found"}
	}
	copied := *model
	return &copied, nil
}

func (a *catalogAPI) RegisterModel(context.Context, controlroom.RegisterModelRequest) (*controlroom.RegisterResult, error) {
	return nil, a.write()
}

func (a *catalogAPI) UpdateModel(context.Context, string, controlroom.UpdateModelRequest) (*controlroom.Model, error) {
	return nil, a.write()
}

func (a *catalogAPI) DeleteModel(context.Context, string) error { return a.write() }

func (a *catalogAPI) DeployModel(context.Context, string, controlroom.DeploymentParameters) (*controlroom.DeployResult, error) {
	return nil, a.write()
}

func (a *catalogAPI) GetDeploymentStatus(_ context.Context, id string) (*controlroom.Deployment, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, deployment := range a.deployments {
		if deployment.DeploymentID == id {
			copied := deployment
			return &copied, nil
		}
	}
	return nil, &controlroom.Error{Kind: controlroom.KindNotFound, Op: "get deployment status", StatusCode: 404}
}

func (a *catalogAPI) ListDeployments(context.Context) ([]controlroom.Deployment, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.listErr != nil {
		return nil, a.listErr
	}
	return append([]controlroom.Deployment(nil), a.deployments...), nil
}

func (a *catalogAPI) PauseDeployment(context.Context, string) (*controlroom.ActionResult, error) {
	return nil, a.write()
}

func (a *catalogAPI) CancelDeployment(context.Context, string) (*controlroom.ActionResult, error) {
	return nil, a.write()
}

func (a *catalogAPI) write() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.writes++
	return &controlroom.Error{Kind: controlroom.KindInvalidInput, Op: "write", Message: "the guard must not write"}
}

// addDeployment adds a deployment to the tenant and to its model's record.
func (a *catalogAPI) addDeployment(modelID string, deployment controlroom.Deployment) {
	a.mu.Lock()
	defer a.mu.Unlock()
	deployment.ModelID = modelID
	a.deployments = append(a.deployments, deployment)
	if model, ok := a.models[modelID]; ok {
		model.Deployments = append(model.Deployments, deployment)
	}
}

// catalogEstimator estimates from the test catalog's parameter count, as a
// Hub lookup of the model's real repository would: 1 GPU with 30 GiB.
type catalogEstimator struct{ api *catalogAPI }

func (e catalogEstimator) EstimateDeploy(_ context.Context, model controlroom.Model) (*Estimate, error) {
	return &Estimate{Params: parseParamCount(model.NumberOfParams), GPUMemoryBytes: 30 << 30, GPUCount: 1, Basis: "test estimate", Source: EstimateFromHub}, nil
}

// fixedEstimator returns one estimate for every model.
type fixedEstimator struct{ estimate Estimate }

func (e fixedEstimator) EstimateDeploy(context.Context, controlroom.Model) (*Estimate, error) {
	estimate := e.estimate
	return &estimate, nil
}

var (
	deployTool = Tool{Name: "deploy_model", Effect: EffectGPU}
	cancelTool = Tool{Name: "cancel_deployment", Effect: EffectDestructive}
	deleteTool = Tool{Name: "delete_model", Effect: EffectDestructive}
	pauseTool  = Tool{Name: "pause_deployment", Effect: EffectInterrupt}
	listTool   = Tool{Name: "list_models", Effect: EffectRead}
	regTool    = Tool{Name: "register_model", Effect: EffectWrite}
)

// guardFixture is a guard over an in-memory catalog, with a test clock and
// the approval page store (its base URL set, without a server, unless a test
// starts one).
type guardFixture struct {
	guard     *Guard
	api       *catalogAPI
	clock     *testClock
	signer    *StateSigner
	approvals *Approvals
}

type fixtureOption func(*Config)

func withMode(mode Mode) fixtureOption { return func(c *Config) { c.Mode = mode } }

func withPolicy(policy Policy) fixtureOption { return func(c *Config) { c.Policy = policy } }

func withAudit(log *AuditLog) fixtureOption { return func(c *Config) { c.Audit = log } }

func newGuardFixture(t *testing.T, options ...fixtureOption) *guardFixture {
	t.Helper()

	clock := newTestClock()
	api := newCatalogAPI()
	signer, err := NewStateSigner(NewRandomKey(), 0, clock.Now)
	require.NoError(t, err)
	approvals := NewApprovals(0, clock.Now)
	approvals.SetBaseURL("http://127.0.0.1:1")

	config := Config{
		Policy:    DefaultPolicy(),
		Mode:      ModeAuto,
		Signer:    signer,
		Approvals: approvals,
		Planner:   &ControlRoomPlanner{API: api, Estimator: catalogEstimator{api: api}},
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:       clock.Now,
	}
	for _, option := range options {
		option(&config)
	}

	guard, err := New(config)
	require.NoError(t, err)
	return &guardFixture{guard: guard, api: api, clock: clock, signer: signer, approvals: approvals}
}

func deployArgs(modelID string) map[string]any {
	return map[string]any{"modelId": modelID, "forceDeployment": false, "temperature": 0.7}
}

func elicitingClient() ClientCapabilities { return ClientCapabilities{Elicitation: true} }

func accept() map[string]InputAnswer {
	return map[string]InputAnswer{ElicitationKey: {Action: "accept", Content: map[string]any{"approve": true}}}
}

// ask makes the first deploy call of an eliciting client and returns the
// issued state.
func (f *guardFixture) ask(t *testing.T, caller string, arguments map[string]any) string {
	t.Helper()
	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: arguments, Caller: caller, Client: elicitingClient()})
	require.Equal(t, DecisionInputRequired, verdict.Decision, "first call: %+v", verdict.Refusal)
	return verdict.Elicitation.State
}

// approveOnStore creates a page approval and approves it as the page would.
func (f *guardFixture) requestPageApproval(t *testing.T, caller string, arguments map[string]any) string {
	t.Helper()
	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: arguments, Caller: caller})
	require.Equal(t, DecisionApprovalRequired, verdict.Decision, "first call: %+v", verdict.Refusal)
	return verdict.Approval.ID
}

// decide sets an approval's status as a page decision would.
func (f *guardFixture) decide(t *testing.T, id string, status ApprovalStatus) {
	t.Helper()
	f.approvals.mu.Lock()
	defer f.approvals.mu.Unlock()
	record := f.approvals.lookup(id)
	require.NotNil(t, record)
	record.status = status
}

func withApprovalID(arguments map[string]any, id string) map[string]any {
	out := map[string]any{}
	for k, v := range arguments {
		out[k] = v
	}
	out[ApprovalArgument] = id
	return out
}

// check runs the fixture's guard on call and frees the deploy slot at once,
// because these tests run no tool after an approved deploy.
func (f *guardFixture) check(ctx context.Context, call Call) Verdict {
	verdict := f.guard.Check(ctx, call)
	verdict.Release()
	return verdict
}
