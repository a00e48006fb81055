package mcpguard

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/tools"
)

// argumentError decodes the call's arguments, without the approval
// arguments, the way the tool will, and returns the error result for
// unknown or mistyped arguments. It returns nil for arguments the tool can
// decode. Running it before the guard means a malformed call gets an error
// that names the argument, and no approval plan is built or shown for a
// call that could never run.
func argumentError(call *mcpserver.Call) *mcp.CallToolResult {
	if call.Tool.Input == nil {
		return nil
	}
	encoded, err := json.Marshal(guard.WithoutApprovalArguments(call.Arguments))
	if err != nil {
		return nil
	}

	var argErr *tools.ArgumentError
	input := reflect.New(call.Tool.Input).Interface()
	if err := tools.Decode(encoded, input); !errors.As(err, &argErr) {
		return nil
	}
	return mcp.NewToolResultError(fmt.Sprintf("%s: %s; see the input schema of %s in tools/list",
		call.Tool.Name, argErr.Error(), call.Tool.Name))
}
