package mcpguard

import (
	"context"
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
	Status      string `json:"status"`
	ApprovalID  string `json:"approvalId"`
	ApprovalURL string `json:"approvalUrl,omitempty"`
	// DeliveredTo is "browser" or "log" when the server sent the link to
	// the user itself, and the agent gets no approvalUrl.
	DeliveredTo string   `json:"deliveredTo,omitempty"`
	ExpiresAt   string   `json:"expiresAt"`
	Plan        planView `json:"plan"`
	Message     string   `json:"message"`
}

// approvalRequired delivers the approval link as the adapter's link mode
// says and returns the approval_required result.
func (a *Adapter) approvalRequired(ctx context.Context, tool string, verdict guard.Verdict) (*mcp.CallToolResult, error) {
	if !a.links.hidesURL() {
		return approvalRequiredResult(tool, verdict, "")
	}
	deliveredTo, _ := a.links.deliver(ctx, tool, verdict.Approval)
	return approvalRequiredResult(tool, verdict, deliveredTo)
}

// approvalRequiredResult builds the result that directs the agent to have
// the user approve and to call again with the approval id. It is not an
// error: nothing failed, and the agent has a next step. With deliveredTo
// "browser" or "log", the server sent the link to the user itself and the
// result carries no URL.
func approvalRequiredResult(tool string, verdict guard.Verdict, deliveredTo string) (*mcp.CallToolResult, error) {
	expires := verdict.Approval.ExpiresAt.UTC().Format(time.RFC3339)
	content := approvalRequired{
		Status:      StatusApprovalRequired,
		ApprovalID:  verdict.Approval.ID,
		DeliveredTo: deliveredTo,
		ExpiresAt:   expires,
		Plan:        planView{Summary: verdict.Plan.Summary, Facts: verdict.Plan.Facts},
	}
	retry := fmt.Sprintf("When the user says they approved, call %s again with exactly the same arguments plus approvalId %q.", tool, verdict.Approval.ID)

	switch deliveredTo {
	case LinkBrowser:
		content.Message = fmt.Sprintf(
			"Nothing was run yet: %s needs the user's approval. The server opened the approval page in the user's browser; "+
				"ask the user to approve or reject it there. %s The page expires at %s.", tool, retry, expires)
	case LinkLog:
		content.Message = fmt.Sprintf(
			"Nothing was run yet: %s needs the user's approval. The server wrote the approval link to its log (stderr, or its --log-file); "+
				"ask the user to open that link and approve or reject there. %s The link expires at %s.", tool, retry, expires)
	default:
		content.ApprovalURL = verdict.Approval.URL
		content.Message = fmt.Sprintf(
			"Nothing was run yet: %s needs the user's approval. Show the user this link and ask them to approve or reject there: %s . "+
				"%s Do not open or submit the page yourself. The link expires at %s.", tool, verdict.Approval.URL, retry, expires)
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
