package mcpguard

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/rational-ai/rational-mcp/internal/guard"
)

// StatusApprovalRequired is the status of a result that sends the user to
// the approval page.
const StatusApprovalRequired = "approval_required"

// StatusRefused is the status of a refusal result.
const StatusRefused = "refused"

// planView is a plan as results carry it.
type planView struct {
	Summary string       `json:"summary"`
	Facts   []guard.Fact `json:"facts"`
}

// approvalRequired is the structured content of an approval_required result.
type approvalRequired struct {
	Status      string   `json:"status"`
	ApprovalID  string   `json:"approvalId"`
	ApprovalURL string   `json:"approvalUrl"`
	ExpiresAt   string   `json:"expiresAt"`
	Plan        planView `json:"plan"`
	Message     string   `json:"message"`
}

// approvalRequiredResult builds the result that directs the agent to show
// the approval link and to call again with the approval id. It is not an error: nothing failed, and
// the agent has a next step.
func approvalRequiredResult(tool string, verdict guard.Verdict) (*mcp.CallToolResult, error) {
	content := approvalRequired{
		Status:      StatusApprovalRequired,
		ApprovalID:  verdict.Approval.ID,
		ApprovalURL: verdict.Approval.URL,
		ExpiresAt:   verdict.Approval.ExpiresAt.UTC().Format(time.RFC3339),
		Plan:        planView{Summary: verdict.Plan.Summary, Facts: verdict.Plan.Facts},
		Message: fmt.Sprintf(
			"Nothing was run yet: %s needs the user's approval. Show the user this link and ask them to approve or reject there: %s . "+
				"When the user says they approved, call %s again with exactly the same arguments plus approvalId %q. "+
				"Do not open or submit the page yourself. The link expires at %s.",
			tool, verdict.Approval.URL, tool, verdict.Approval.ID, verdict.Approval.ExpiresAt.UTC().Format(time.RFC3339)),
	}
	return structuredResult(content, false)
}

// refusal is the structured content of a refusal result.
type refusal struct {
	Status  string       `json:"status"`
	Reason  guard.Reason `json:"reason"`
	Message string       `json:"message"`
}

// refusalResult returns an error result that explains why the call did not
// run.
func refusalResult(tool string, r *guard.Refusal) *mcp.CallToolResult {
	message := r.Sentence(tool)
	result, err := structuredResult(refusal{Status: StatusRefused, Reason: r.Reason, Message: message}, true)
	if err != nil {
		return mcp.NewToolResultError(message)
	}
	return result
}

// structuredResult returns content as structuredContent plus the same JSON
// as text, the shape every tool of this server returns.
func structuredResult(content any, isError bool) (*mcp.CallToolResult, error) {
	encoded, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("encode the guard's result: %w", err)
	}
	var structured map[string]any
	if err := json.Unmarshal(encoded, &structured); err != nil {
		return nil, fmt.Errorf("decode the guard's result: %w", err)
	}
	result := mcp.NewToolResultStructured(structured, string(encoded))
	result.IsError = isError
	return result, nil
}

// addApprover adds approvedBy to the tool's structured result and to its
// text, so the result names the approver that let the call run.
func addApprover(result *mcp.CallToolResult, approver *guard.Approver) {
	structured, ok := result.StructuredContent.(map[string]any)
	if !ok || approver == nil || result.IsError {
		return
	}
	structured["approvedBy"] = map[string]any{"kind": approver.Kind, "ref": approver.Ref}

	encoded, err := json.Marshal(structured)
	if err != nil {
		return
	}
	for i, content := range result.Content {
		if _, isText := content.(mcp.TextContent); isText {
			result.Content[i] = mcp.NewTextContent(string(encoded))
			return
		}
	}
}

// upstreamEntry summarises the tool's outcome for the audit log.
func upstreamEntry(result *mcp.CallToolResult, err error) *guard.UpstreamEntry {
	if err != nil {
		return &guard.UpstreamEntry{OK: false, Summary: err.Error()}
	}
	if result == nil {
		return &guard.UpstreamEntry{OK: false, Summary: "no result"}
	}
	if result.IsError {
		return &guard.UpstreamEntry{OK: false, Summary: firstText(result)}
	}

	structured, _ := result.StructuredContent.(map[string]any)
	for _, key := range []string{"deploymentId", "modelId"} {
		if id, ok := structured[key].(string); ok && id != "" {
			return &guard.UpstreamEntry{OK: true, Summary: key + " " + id}
		}
	}
	return &guard.UpstreamEntry{OK: true}
}

func firstText(result *mcp.CallToolResult) string {
	for _, content := range result.Content {
		if text, ok := content.(mcp.TextContent); ok {
			if len(text.Text) > 300 {
				return text.Text[:300] + "..."
			}
			return text.Text
		}
	}
	return ""
}
