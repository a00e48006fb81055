package mcpguard

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/tools"
)

// approvalNote ends the description of a tool that needs approval. The
// steps of an approval are in Instructions, once for all tools.
const approvalNote = " Needs the user's approval; see approvalId."

// deniedNote ends the description of a tool that the policy denies.
const deniedNote = " Disabled by the operator's policy on this server."

// DecorateTool adjusts a tool's tools/list entry to the guard's rules. A tool
// that needs approval gets the approvalId argument, an output schema that
// also admits the approval_required result and approvedBy, and a short note
// in its description that points to the argument; Instructions explains the
// steps. A denied tool gets a note that the policy disables it. It fits mcpserver.Options.DecorateTool.
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

// approvalInstructions explains approvals once for every guarded tool, in
// the server instructions.
const approvalInstructions = "Approvals: a tool whose description says it needs the user's approval may return " +
	"status approval_required instead of running, with approvalId, approvalUrl, expiresAt and plan (what the user approves). " +
	"Show the user approvalUrl, wait until they say they approved, then call the tool again with the same arguments plus approvalId. " +
	"Never open the approval page yourself, and do not repeat a refused call unchanged. " +
	"A call that ran after an approval carries approvedBy with the approver's kind and ref."

// deliveredApprovalInstructions replace approvalInstructions when the
// server sends approval links to the user itself.
const deliveredApprovalInstructions = "Approvals: a tool whose description says it needs the user's approval may return " +
	"status approval_required instead of running, with approvalId, deliveredTo, expiresAt and plan (what the user approves). " +
	"The server sends the approval link to the user itself (deliveredTo says where: browser or log); you never receive it. " +
	"Ask the user to approve there, wait until they say they approved, then call the tool again with the same arguments plus approvalId. " +
	"Do not repeat a refused call unchanged. " +
	"A call that ran after an approval carries approvedBy with the approver's kind and ref."

// Instructions returns the paragraph of the server instructions that
// explains approvals, or "" when the rules let no tool ask for approval.
func (a *Adapter) Instructions() string {
	for _, tool := range tools.All() {
		if action, _ := a.guard.Rules().Decide(GuardTool(tool)); action == guard.ActionRequireApproval {
			if a.links.hidesURL() {
				return deliveredApprovalInstructions
			}
			return approvalInstructions
		}
	}
	return ""
}

// withApprovalArgument adds the optional approvalId property. The schema
// sets no length bound because the guard refuses every id it did not issue.
func withApprovalArgument(schema json.RawMessage) (json.RawMessage, error) {
	return editProperties(schema, func(properties map[string]any, _ map[string]any) {
		properties[guard.ApprovalArgument] = map[string]any{
			"type":        "string",
			"description": "From approval_required, once approved.",
		}
	})
}

// withApprovalResult makes an output schema admit the approval_required
// result, which carries none of the tool's fields: it drops any required
// list and rejects a schema that forbids additional properties. The fields
// of that result (status, approvalId, approvalUrl, expiresAt, plan) and
// approvedBy are explained once in Instructions rather than in every
// schema, to keep tools/list small.
func withApprovalResult(schema json.RawMessage) (json.RawMessage, error) {
	var root map[string]any
	if err := json.Unmarshal(schema, &root); err != nil {
		return nil, err
	}
	if root["additionalProperties"] == false {
		return nil, errors.New("the output schema forbids additional properties, so an approval_required result would fail validation")
	}
	if _, found := root["required"]; !found {
		return schema, nil
	}
	delete(root, "required")
	return json.Marshal(root)
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
