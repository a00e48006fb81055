package mcpserver_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// lockedBuffer is a bytes.Buffer that the server's goroutines and the test
// can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) lines(substring string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var found []string
	for _, line := range strings.Split(b.buf.String(), "\n") {
		if strings.Contains(line, substring) {
			found = append(found, line)
		}
	}
	return found
}

func TestFailedCallLogsErrorKind(t *testing.T) {
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := newHarness(t, harnessConfig{options: mcpserver.Options{Logger: logger}})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	listed := call(t, mcpClient, "list_models", map[string]any{"text": simulator.SeededReadyModel})
	require.False(t, listed.isError, listed.text)
	readyModelID := modelRows(t, listed)[0].ID

	cases := []struct {
		tool      string
		arguments map[string]any
		kind      string
	}{
		{"get_model", map[string]any{"modelId": "3f2b8c1e-9a4d-4c2e-8f1a-420f1c9176bc"}, "not_found"},
		{"deploy_model", map[string]any{"modelId": readyModelID}, "conflict"},
		{"update_model", map[string]any{"modelId": readyModelID}, "invalid_argument"},
	}
	for _, tc := range cases {
		result := call(t, mcpClient, tc.tool, tc.arguments)
		require.True(t, result.isError, "%s: %s", tc.tool, result.text)

		failed := logs.lines("tool=" + tc.tool)
		require.NotEmpty(t, failed, "%s logged no failure", tc.tool)
		assert.Contains(t, failed[len(failed)-1], "kind="+tc.kind, tc.tool)
	}
	assert.Empty(t, logs.lines(`kind=""`), "every failure is classified")
}
