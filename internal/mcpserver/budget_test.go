package mcpserver_test

import (
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/tools"
)

// toolsListTokenBudget caps the size of the whole tools/list result in
// tokens, estimated as 4 bytes per token. It is set just above the measured
// size, so a change that grows the tool descriptions or schemas has to
// raise it on purpose.
const toolsListTokenBudget = 2650

func TestToolsListTokenBudget(t *testing.T) {
	var listed []mcp.Tool
	for _, tool := range tools.All() {
		mcpTool, err := mcpserver.MCPTool(tool)
		require.NoError(t, err)
		listed = append(listed, mcpTool)
	}
	encoded, err := json.Marshal(mcp.ListToolsResult{Tools: listed})
	require.NoError(t, err)

	tokens := (len(encoded) + 3) / 4
	t.Logf("tools/list: %d tools, %d bytes, about %d tokens (budget %d)", len(listed), len(encoded), tokens, toolsListTokenBudget)
	assert.LessOrEqual(t, tokens, toolsListTokenBudget)
	assert.Less(t, toolsListTokenBudget, 3000)
}
