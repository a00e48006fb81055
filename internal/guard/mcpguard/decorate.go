package mcpguard

import (
	"encoding/json"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/tools"
)

// approvalNote ends the description of a tool that needs approval, so that
// agents explain the wait to the user instead of retrying.
const approvalNote = " Needs user approval: if status is approval_required, show approvalUrl to the user, " +
	"then call again with the same arguments plus approvalId. Do not retry refusals."

// deniedNote ends the description of a tool that the policy denies.
const deniedNote = " Disabled by the operator's policy on this server."

// DecorateTool adjusts a tool's tools/list entry to the guard's rules. A tool
// that needs approval gets the approvalId argument, an output schema that
// also admits the approval_required result and approvedBy, and a note in its
// description. A denied tool gets a note that the policy disables it. It fits mcpserver.Options.DecorateTool.
func (a *Adapter) DecorateTool(tool tools.Tool, announced *mcp.Tool) error {
	action, _ := a.guard.Rules().Decide(GuardTool(tool))

	switch action {
	case guard.ActionDeny:
		announced.Description += deniedNote
		return nil
	case guard.ActionAllow:
		return nil
	}

	input, err := withApprovalArgument(announced.RawInputSchema)
	if err != nil {
		return fmt.Errorf("add %s to the input schema: %w", guard.ApprovalArgument, err)
	}
	output, err := withApprovalResult(announced.RawOutputSchema)
	if err != nil {
		return fmt.Errorf("add the approval result to the output schema: %w", err)
	}

	announced.RawInputSchema = input
	announced.RawOutputSchema = output
	announced.Description += approvalNote
	return nil
}

// withApprovalArgument adds the optional approvalId property.
func withApprovalArgument(schema json.RawMessage) (json.RawMessage, error) {
	return editProperties(schema, func(properties map[string]any, _ map[string]any) {
		properties[guard.ApprovalArgument] = map[string]any{
			"type":        "string",
			"maxLength":   200,
			"description": "From an approval_required result, after the user approved.",
		}
	})
}

// withApprovalResult adds the approval_required fields and approvedBy as
// optional properties. The tool's own required list is dropped, because an
// approval_required result carries none of the tool's fields.
func withApprovalResult(schema json.RawMessage) (json.RawMessage, error) {
	return editProperties(schema, func(properties map[string]any, root map[string]any) {
		delete(root, "required")

		text := func(description string) map[string]any {
			return map[string]any{"type": "string", "description": description}
		}
		properties["status"] = text("approval_required, or absent once the tool ran.")
		properties["approvalId"] = text("Pass back after the user approved.")
		properties["approvalUrl"] = text("Show to the user.")
		properties["expiresAt"] = text("Link expiry, RFC 3339.")
		properties["plan"] = map[string]any{"type": "object", "description": "What the user approves: summary and facts."}
		properties["approvedBy"] = map[string]any{"type": "object", "description": "Who approved: kind (policy, elicitation, approval_page) and ref."}
		if _, ok := properties["message"]; !ok {
			properties["message"] = text("Next step.")
		}
	})
}

// editProperties decodes an object schema, lets edit change its properties
// and root, and encodes it again.
func editProperties(schema json.RawMessage, edit func(properties, root map[string]any)) (json.RawMessage, error) {
	var root map[string]any
	if err := json.Unmarshal(schema, &root); err != nil {
		return nil, err
	}
	properties, ok := root["properties"].(map[string]any)
	if !ok {
		properties = map[string]any{}
		root["properties"] = properties
	}

	edit(properties, root)
	return json.Marshal(root)
}
