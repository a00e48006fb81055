package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/tools"
)

// Call is one tools/call as middleware receives it.
type Call struct {
	// Tool is the registry entry of the called tool, including its Effect.
	Tool tools.Tool
	// Arguments are the call's arguments after coercion and input schema
	// validation. Middleware may read them; changing them changes what the
	// tool receives.
	Arguments map[string]any
	// Request is the tools/call request as mcp-go decoded it, with its
	// _meta, task and multi round-trip fields. The client session, when
	// there is one, is server.ClientSessionFromContext(ctx).
	Request mcp.CallToolRequest
}

// SessionID returns the id of the client session that made the call, or ""
// when the transport has none (the 2026-07-28 protocol over HTTP).
func SessionID(ctx context.Context) string {
	if session := server.ClientSessionFromContext(ctx); session != nil {
		return session.SessionID()
	}
	return ""
}

// Handler runs a tool call. An error is a protocol fault and reaches the
// client as a JSON-RPC error; a failed tool call is a result with IsError.
type Handler func(ctx context.Context, call *Call) (*mcp.CallToolResult, error)

// Middleware wraps a Handler. It receives the registry entry, the arguments and
// the request context, and may return its own result without calling next,
// for example to refuse a call or to ask the user for approval.
type Middleware func(next Handler) Handler

// chain wraps final in middleware, the first element outermost.
func chain(middleware []Middleware, final Handler) Handler {
	handler := final
	for i := len(middleware) - 1; i >= 0; i-- {
		handler = middleware[i](handler)
	}
	return handler
}

// adapt turns a Handler for tool into an mcp-go tool handler. A panic in
// the handler or in any middleware becomes an error result, so no panic
// reaches the client and the server keeps serving.
func adapt(tool tools.Tool, handler Handler, logger *slog.Logger) server.ToolHandlerFunc {
	return func(ctx context.Context, request mcp.CallToolRequest) (result *mcp.CallToolResult, err error) {
		defer func() {
			if recovered := recover(); recovered != nil {
				logger.ErrorContext(ctx, "tool panicked", "tool", tool.Name, "session", SessionID(ctx),
					"panic", fmt.Sprint(recovered), "stack", string(debug.Stack()))
				result = mcp.NewToolResultError(fmt.Sprintf("%s failed with an internal error; this is a bug in rational-mcp, please report it", tool.Name))
				err = nil
			}
		}()

		arguments, ok := request.Params.Arguments.(map[string]any)
		if !ok {
			coerced, err := tools.Coerce(tool, request.Params.Arguments)
			if err != nil {
				return mcp.NewToolResultError(fmt.Sprintf("%s: %v", tool.Name, err)), nil
			}
			arguments = coerced
		}
		return handler(ctx, &Call{Tool: tool, Arguments: arguments, Request: request})
	}
}

// invoke returns the innermost Handler: it decodes the arguments, runs the
// tool against api with services and a progress reporter in the context,
// and renders its output or error as a tool result.
func invoke(api controlroom.API, services tools.Services, logger *slog.Logger) Handler {
	return func(ctx context.Context, call *Call) (*mcp.CallToolResult, error) {
		ctx = tools.WithServices(ctx, services)
		if reporter := newProgressReporter(ctx, call.Request, logger); reporter != nil {
			ctx = tools.WithProgressReporter(ctx, reporter)
		}

		arguments, err := json.Marshal(call.Arguments)
		if err != nil {
			return mcp.NewToolResultError(fmt.Sprintf("%s: arguments could not be encoded: %v", call.Tool.Name, err)), nil
		}

		out, err := call.Tool.Handle(ctx, api, arguments)
		if err != nil {
			return errorResult(ctx, logger, call.Tool, err), nil
		}

		result, err := encodeResult(out)
		if err != nil {
			logger.ErrorContext(ctx, "tool result could not be encoded", "tool", call.Tool.Name, "error", err)
			return mcp.NewToolResultError(fmt.Sprintf("%s: the result could not be encoded: %v", call.Tool.Name, err)), nil
		}
		return result, nil
	}
}

// errorResult renders a failed tool call as a result with IsError set. The
// tools build messages that name the value and the next call; an argument
// error also points at the tool's schema.
func errorResult(ctx context.Context, logger *slog.Logger, tool tools.Tool, err error) *mcp.CallToolResult {
	message := err.Error()
	var argErr *tools.ArgumentError
	if errors.As(err, &argErr) {
		message = fmt.Sprintf("%s: %s; see the input schema of %s in tools/list", tool.Name, message, tool.Name)
	}

	logger.WarnContext(ctx, "tool call failed", "tool", tool.Name, "session", SessionID(ctx),
		"kind", errorKind(err), "error", message)
	return mcp.NewToolResultError(message)
}

// Kinds of failed calls that are not Control Room errors, for the log.
const (
	kindInvalidArgument = "invalid_argument" // the arguments failed the tool's checks
	kindOther           = "other"            // any other error of the tool
)

// errorKind classifies err for the log: an argument error, the
// controlroom.Kind of a failed Control Room call, or kindOther.
func errorKind(err error) string {
	var argErr *tools.ArgumentError
	if errors.As(err, &argErr) {
		return kindInvalidArgument
	}
	if kind := controlroom.KindOf(err); kind != "" {
		return string(kind)
	}
	return kindOther
}
