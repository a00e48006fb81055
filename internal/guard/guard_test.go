package guard

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

func TestGuardReadPasses(t *testing.T) {
	f := newGuardFixture(t)
	verdict := f.check(context.Background(), Call{Tool: listTool, Arguments: map[string]any{}, Caller: "s1"})
	assert.True(t, verdict.Proceed())
	assert.Equal(t, DecisionAllowed, verdict.Decision)
	assert.Equal(t, ApproverRule, verdict.ApprovedBy.Kind)
}

func TestGuardRegisterPasses(t *testing.T) {
	f := newGuardFixture(t)
	verdict := f.check(context.Background(), Call{Tool: regTool, Arguments: map[string]any{"huggingFaceId": "a/b"}, Caller: "s1"})
	assert.True(t, verdict.Proceed())
}

func TestGuardDeployAsksElicitingClient(t *testing.T) {
	f := newGuardFixture(t)
	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1", Client: elicitingClient()})

	require.Equal(t, DecisionInputRequired, verdict.Decision)
	assert.False(t, verdict.Proceed())
	request := verdict.Elicitation
	assert.Equal(t, ElicitationKey, request.Key)
	assert.Contains(t, request.Message, "Deploy model")
	assert.Contains(t, request.Message, "GPUs (estimate): 1")
	assert.Equal(t, []any{"approve"}, request.Schema["required"])
	assert.NotEmpty(t, request.State)
	assert.Nil(t, verdict.Approval)
}

func TestGuardElicitationAcceptApproves(t *testing.T) {
	f := newGuardFixture(t)
	state := f.ask(t, "s1", deployArgs("m-gemma"))

	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1",
		Client: elicitingClient(), RequestState: state, InputResponses: accept()})
	require.Equal(t, DecisionApproved, verdict.Decision, "%+v", verdict.Refusal)
	assert.True(t, verdict.Proceed())
	assert.Equal(t, ApproverElicitation, verdict.ApprovedBy.Kind)
}

func TestGuardElicitationDeclineAndCancel(t *testing.T) {
	for _, answer := range []InputAnswer{
		{Action: "decline"},
		{Action: "cancel"},
		{Action: "accept", Content: map[string]any{"approve": false}},
		{Action: "accept", Content: map[string]any{"approve": "true"}},
		{Action: "accept"},
	} {
		t.Run(answer.Action, func(t *testing.T) {
			f := newGuardFixture(t)
			state := f.ask(t, "s1", deployArgs("m-gemma"))
			verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1",
				Client: elicitingClient(), RequestState: state, InputResponses: map[string]InputAnswer{ElicitationKey: answer}})
			require.Equal(t, DecisionRefused, verdict.Decision)
			assert.Equal(t, ReasonDeclined, verdict.Refusal.Reason)
			assertOneSentence(t, verdict.Refusal)
		})
	}
}

func TestGuardDeploySendsOtherClientToPage(t *testing.T) {
	f := newGuardFixture(t)
	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1"})

	require.Equal(t, DecisionApprovalRequired, verdict.Decision)
	require.NotNil(t, verdict.Approval)
	assert.True(t, strings.HasPrefix(verdict.Approval.ID, approvalIDPrefix))
	assert.Equal(t, "http://127.0.0.1:1"+approvalPath+verdict.Approval.ID, verdict.Approval.URL)
	assert.Equal(t, f.clock.Now().Add(DefaultApprovalTTL), verdict.Approval.ExpiresAt)
	assert.Nil(t, verdict.Elicitation, "no input request for a client without elicitation")
	assert.NotNil(t, verdict.Plan)
}

func TestGuardApprovalIDApproves(t *testing.T) {
	f := newGuardFixture(t)
	id := f.requestPageApproval(t, "s1", deployArgs("m-gemma"))
	f.decide(t, id, ApprovalApproved)

	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: withApprovalID(deployArgs("m-gemma"), id), Caller: "s1"})
	require.Equal(t, DecisionApproved, verdict.Decision, "%+v", verdict.Refusal)
	assert.Equal(t, ApproverApprovalPage, verdict.ApprovedBy.Kind)
	assert.Equal(t, Fingerprint(id), verdict.ApprovedBy.Ref)
}

func TestGuardPendingApprovalNotConsumed(t *testing.T) {
	f := newGuardFixture(t)
	id := f.requestPageApproval(t, "s1", deployArgs("m-gemma"))

	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: withApprovalID(deployArgs("m-gemma"), id), Caller: "s1"})
	require.Equal(t, DecisionRefused, verdict.Decision)
	assert.Equal(t, ReasonPending, verdict.Refusal.Reason)

	f.decide(t, id, ApprovalApproved)
	verdict = f.check(context.Background(), Call{Tool: deployTool, Arguments: withApprovalID(deployArgs("m-gemma"), id), Caller: "s1"})
	assert.Equal(t, DecisionApproved, verdict.Decision)
}

func TestGuardRejectedApproval(t *testing.T) {
	f := newGuardFixture(t)
	id := f.requestPageApproval(t, "s1", deployArgs("m-gemma"))
	f.decide(t, id, ApprovalRejected)

	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: withApprovalID(deployArgs("m-gemma"), id), Caller: "s1"})
	require.Equal(t, DecisionRefused, verdict.Decision)
	assert.Equal(t, ReasonRejected, verdict.Refusal.Reason)
}

func TestGuardModeElicitationRefusesPlainClient(t *testing.T) {
	f := newGuardFixture(t, withMode(ModeElicitation))
	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1"})
	require.Equal(t, DecisionRefused, verdict.Decision)
	assert.Equal(t, ReasonNoHumanPath, verdict.Refusal.Reason)
	assert.Contains(t, verdict.Refusal.Message, "did not declare the elicitation capability")
	assert.Nil(t, verdict.Elicitation)
}

func TestGuardModeApprovalPageIgnoresElicitation(t *testing.T) {
	f := newGuardFixture(t, withMode(ModeApprovalPage))
	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1", Client: elicitingClient()})
	assert.Equal(t, DecisionApprovalRequired, verdict.Decision)
}

func TestGuardModeDenyRefusesWithPolicyHint(t *testing.T) {
	f := newGuardFixture(t, withMode(ModeDeny))
	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1", Client: elicitingClient()})
	require.Equal(t, DecisionRefused, verdict.Decision)
	assert.Equal(t, ReasonNoHumanPath, verdict.Refusal.Reason)
	assert.Contains(t, verdict.Refusal.Message, "no policy rule pre-approves deploys")
}

func TestGuardPolicyPreapproves(t *testing.T) {
	policy := DefaultPolicy()
	policy.Preapprovals = []DeployRule{gemmaRule()}
	f := newGuardFixture(t, withPolicy(policy), withMode(ModeDeny))

	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1"})
	require.Equal(t, DecisionApproved, verdict.Decision, "%+v", verdict.Refusal)
	assert.Equal(t, &Approver{Kind: ApproverPolicy, Ref: "gemma"}, verdict.ApprovedBy)
}

func TestGuardPolicyMissFallsBackToHuman(t *testing.T) {
	policy := DefaultPolicy()
	policy.Preapprovals = []DeployRule{gemmaRule()}
	f := newGuardFixture(t, withPolicy(policy))

	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-llama"), Caller: "s1"})
	require.Equal(t, DecisionApprovalRequired, verdict.Decision)
	require.Len(t, verdict.PolicyMisses, 1)
	assert.Contains(t, verdict.PolicyMisses[0], `rule "gemma"`)
}

func TestGuardPolicyDoesNotPreapproveDestructive(t *testing.T) {
	policy := DefaultPolicy()
	policy.Preapprovals = []DeployRule{{Name: "all", Models: []string{"*"}}}
	f := newGuardFixture(t, withPolicy(policy))
	f.api.addDeployment("m-gemma", controlroom.Deployment{DeploymentID: "dep-1", Status: "waitingForChat"})

	verdict := f.check(context.Background(), Call{Tool: cancelTool, Arguments: map[string]any{"deploymentId": "dep-1"}, Caller: "s1"})
	assert.Equal(t, DecisionApprovalRequired, verdict.Decision)
}

func TestGuardDeniedTool(t *testing.T) {
	policy := DefaultPolicy()
	policy.Rules.Tools["delete_model"] = ActionDeny
	f := newGuardFixture(t, withPolicy(policy))

	verdict := f.check(context.Background(), Call{Tool: deleteTool, Arguments: map[string]any{"modelId": "m-gemma"}, Caller: "s1"})
	require.Equal(t, DecisionRefused, verdict.Decision)
	assert.Equal(t, ReasonDenied, verdict.Refusal.Reason)
	assert.Contains(t, verdict.Refusal.Message, "tool rule delete_model")
}

func TestGuardReadOnlyRefusesWrites(t *testing.T) {
	policy := DefaultPolicy()
	policy.Rules.ReadOnly = true
	f := newGuardFixture(t, withPolicy(policy))

	for _, tool := range []Tool{regTool, deployTool, cancelTool} {
		verdict := f.check(context.Background(), Call{Tool: tool, Arguments: map[string]any{}, Caller: "s1"})
		require.Equal(t, DecisionRefused, verdict.Decision, tool.Name)
		assert.Equal(t, ReasonReadOnly, verdict.Refusal.Reason)
	}
	assert.True(t, f.check(context.Background(), Call{Tool: listTool, Caller: "s1"}).Proceed())
}

func TestGuardPlanFailureRefuses(t *testing.T) {
	f := newGuardFixture(t)
	arguments := deployArgs("m-gemma")
	arguments["forceDeployment"] = "maybe"
	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: arguments, Caller: "s1", Client: elicitingClient()})
	require.Equal(t, DecisionRefused, verdict.Decision)
	assert.Equal(t, ReasonPlanFailed, verdict.Refusal.Reason)
	assert.Contains(t, verdict.Refusal.Message, "forceDeployment")
}

func TestGuardApprovalPageOff(t *testing.T) {
	f := newGuardFixture(t, func(c *Config) { c.Approvals = nil })
	verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: deployArgs("m-gemma"), Caller: "s1"})
	require.Equal(t, DecisionRefused, verdict.Decision)
	assert.Equal(t, ReasonNoHumanPath, verdict.Refusal.Reason)
}

func TestGuardNewValidates(t *testing.T) {
	_, err := New(Config{})
	assert.Error(t, err)
	signer, err := NewStateSigner(NewRandomKey(), 0, nil)
	require.NoError(t, err)
	_, err = New(Config{Signer: signer})
	assert.Error(t, err)
	_, err = New(Config{Signer: signer, Planner: &ControlRoomPlanner{}, Mode: "always"})
	assert.Error(t, err)
	g, err := New(Config{Signer: signer, Planner: &ControlRoomPlanner{}})
	require.NoError(t, err)
	assert.Equal(t, ActionRequireApproval, g.Rules().Effects[EffectGPU])
}

func TestWithoutApprovalArguments(t *testing.T) {
	arguments := map[string]any{"modelId": "m", ApprovalArgument: "ap_x"}
	stripped := WithoutApprovalArguments(arguments)
	assert.Equal(t, map[string]any{"modelId": "m"}, stripped)
	assert.Contains(t, arguments, ApprovalArgument)
}
