package mcpguard

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
)

// isLegacyRequest reports whether the request uses a protocol version
// before 2026-07-28, whose clients cannot take an input_required result.
func isLegacyRequest(ctx context.Context) bool {
	return !mcp.IsModernProtocol(server.RequestProtocolVersion(ctx))
}

// elicitLegacy asks a client that predates 2026-07-28 for approval with an
// elicitation/create request, then checks the answer as the guard checks a
// retried call. mcp-go v1.2.1 would send the same request for an
// input_required result, but it turns a JSON-RPC error from the client
// into a -32603 error for the whole tools/call. Here that error becomes a
// refusal result that tells the agent what happened.
func (a *Adapter) elicitLegacy(ctx context.Context, call *mcpserver.Call, next mcpserver.Handler, guardCall guard.Call, verdict guard.Verdict) (*mcp.CallToolResult, error) {
	started := time.Now()
	request := verdict.Elicitation

	answer, err := requestElicitation(ctx, request)
	if err != nil {
		a.logger.WarnContext(ctx, "elicitation failed", "tool", call.Tool.Name, "session", guardCall.Caller, "err", err)
		refused := verdict
		refused.Decision = guard.DecisionRefused
		refused.ApprovedBy = nil
		refused.Refusal = &guard.Refusal{Reason: guard.ReasonElicitationFailed, Message: fmt.Sprintf(
			"the client returned an error for the approval request (%s), so the user approved nothing; call %s again when the user can answer",
			truncateText(err.Error(), 200), call.Tool.Name)}
		a.guard.Record(guardCall, refused, nil, time.Since(started))
		return refusalResult(call.Tool.Name, refused.Refusal), nil
	}

	// The request state was issued before the user started reading, and
	// the user may take longer than its lifetime (DefaultStateTTL) within
	// the client's own wait. The state never left this server, so a fresh
	// one is issued now, for the plan as it is now. A plan that changed
	// while the user decided is refused rather than run.
	fresh := a.guard.Check(ctx, guardCall)
	if refusal := freshStateRefusal(call.Tool.Name, verdict, fresh); refusal != nil {
		refused := fresh
		refused.Decision = guard.DecisionRefused
		refused.ApprovedBy = nil
		refused.Refusal = refusal
		a.guard.Record(guardCall, refused, nil, time.Since(started))
		return refusalResult(call.Tool.Name, refusal), nil
	}

	retry := guardCall
	retry.RequestState = fresh.Elicitation.State
	retry.InputResponses = map[string]guard.InputAnswer{
		request.Key: {Action: string(answer.Action), Content: contentMap(answer.Content)},
	}
	second := a.guard.Check(ctx, retry)
	a.logger.InfoContext(ctx, "guard decision", "tool", call.Tool.Name, "session", retry.Caller,
		"decision", second.Decision, "rule", second.Rule, "approvedBy", approverText(second.ApprovedBy),
		"reason", refusalReason(second))

	if second.Proceed() {
		return a.run(ctx, call, next, retry, second, started)
	}
	if second.Refusal == nil {
		second.Decision = guard.DecisionRefused
		second.Refusal = &guard.Refusal{Reason: guard.ReasonUnsolicited, Message: fmt.Sprintf(
			"the guard asked for approval again after the user answered; call %s again", call.Tool.Name)}
	}
	a.guard.Record(retry, second, nil, time.Since(started))
	return refusalResult(call.Tool.Name, second.Refusal), nil
}

// freshStateRefusal returns why the guard's fresh verdict cannot carry the
// user's answer to the first one: a refusal, a changed plan, or another
// decision than a new input request. It returns nil when it can.
func freshStateRefusal(tool string, first, fresh guard.Verdict) *guard.Refusal {
	switch {
	case fresh.Decision == guard.DecisionRefused && fresh.Refusal != nil:
		return fresh.Refusal
	case fresh.Decision != guard.DecisionInputRequired || fresh.Elicitation == nil || fresh.Plan == nil || first.Plan == nil:
		return &guard.Refusal{Reason: guard.ReasonUnsolicited, Message: fmt.Sprintf(
			"the guard's decision changed while the user was deciding; call %s again", tool)}
	case fresh.Plan.Digest() != first.Plan.Digest():
		return &guard.Refusal{Reason: guard.ReasonPlanChanged, Message: fmt.Sprintf(
			"the model or deployment changed while the user was deciding, so the user approved another plan; call %s again to ask with the current plan", tool)}
	}
	return nil
}

// requestElicitation sends request to the client as elicitation/create and
// returns its answer.
func requestElicitation(ctx context.Context, request *guard.ElicitationRequest) (*mcp.ElicitationResult, error) {
	mcpServer := server.ServerFromContext(ctx)
	if mcpServer == nil {
		return nil, errors.New("no MCP server in the request context")
	}

	answer, err := mcpServer.RequestElicitation(ctx, mcp.ElicitationRequest{
		Request: mcp.Request{Method: string(mcp.MethodElicitationCreate)},
		Params:  mcp.ElicitationParams{Message: request.Message, RequestedSchema: request.Schema},
	})
	if err != nil {
		return nil, err
	}
	if answer == nil {
		return nil, errors.New("the client returned no elicitation result")
	}
	return answer, nil
}

func truncateText(text string, limit int) string {
	if len(text) <= limit {
		return text
	}
	return text[:limit] + "..."
}
