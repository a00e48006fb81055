package mcpserver

import (
	"context"
	"log/slog"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// progressReporter sends notifications/progress for one tools/call whose
// _meta carried a progress token. It implements tools.ProgressReporter.
type progressReporter struct {
	server *server.MCPServer
	token  mcp.ProgressToken
	logger *slog.Logger
}

// newProgressReporter returns a reporter for request, or nil when the
// client sent no progress token or the context has no server to send with.
func newProgressReporter(ctx context.Context, request mcp.CallToolRequest, logger *slog.Logger) *progressReporter {
	meta := request.Params.Meta
	if meta == nil || meta.ProgressToken == nil {
		return nil
	}
	mcpServer := server.ServerFromContext(ctx)
	if mcpServer == nil {
		return nil
	}
	return &progressReporter{server: mcpServer, token: meta.ProgressToken, logger: logger}
}

// ReportProgress sends one progress notification to the calling client. A
// failed send is logged at debug level and otherwise ignored, because
// progress is advisory and must not fail the call.
func (r *progressReporter) ReportProgress(ctx context.Context, progress, total float64, message string) {
	params := map[string]any{
		"progressToken": r.token,
		"progress":      progress,
		"message":       message,
	}
	if total > 0 {
		params["total"] = total
	}
	if err := r.server.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), params); err != nil {
		r.logger.DebugContext(ctx, "progress notification not sent", "session", SessionID(ctx), "error", err)
	}
}
