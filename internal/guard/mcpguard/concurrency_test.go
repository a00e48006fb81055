package mcpguard_test

// Concurrent deploys against a policy with maxConcurrentDeployments. The
// guard serialises deploys in this process, so a plan's count of live
// deployments always includes the deploys approved before it.

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/guard"
)

// liveDeployments counts the deployments that the guard counts as live.
func liveDeployments(t *testing.T, h *harness) int {
	t.Helper()
	listed := rawCall(t, h, "list_deployments", map[string]any{}, false, nil)
	require.False(t, listed.IsError, "%+v", listed)
	live := 0
	for _, item := range listed.StructuredContent["deployments"].([]any) {
		status, _ := item.(map[string]any)["status"].(string)
		if !strings.EqualFold(status, "paused") && !strings.EqualFold(status, "cancelled") && !strings.EqualFold(status, "canceled") {
			live++
		}
	}
	return live
}

func TestPolicyConcurrencyLimitConcurrentDeploys(t *testing.T) {
	probe := newHarness(t, harnessConfig{})
	liveAtStart := liveDeployments(t, probe)
	require.Positive(t, liveAtStart, "the seeded catalog has a live deployment")

	// The limit leaves room for exactly one more deployment.
	limit := liveAtStart + 1
	policy, err := guard.ParsePolicy(fmt.Appendf(nil, `version: 1
deploy:
  preapprove:
    - name: limited
      models: ["small/*"]
      maxConcurrentDeployments: %d
`, limit))
	require.NoError(t, err)
	h := newHarness(t, harnessConfig{mode: guard.ModeDeny, policy: &policy})
	require.Equal(t, liveAtStart, liveDeployments(t, h))

	const callers = 6
	modelIDs := make([]string, callers)
	for i := range modelIDs {
		modelIDs[i] = modelFor(t, h, fmt.Sprintf("small/model-%d", i))
	}

	results := make([]rawResult, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			results[i] = rawCall(t, h, "deploy_model", map[string]any{"modelId": modelIDs[i]}, false, nil)
		})
	}
	wg.Wait()

	approved := 0
	for i, result := range results {
		if !result.IsError {
			approved++
			approver, _ := result.StructuredContent["approvedBy"].(map[string]any)
			assert.Equal(t, "limited", approver["ref"], "call %d", i)
			continue
		}
		assert.Equal(t, "no_human_path", result.StructuredContent["reason"], "call %d: %v", i, result.StructuredContent["message"])
	}
	assert.Equal(t, 1, approved, "exactly one deploy fits under the limit")
	assert.Equal(t, int64(1), h.deployments())
	assert.Equal(t, limit, liveDeployments(t, h))
}
