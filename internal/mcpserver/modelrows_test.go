package mcpserver_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/tools"
)

// modelRows decodes the positional rows of a list_models result.
func modelRows(t *testing.T, result callResult) []tools.ModelRow {
	t.Helper()
	raw, err := json.Marshal(result.structured["models"])
	require.NoError(t, err)
	var rows []tools.ModelRow
	require.NoError(t, json.Unmarshal(raw, &rows), "list_models rows: %s", raw)
	return rows
}
