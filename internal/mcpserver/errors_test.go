package mcpserver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// fastRetries keeps retried failures short in tests.
func fastRetries(cfg *controlroom.Config) {
	cfg.MaxAttempts = 2
	cfg.RetryInitialInterval = time.Millisecond
	cfg.RetryMaxInterval = 5 * time.Millisecond
	cfg.ReconcileDelay = time.Millisecond
}

func TestUpstreamErrorsSayWhatToDo(t *testing.T) {
	cases := []struct {
		name   string
		config func(*controlroom.Config)
		faults simulator.Faults
		want   []string
	}{
		{
			name:   "wrong token",
			config: func(cfg *controlroom.Config) { fastRetries(cfg); cfg.Token = "wrong-token" },
			want:   []string{"list_models failed", "HTTP 401", "RATIONAL_API_TOKEN"},
		},
		{
			name:   "server errors",
			config: fastRetries,
			faults: simulator.Faults{ServerErrorRate: 1},
			want:   []string{"list_models failed", "HTTP 503", "call again later"},
		},
		{
			name:   "rate limited",
			config: fastRetries,
			faults: simulator.Faults{RateLimitRate: 1, RetryAfter: time.Millisecond},
			want:   []string{"list_models failed", "rate limiting", "wait a minute"},
		},
		{
			name:   "malformed body",
			config: fastRetries,
			faults: simulator.Faults{MalformedRate: 1},
			want:   []string{"list_models failed", "call again later"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, harnessConfig{clientConfig: tc.config})
			h.sim.SetFaults(tc.faults)
			mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

			result := call(t, mcpClient, "list_models", nil)
			require.True(t, result.isError, result.text)
			for _, want := range tc.want {
				assert.Contains(t, result.text, want)
			}
			assert.NotContains(t, result.text, simulatorToken, "no token in messages")
		})
	}
}

// TestDeployLostResponseIsReconciled drops the connection after the
// Control Room created the deployment: the tool must report that one
// deployment, found by reconciling, and must not deploy twice.
func TestDeployLostResponseIsReconciled(t *testing.T) {
	h := newHarness(t, harnessConfig{clientConfig: fastRetries})
	mcpClient := h.connect(t, mcp.ProtocolVersion20260728, nil)

	listed := call(t, mcpClient, "list_models", map[string]any{"text": "phi-3"})
	modelID := modelRows(t, listed)[0].ID

	h.sim.SetFaults(simulator.Faults{
		Match: func(r *http.Request) bool {
			return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/deploy")
		},
		Next: []simulator.Fault{simulator.FaultDropAfter},
	})
	deployed := call(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.False(t, deployed.isError, deployed.text)
	assert.Equal(t, true, deployed.structured["reconciled"])
	assert.NotEmpty(t, deployed.structured["deploymentId"])
	assert.Equal(t, int64(1), h.sim.Stats().DeploymentsCreated, "the deploy was not sent twice")
}
