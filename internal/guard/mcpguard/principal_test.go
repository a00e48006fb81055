package mcpguard_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestApprovalBoundToUpstreamToken(t *testing.T) {
	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			h := newHarness(t, harnessConfig{})
			alice := h.connectWithHeaders(t, era, nil, map[string]string{principalHeader: "alice-control-room-token"})
			bob := h.connectWithHeaders(t, era, nil, map[string]string{principalHeader: "bob-control-room-token"})
			modelID := registerModel(t, alice, "google/gemma-4-12B-it")
			arguments := map[string]any{"modelId": modelID}

			pending := callTool(t, alice, "deploy_model", arguments)
			require.False(t, pending.isError, pending.text)
			approvalID := pending.structured["approvalId"].(string)
			decide(t, h, pending.structured["approvalUrl"].(string), "approve")

			stolen := callTool(t, bob, "deploy_model", withApproval(arguments, approvalID))
			require.True(t, stolen.isError, stolen.text)
			assert.Equal(t, "wrong_session", stolen.structured["reason"])
			assert.Zero(t, h.deployments())

			own := callTool(t, alice, "deploy_model", withApproval(arguments, approvalID))
			require.False(t, own.isError, own.text)
			assert.Equal(t, int64(1), h.deployments())
		})
	}
}
