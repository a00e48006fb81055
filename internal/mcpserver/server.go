// Package mcpserver adapts the tool registry in package tools to the mcp-go
// SDK: it builds the MCP server with its tools, schemas and validation, and
// serves it over stdio or streamable HTTP.
package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/tools"
)

// ServerName is the implementation name announced to clients.
const ServerName = "rational-mcp"

// Options configures New.
type Options struct {
	// API is the Control Room that the tools call. Required.
	API controlroom.API
	// Services are the tools' dependencies beyond the Control Room, such as
	// the Hugging Face Hub client; the zero value works without them.
	Services tools.Services
	// Selection chooses the exposed tools; the zero value exposes all.
	Selection tools.Selection
	// Middleware wraps every tool call, outermost first. See Middleware.
	Middleware []Middleware
	// DecorateTool, when set, adjusts each tool's tools/list entry after
	// MCPTool built it, for example to announce an argument that middleware
	// consumes before the tool sees the call.
	DecorateTool func(tool tools.Tool, announced *mcp.Tool) error
	// Instructions is sent to clients as the server's instructions. Empty
	// means DefaultInstructions(false).
	Instructions string
	// Version is announced to clients as the server version.
	Version string
	// Logger receives one line per request and per failed tool call. Nil
	// discards logs.
	Logger *slog.Logger
}

// New builds an MCP server that exposes the tools that opts.Selection keeps.
// Arguments are coerced to the declared types (see tools.Coerce) before
// mcp-go validates them against the input schema. Results are validated
// against the output schema, and a panicking tool becomes an error result.
func New(opts Options) (*server.MCPServer, error) {
	if opts.API == nil {
		return nil, errors.New("mcpserver: Options.API is nil")
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	instructions := opts.Instructions
	if instructions == "" {
		instructions = DefaultInstructions(false)
	}

	selected := tools.Select(opts.Selection)
	byName := make(map[string]tools.Tool, len(selected))
	serverTools := make([]server.ServerTool, 0, len(selected))
	for _, tool := range selected {
		byName[tool.Name] = tool
		mcpTool, err := MCPTool(tool)
		if err != nil {
			return nil, err
		}
		if opts.DecorateTool != nil {
			if err := opts.DecorateTool(tool, &mcpTool); err != nil {
				return nil, fmt.Errorf("tool %s: %w", tool.Name, err)
			}
		}
		handler := chain(opts.Middleware, invoke(opts.API, opts.Services, logger))
		serverTools = append(serverTools, server.ServerTool{
			Tool:    mcpTool,
			Handler: adapt(tool, handler, logger),
		})
	}

	// The rewording validator compiles the announced schemas, decorations
	// included, because those are what mcp-go validates against.
	validator, err := newArgumentValidator(serverTools)
	if err != nil {
		return nil, err
	}
	hooks := &server.Hooks{}
	hooks.AddBeforeCallTool(func(_ context.Context, _ any, request *mcp.CallToolRequest) {
		coerceArguments(byName, request)
	})
	hooks.AddAfterCallTool(func(_ context.Context, _ any, request *mcp.CallToolRequest, result any) {
		validator.reword(request, result)
	})

	mcpServer := server.NewMCPServer(ServerName, opts.Version,
		server.WithToolCapabilities(false),
		server.WithResourceCapabilities(false, false),
		server.WithPromptCapabilities(false),
		server.WithInstructions(instructions),
		server.WithHooks(hooks),
		server.WithInputSchemaValidation(),
		server.WithOutputSchemaValidation(),
		server.WithRecovery(),
		server.WithLogger(logger),
	)
	mcpServer.SetTools(serverTools...)
	addResources(mcpServer, opts.API)
	addPrompts(mcpServer)
	return mcpServer, nil
}

// MCPTool builds the mcp.Tool that announces tool in tools/list. It sets the
// raw schemas on the struct directly, because mcp.NewTool with
// WithRawInputSchema produces a tools/list entry that mcp-go v1.2.1 cannot
// marshal.
func MCPTool(tool tools.Tool) (mcp.Tool, error) {
	input, err := tool.InputSchema()
	if err != nil {
		return mcp.Tool{}, fmt.Errorf("tool %s: %w", tool.Name, err)
	}
	output, err := tool.OutputSchema()
	if err != nil {
		return mcp.Tool{}, fmt.Errorf("tool %s: %w", tool.Name, err)
	}
	return mcp.Tool{
		Name:            tool.Name,
		Title:           tool.Title,
		Description:     tool.Description,
		RawInputSchema:  input,
		RawOutputSchema: output,
		Annotations: mcp.ToolAnnotation{
			ReadOnlyHint:    mcp.ToBoolPtr(tool.Annotations.ReadOnly),
			DestructiveHint: mcp.ToBoolPtr(tool.Annotations.Destructive),
			IdempotentHint:  mcp.ToBoolPtr(tool.Annotations.Idempotent),
			OpenWorldHint:   mcp.ToBoolPtr(tool.Annotations.OpenWorld),
		},
	}, nil
}

// coerceArguments rewrites the arguments of a call to a known tool in place,
// so that schema validation and the handler see the coerced values. Arguments
// that are not an object are left for schema validation to reject.
func coerceArguments(byName map[string]tools.Tool, request *mcp.CallToolRequest) {
	tool, ok := byName[request.Params.Name]
	if !ok {
		return
	}
	coerced, err := tools.Coerce(tool, request.Params.Arguments)
	if err != nil {
		return
	}
	request.Params.Arguments = coerced
}

// DefaultInstructions returns the server instructions sent to clients. With
// demo set they state that the Control Room is the embedded simulator.
func DefaultInstructions(demo bool) string {
	text := "Manages open-source LLMs on the Rational AI Control Room. " +
		"Workflow: list_models to find a model (inspect_model, then register_model with its Hugging Face repo id if absent), " +
		"deploy_model to start serving it on GPUs, then get_deployment_status with waitSeconds until ready is true; " +
		"its serviceUrl is an OpenAI-compatible /v1 endpoint. pause_deployment or cancel_deployment release the GPUs."
	if demo {
		text += " DEMO MODE: this server talks to an embedded Control Room simulator with a seeded catalog; " +
			"nothing runs on real GPUs and every change is lost when the server stops."
	}
	return text
}

// encodeResult renders a tool's output as structuredContent plus the same
// JSON as text.
func encodeResult(out any) (*mcp.CallToolResult, error) {
	encoded, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	var structured map[string]any
	if err := json.Unmarshal(encoded, &structured); err != nil {
		return nil, err
	}
	return mcp.NewToolResultStructured(structured, string(encoded)), nil
}
