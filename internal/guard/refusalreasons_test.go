package guard

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

func TestGuardUnknownIDsAreNotFound(t *testing.T) {
	cases := []struct {
		tool      Tool
		arguments map[string]any
		want      []string
	}{
		{deployTool, map[string]any{"modelId": "no-such-model"}, []string{`"no-such-model"`, "argument modelId", "call list_models"}},
		{deleteTool, map[string]any{"modelId": "no-such-model"}, []string{`"no-such-model"`, "argument modelId", "call list_models"}},
		{pauseTool, map[string]any{"deploymentId": "no-such-deployment"}, []string{`"no-such-deployment"`, "argument deploymentId", "call list_deployments"}},
		{cancelTool, map[string]any{"deploymentId": "no-such-deployment"}, []string{`"no-such-deployment"`, "argument deploymentId", "call list_deployments"}},
	}
	for _, tc := range cases {
		t.Run(tc.tool.Name, func(t *testing.T) {
			f := newGuardFixture(t)
			verdict := f.check(context.Background(), Call{Tool: tc.tool, Arguments: tc.arguments, Caller: "s1"})
			require.Equal(t, DecisionRefused, verdict.Decision)
			assert.Equal(t, ReasonNotFound, verdict.Refusal.Reason)
			for _, want := range tc.want {
				assert.Contains(t, verdict.Refusal.Message, want)
			}
		})
	}
}

func TestGuardEmptyApprovalIDNamed(t *testing.T) {
	f := newGuardFixture(t)
	for _, value := range []string{"", "   "} {
		arguments := deployArgs("m-gemma")
		arguments[ApprovalArgument] = value
		verdict := f.check(context.Background(), Call{Tool: deployTool, Arguments: arguments, Caller: "s1"})
		require.Equal(t, DecisionRefused, verdict.Decision)
		assert.Equal(t, ReasonUnknownApproval, verdict.Refusal.Reason)
		assert.Contains(t, verdict.Refusal.Message, "approvalId is empty")
		assert.NotContains(t, verdict.Refusal.Message, "not a string")
	}
}

func TestGuardPendingApprovalForOtherTool(t *testing.T) {
	f := newGuardFixture(t)
	f.api.addDeployment("m-gemma", controlroom.Deployment{DeploymentID: "dep-1", Status: "waitingForChat"})
	id := f.requestPageApproval(t, "s1", deployArgs("m-gemma"))

	verdict := f.check(context.Background(), Call{Tool: cancelTool,
		Arguments: withApprovalID(map[string]any{"deploymentId": "dep-1"}, id), Caller: "s1"})
	assertRefused(t, f, verdict, ReasonWrongTool)

	otherSession := f.check(context.Background(), Call{Tool: deployTool,
		Arguments: withApprovalID(deployArgs("m-gemma"), id), Caller: "s2"})
	assertRefused(t, f, otherSession, ReasonWrongSession)

	sameCall := f.check(context.Background(), Call{Tool: deployTool,
		Arguments: withApprovalID(deployArgs("m-gemma"), id), Caller: "s1"})
	assertRefused(t, f, sameCall, ReasonPending)
}
