// Package mcpguard runs the guard as mcpserver middleware. It translates each
// tools/call into a guard.Call and turns the guard's verdict into an mcp-go
// result: the tool's own result, an elicitation input request, an
// approval_required result or an error result. It also writes the audit line.
package mcpguard

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/tools"
)

// NoSession is the caller of a request that arrives without a client
// session, as 2026-07-28 requests over HTTP do. All such callers with the
// same credential principal share one binding, so an approval id or a
// request state is all that separates them.
const NoSession = "no-session"

// Adapter connects a Guard to mcpserver.
type Adapter struct {
	guard  *guard.Guard
	logger *slog.Logger
	// links delivers approval links; nil puts them in the tool result.
	links *linkDelivery
}

// New returns an Adapter for g. A nil logger discards logs.
func New(g *guard.Guard, logger *slog.Logger) *Adapter {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Adapter{guard: g, logger: logger}
}

// SetApprovalLink chooses how approval links reach the user: LinkInResult
// (the default), LinkBrowser with opener as the command that opens a URL
// (the platform's default when empty), or LinkLog. Call it before serving.
func (a *Adapter) SetApprovalLink(mode, opener string) error {
	links, err := newLinkDelivery(mode, opener, a.logger)
	if err != nil {
		return err
	}
	a.links = links
	return nil
}

// GuardTool returns the guard's view of a registry tool.
func GuardTool(tool tools.Tool) guard.Tool {
	return guard.Tool{Name: tool.Name, Effect: guard.Effect(tool.Effect)}
}

// Middleware returns the middleware that runs every call through the guard.
// Install it as the outermost middleware so that nothing runs before the
// guard decided.
func (a *Adapter) Middleware() mcpserver.Middleware {
	return func(next mcpserver.Handler) mcpserver.Handler {
		return func(ctx context.Context, call *mcpserver.Call) (*mcp.CallToolResult, error) {
			return a.handle(ctx, call, next)
		}
	}
}

func (a *Adapter) handle(ctx context.Context, call *mcpserver.Call, next mcpserver.Handler) (*mcp.CallToolResult, error) {
	if result := argumentError(call); result != nil {
		return result, nil
	}

	started := time.Now()
	guardCall := guard.Call{
		Tool:           GuardTool(call.Tool),
		Arguments:      call.Arguments,
		Caller:         caller(ctx),
		Client:         guard.ClientCapabilities{Elicitation: declaredElicitation(ctx)},
		RequestState:   call.Request.Params.RequestState,
		InputResponses: inputAnswers(call.Request.Params.InputResponses),
	}

	verdict := a.guard.Check(ctx, guardCall)
	if verdict.Decision != guard.DecisionAllowed {
		a.logger.InfoContext(ctx, "guard decision", "tool", call.Tool.Name, "session", guardCall.Caller,
			"decision", verdict.Decision, "rule", verdict.Rule, "approvedBy", approverText(verdict.ApprovedBy),
			"reason", refusalReason(verdict))
	}

	switch verdict.Decision {
	case guard.DecisionAllowed, guard.DecisionApproved:
		return a.run(ctx, call, next, guardCall, verdict, started)

	case guard.DecisionInputRequired:
		a.guard.Record(guardCall, verdict, nil, time.Since(started))
		if isLegacyRequest(ctx) {
			return a.elicitLegacy(ctx, call, next, guardCall, verdict)
		}
		request := verdict.Elicitation
		return server.NewInputRequestBuilder(request.State).
			Elicit(request.Key, mcp.ElicitationParams{Message: request.Message, RequestedSchema: request.Schema}).
			ToolResult(), nil

	case guard.DecisionApprovalRequired:
		a.guard.Record(guardCall, verdict, nil, time.Since(started))
		return a.approvalRequired(ctx, call.Tool.Name, verdict)

	default:
		a.guard.Record(guardCall, verdict, nil, time.Since(started))
		return refusalResult(call.Tool.Name, verdict.Refusal), nil
	}
}

// run calls the tool once, without the approval arguments, and records the
// outcome. A deploy runs only while the model record still has the
// identity that the plan showed, and frees the guard's deploy slot when it
// returned.
func (a *Adapter) run(ctx context.Context, call *mcpserver.Call, next mcpserver.Handler, guardCall guard.Call, verdict guard.Verdict, started time.Time) (*mcp.CallToolResult, error) {
	defer verdict.Release()
	call.Arguments = guard.WithoutApprovalArguments(call.Arguments)
	if verdict.Plan != nil && verdict.Plan.Deploy != nil {
		ctx = controlroom.WithExpectedModel(ctx, verdict.Plan.Deploy.ModelIdentity())
	}

	result, err := next(ctx, call)

	a.guard.Record(guardCall, verdict, upstreamEntry(result, err), time.Since(started))
	if err != nil || result == nil {
		return result, err
	}
	if verdict.Decision == guard.DecisionApproved {
		addApprover(result, verdict.ApprovedBy)
	}
	return result, nil
}

// caller returns the session id, or NoSession, followed by the request's
// credential principal when it has one (see mcpserver.Principal), so that
// states and approvals bind to both the session and the credential.
func caller(ctx context.Context) string {
	id := mcpserver.SessionID(ctx)
	if id == "" {
		id = NoSession
	}
	if principal := mcpserver.Principal(ctx); principal != "" {
		return id + "@" + principal
	}
	return id
}

// declaredElicitation reports whether the client declared form elicitation
// for this request: in the request's _meta for 2026-07-28 requests, at
// initialize for earlier ones. An earlier-era session must also be able to
// carry the elicitation/create request that mcp-go sends on the guard's
// behalf. mcp-go itself does not check the declaration.
func declaredElicitation(ctx context.Context) bool {
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return info.ClientCapabilities != nil && supportsForm(info.ClientCapabilities.Elicitation)
	}

	session := server.ClientSessionFromContext(ctx)
	withInfo, ok := session.(server.SessionWithClientInfo)
	if !ok {
		return false
	}
	if _, canElicit := session.(server.SessionWithElicitation); !canElicit {
		return false
	}
	return supportsForm(withInfo.GetClientCapabilities().Elicitation)
}

// supportsForm reports whether an elicitation capability includes form
// mode. An empty capability object means form mode, as in the 2025-06-18
// protocol where form mode was the only one.
func supportsForm(capability *mcp.ElicitationCapability) bool {
	if capability == nil {
		return false
	}
	return capability.Form != nil || capability.URL == nil
}

// inputAnswers decodes the client's input responses. It returns nil when the
// request carries none, and an empty Action for an answer that is not an
// elicitation result.
func inputAnswers(responses mcp.InputResponses) map[string]guard.InputAnswer {
	if responses == nil {
		return nil
	}

	answers := make(map[string]guard.InputAnswer, len(responses))
	for key := range responses {
		result := server.ElicitationResponse(responses, key)
		if result == nil {
			answers[key] = guard.InputAnswer{}
			continue
		}
		answers[key] = guard.InputAnswer{Action: string(result.Action), Content: contentMap(result.Content)}
	}
	return answers
}

func contentMap(content any) map[string]any {
	if content == nil {
		return nil
	}
	if object, ok := content.(map[string]any); ok {
		return object
	}
	encoded, err := json.Marshal(content)
	if err != nil {
		return nil
	}
	var object map[string]any
	if err := json.Unmarshal(encoded, &object); err != nil {
		return nil
	}
	return object
}

func approverText(approver *guard.Approver) string {
	if approver == nil {
		return ""
	}
	return fmt.Sprintf("%s:%s", approver.Kind, approver.Ref)
}

func refusalReason(verdict guard.Verdict) string {
	if verdict.Refusal == nil {
		return ""
	}
	return string(verdict.Refusal.Reason)
}
