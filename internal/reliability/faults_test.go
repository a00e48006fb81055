package reliability

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/simulator"
	"github.com/rational-ai/rational-mcp/tools"
)

// Control Room client settings of the fault matrix. They are short so that
// the whole matrix runs in well under a minute, and they keep the same
// ratios as the defaults: several attempts fit in one call, and a deploy
// keeps time back for reconciliation.
const (
	faultCallTimeout    = 2 * time.Second
	faultAttemptTimeout = 700 * time.Millisecond
	// budgetSlack covers the MCP round trip and the guard around the
	// Control Room calls of one tool call.
	budgetSlack = time.Second
)

// upstreamCalls is the number of Control Room methods that one call of each
// tool runs one after another, the guard's planning reads included. Each
// method is bounded by the client's CallTimeout, so a tool call must end
// within upstreamCalls × CallTimeout plus budgetSlack.
var upstreamCalls = map[string]int{
	"list_models":           1,
	"register_model":        1,
	"get_model":             1,
	"update_model":          1,
	"deploy_model":          3, // the guard reads the model and the deployments list
	"list_deployments":      1,
	"get_deployment_status": 1,
	"pause_deployment":      2, // the guard reads the deployment
	"cancel_deployment":     2,
	"delete_model":          2, // the guard reads the model
}

// hubOnlyTools read only the Hugging Face Hub, so Control Room faults do not
// reach them and the fault matrix leaves them out.
var hubOnlyTools = map[string]bool{"inspect_model": true}

func TestFaultMatrixCoversEveryTool(t *testing.T) {
	for _, tool := range tools.All() {
		_, covered := upstreamCalls[tool.Name]
		assert.True(t, covered || hubOnlyTools[tool.Name], "%s is not in the fault matrix; add it to upstreamCalls and runFaultCase", tool.Name)
	}
}

// faultCase is one row of the fault matrix.
type faultCase struct {
	name   string
	faults simulator.Faults
}

// faultCases builds the matrix: each fault kind alone at each rate, all
// kinds mixed at each rate, and the timing faults.
func faultCases() []faultCase {
	var cases []faultCase
	rates := []float64{0.1, 0.3, 0.6}
	kinds := []struct {
		name string
		set  func(f *simulator.Faults, rate float64)
	}{
		{"serverError", func(f *simulator.Faults, rate float64) { f.ServerErrorRate = rate }},
		{"rateLimit", func(f *simulator.Faults, rate float64) { f.RateLimitRate = rate }},
		{"dropBefore", func(f *simulator.Faults, rate float64) { f.DropBeforeRate = rate }},
		{"dropAfter", func(f *simulator.Faults, rate float64) { f.DropAfterRate = rate }},
		{"serverErrorAfter", func(f *simulator.Faults, rate float64) { f.ServerErrorAfterRate = rate }},
		{"malformed", func(f *simulator.Faults, rate float64) { f.MalformedRate = rate }},
		{"truncated", func(f *simulator.Faults, rate float64) { f.TruncatedRate = rate }},
	}

	seed := int64(101)
	for _, kind := range kinds {
		for _, rate := range rates {
			faults := simulator.Faults{Seed: seed}
			kind.set(&faults, rate)
			cases = append(cases, faultCase{name: fmt.Sprintf("%s-%02.0f", kind.name, rate*100), faults: faults})
			seed++
		}
	}
	for _, rate := range rates {
		share := rate / float64(len(kinds))
		faults := simulator.Faults{Seed: seed}
		for _, kind := range kinds {
			kind.set(&faults, share)
		}
		cases = append(cases, faultCase{name: fmt.Sprintf("mixed-%02.0f", rate*100), faults: faults})
		seed++
	}

	cases = append(cases,
		faultCase{name: "latency-150ms", faults: simulator.Faults{Latency: 150 * time.Millisecond}},
		faultCase{name: "latency-over-attempt-timeout", faults: simulator.Faults{Latency: faultAttemptTimeout + 200*time.Millisecond}},
		faultCase{name: "slowBody-300ms", faults: simulator.Faults{SlowBody: 300 * time.Millisecond}},
		faultCase{name: "slowBody-mixed-30", faults: simulator.Faults{SlowBody: 200 * time.Millisecond, Seed: seed,
			ServerErrorRate: 0.1, DropAfterRate: 0.1, TruncatedRate: 0.1}},
	)
	return cases
}

// caseReport holds the figures of one fault case.
type caseReport struct {
	name           string
	calls          int
	succeeded      int
	failed         int
	outcomes       map[string]int
	tools          map[string]bool
	faults         int64
	retries        int64
	reconciled     int64
	outcomeUnknown int64
	duplicates     int
	lost           int
	maxElapsed     time.Duration
}

func TestFaultMatrix(t *testing.T) {
	cases := faultCases()
	var (
		mu      sync.Mutex
		reports []caseReport
	)

	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				report := runFaultCase(t, tc)
				mu.Lock()
				reports = append(reports, report)
				mu.Unlock()
			})
		}
	})

	slices.SortFunc(reports, func(a, b caseReport) int { return strings.Compare(a.name, b.name) })
	t.Log("fault matrix summary\n" + faultTable(reports))

	var duplicates, lost int
	for _, report := range reports {
		duplicates += report.duplicates
		lost += report.lost
	}
	assert.Len(t, reports, len(cases), "every case reported")
	assert.Zero(t, duplicates, "deployments created twice")
	assert.Zero(t, lost, "registrations or deployments lost")
}

// runFaultCase runs every tool once under tc's fault plan and checks each
// outcome, then checks the simulator's state with a fault-free client.
func runFaultCase(t *testing.T, tc faultCase) caseReport {
	s := newStack(t, stackConfig{client: func(c *controlroom.Config) {
		c.CallTimeout = faultCallTimeout
		c.AttemptTimeout = faultAttemptTimeout
		c.MaxAttempts = 4
		c.RetryInitialInterval = 10 * time.Millisecond
		c.RetryMaxInterval = 100 * time.Millisecond
		c.ReconcileBudget = 600 * time.Millisecond
		c.ReconcileDelay = 50 * time.Millisecond
	}})
	mcpClient := connect(t, s.url, nil)

	plan := tc.faults
	plan.RetryAfter = time.Second
	plan.Match = func(r *http.Request) bool { return r.UserAgent() != verifierAgent }
	s.sim.SetFaults(plan)

	ctx := t.Context()
	run := &faultRun{t: t, stack: s, client: mcpClient, report: caseReport{name: tc.name, outcomes: map[string]int{}, tools: map[string]bool{}}}
	repoID := approvedNamespace + "/" + tc.name

	run.call("list_models", map[string]any{})

	// A registration reported as done must exist. One reported as failed
	// must not exist unless the error stated that it may have happened.
	registered := run.call("register_model", map[string]any{"huggingFaceId": repoID, "type": "base"})
	modelID, err := s.findModel(ctx, repoID)
	require.NoError(t, err)
	if registered.isError {
		if modelID != "" && !mentionsUnknownOutcome(registered.text) {
			run.report.lost++
			t.Errorf("register_model failed without saying the outcome is unknown, but the model exists: %s", registered.text)
		}
	} else {
		if modelID == "" {
			run.report.lost++
			t.Errorf("register_model succeeded but the model is not in the catalog: %s", registered.text)
		}
		assert.Equal(t, modelID, registered.structured["modelId"], "the reported id is the catalog's")
	}
	if modelID == "" {
		created, err := s.verifier.RegisterModel(ctx, controlroom.RegisterModelRequest{Name: repoID, HuggingFaceID: repoID, Type: controlroom.ModelTypeBase})
		require.NoError(t, err)
		modelID = created.Model.ID
	}

	run.call("get_model", map[string]any{"modelId": modelID})
	run.call("update_model", map[string]any{"modelId": modelID, "description": "fault matrix " + tc.name})

	// A deploy reported as done names the only deployment of the model. One
	// reported as failed left none, unless the error said the outcome is
	// unknown. Either way there is never more than one.
	deployed := run.call("deploy_model", map[string]any{"modelId": modelID})
	deployments := s.deploymentsOf(modelID)
	if len(deployments) > 1 {
		run.report.duplicates += len(deployments) - 1
		t.Errorf("one deploy_model call created %d deployments: %v", len(deployments), deployments)
	}
	if deployed.isError {
		if len(deployments) > 0 && !mentionsUnknownOutcome(deployed.text) {
			run.report.lost++
			t.Errorf("deploy_model failed without saying the outcome is unknown, but deployment %v exists: %s", deployments, deployed.text)
		}
	} else {
		assert.Equal(t, deployments, []string{fmt.Sprint(deployed.structured["deploymentId"])}, "the reported deployment is the model's only one")
	}
	if len(deployments) == 0 {
		created, err := s.verifier.DeployModel(ctx, modelID, controlroom.DeploymentParameters{})
		require.NoError(t, err)
		deployments = []string{created.DeploymentID}
	}
	deploymentID := deployments[0]

	s.clock.Advance(30 * time.Second)
	run.call("list_deployments", map[string]any{"modelId": modelID})
	run.call("get_deployment_status", map[string]any{"deploymentId": deploymentID})
	run.call("pause_deployment", map[string]any{"deploymentId": deploymentID})
	run.call("cancel_deployment", map[string]any{"deploymentId": deploymentID})
	assert.Len(t, s.deploymentsOf(modelID), 1, "no tool after deploy_model created a deployment")

	// A delete reported as done leaves no model. A delete must never report
	// "not found" for the model that existed when it was called, even when
	// a retry after a lost reply finds it already gone.
	deleted := run.call("delete_model", map[string]any{"modelId": modelID})
	remaining, err := s.findModel(ctx, repoID)
	require.NoError(t, err)
	if !deleted.isError {
		assert.Empty(t, remaining, "delete_model succeeded but the model is still in the catalog")
	}
	assert.NotEqual(t, "notFound", failureCategory(deleted.text), "delete_model reported an existing model as not found: %s", deleted.text)

	for tool := range upstreamCalls {
		assert.True(t, run.report.tools[tool], "the case did not call %s", tool)
	}

	stats := s.sim.Stats()
	for fault, count := range stats.Faults {
		if fault != simulator.FaultLatency && fault != simulator.FaultSlowBody {
			run.report.faults += count
		}
	}
	if plan.Latency > 0 {
		run.report.faults += stats.Faults[simulator.FaultLatency]
	}
	if plan.SlowBody > 0 {
		run.report.faults += stats.Faults[simulator.FaultSlowBody]
	}
	clientStats := s.api.Stats()
	run.report.retries = clientStats.Retries
	run.report.reconciled = clientStats.DeploysReconciled
	run.report.outcomeUnknown = clientStats.DeploysOutcomeUnknown
	return run.report
}

// faultRun sends the tool calls of one fault case and records them.
type faultRun struct {
	t      *testing.T
	stack  *stack
	client *client.Client
	report caseReport
}

// call sends one tool call and checks that it ended inside its time budget
// with a result: a success, or an error result that says what failed and
// what to do next. It never fails with a JSON-RPC or transport error.
func (r *faultRun) call(tool string, arguments map[string]any) toolResult {
	r.t.Helper()
	budget := time.Duration(upstreamCalls[tool])*faultCallTimeout + budgetSlack
	result, err := callTool(r.client, budget+5*time.Second, tool, arguments)
	require.NoError(r.t, err, "%s returned a protocol error instead of a tool result", tool)

	r.report.calls++
	r.report.tools[tool] = true
	r.report.maxElapsed = max(r.report.maxElapsed, result.elapsed)
	assert.LessOrEqual(r.t, result.elapsed, budget, "%s took longer than its budget", tool)

	if !result.isError {
		r.report.succeeded++
		r.report.outcomes["ok"]++
		return result
	}
	r.report.failed++
	category := failureCategory(result.text)
	r.t.Logf("%s failed (%s): %.300s", tool, category, result.text)
	r.report.outcomes[category]++
	assert.NotEqual(r.t, "unclassified", category, "%s failed with an error that names no known failure: %s", tool, result.text)
	assert.True(r.t, namesNextStep(result.text), "%s error names no next step: %s", tool, result.text)
	return result
}

// failureCategory classifies an error result by the failure its text names.
func failureCategory(text string) string {
	switch {
	case mentionsUnknownOutcome(text):
		return "outcomeUnknown"
	case strings.Contains(text, "rate limiting"):
		return "rateLimited"
	case strings.Contains(text, "could not be reached in time"):
		return "unreachable"
	case strings.Contains(text, "the Control Room returned"):
		return "upstreamError"
	case strings.Contains(text, "conflict"):
		return "conflict"
	case strings.Contains(text, "not found"):
		return "notFound"
	case strings.Contains(text, "approval"), strings.Contains(text, "refused"), strings.Contains(text, "denied"):
		return "guardRefused"
	}
	return "unclassified"
}

func mentionsUnknownOutcome(text string) bool {
	return strings.Contains(text, "may or may not")
}

// namesNextStep reports whether an error tells the caller what to do next.
func namesNextStep(text string) bool {
	for _, step := range []string{"call again", "call get_model", "call list_", "wait", "check", "retry", "try again"} {
		if strings.Contains(strings.ToLower(text), step) {
			return true
		}
	}
	return false
}

// faultTable renders the reports and their totals as an aligned table.
func faultTable(reports []caseReport) string {
	var out strings.Builder
	table := tabwriter.NewWriter(&out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(table, "case\tcalls\tok\terrors\tfaults\tretries\treconciled\tunknown\tduplicates\tlost\tmax call\toutcomes\t")

	total := caseReport{name: "total", outcomes: map[string]int{}}
	for _, report := range append(reports, caseReport{}) {
		if report.name == "" {
			report = total
		} else {
			total.calls += report.calls
			total.succeeded += report.succeeded
			total.failed += report.failed
			total.faults += report.faults
			total.retries += report.retries
			total.reconciled += report.reconciled
			total.outcomeUnknown += report.outcomeUnknown
			total.duplicates += report.duplicates
			total.lost += report.lost
			total.maxElapsed = max(total.maxElapsed, report.maxElapsed)
			for outcome, count := range report.outcomes {
				total.outcomes[outcome] += count
			}
		}
		fmt.Fprintf(table, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n",
			report.name, report.calls, report.succeeded, report.failed, report.faults, report.retries,
			report.reconciled, report.outcomeUnknown, report.duplicates, report.lost,
			report.maxElapsed.Round(10*time.Millisecond), outcomeList(report.outcomes))
	}
	_ = table.Flush()
	return out.String()
}

func outcomeList(outcomes map[string]int) string {
	var parts []string
	for outcome, count := range outcomes {
		parts = append(parts, fmt.Sprintf("%s=%d", outcome, count))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}
