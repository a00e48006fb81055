// Package tools defines the MCP tools of rational-mcp as plain data: each tool
// is one Tool value with its name, description, toolset, annotations, effect,
// typed input and output, and a handler that depends only on controlroom.API.
// The package does not import the MCP SDK; internal/mcpserver adapts the
// registry to it.
package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Toolset groups tools so that operators can expose only part of the server.
type Toolset string

// The toolsets. Every tool belongs to exactly one.
const (
	ToolsetModels      Toolset = "models"      // catalog records: list, get, register, update, delete
	ToolsetDeployments Toolset = "deployments" // serving instances: deploy, status, list, pause, cancel
)

// Toolsets lists every Toolset in display order.
var Toolsets = []Toolset{ToolsetModels, ToolsetDeployments}

// ParseToolsets parses a comma-separated list such as "models,deployments".
// An empty string selects every toolset.
func ParseToolsets(list string) ([]Toolset, error) {
	if strings.TrimSpace(list) == "" {
		return slices.Clone(Toolsets), nil
	}

	var selected []Toolset
	for _, part := range strings.Split(list, ",") {
		name := Toolset(strings.ToLower(strings.TrimSpace(part)))
		if name == "" {
			continue
		}
		if !slices.Contains(Toolsets, name) {
			return nil, fmt.Errorf("unknown toolset %q; valid toolsets: %s", part, joinToolsets(Toolsets))
		}
		if !slices.Contains(selected, name) {
			selected = append(selected, name)
		}
	}
	if len(selected) == 0 {
		return nil, fmt.Errorf("toolset list %q names no toolset; valid toolsets: %s", list, joinToolsets(Toolsets))
	}
	return selected, nil
}

func joinToolsets(sets []Toolset) string {
	names := make([]string, len(sets))
	for i, set := range sets {
		names[i] = string(set)
	}
	return strings.Join(names, ", ")
}

// Effect classifies what a call does to the Control Room. The guard layer
// decides from it which calls need approval, and read-only mode keeps only
// EffectRead tools.
type Effect string

// The effects, from harmless to irreversible.
const (
	EffectRead        Effect = "read"        // reads records, changes nothing
	EffectWrite       Effect = "write"       // creates or edits catalog records, consumes no GPU
	EffectGPU         Effect = "gpu"         // starts serving pods that consume GPUs
	EffectInterrupt   Effect = "interrupt"   // stops serving but can be resumed by a new deploy
	EffectDestructive Effect = "destructive" // removes a record or a deployment for good
)

// Annotations are the MCP tool annotations. All four hints are plain bools,
// so every tool states each of them explicitly.
type Annotations struct {
	ReadOnly    bool
	Destructive bool
	Idempotent  bool
	OpenWorld   bool
}

// Handler runs a tool against the Control Room. args is the JSON object of
// arguments after coercion (see Coerce); the handler decodes it strictly.
type Handler func(ctx context.Context, api controlroom.API, args json.RawMessage) (any, error)

// Tool is one MCP tool, described entirely by data.
type Tool struct {
	Name        string
	Title       string
	Description string
	Toolset     Toolset
	Effect      Effect
	Annotations Annotations

	// Input and Output are the Go types that the JSON Schemas are generated
	// from. Input is a struct whose fields are the tool's arguments.
	Input  reflect.Type
	Output reflect.Type

	// Handle decodes the arguments into Input and runs the tool.
	Handle Handler
}

// define builds a Tool from a typed handler. The returned Tool decodes its
// arguments into In with Decode, so unknown or mistyped arguments are
// rejected with a message that names the argument.
func define[In, Out any](tool Tool, handler func(ctx context.Context, api controlroom.API, in In) (Out, error)) Tool {
	tool.Input = reflect.TypeFor[In]()
	tool.Output = reflect.TypeFor[Out]()
	tool.Handle = func(ctx context.Context, api controlroom.API, args json.RawMessage) (any, error) {
		var in In
		if err := Decode(args, &in); err != nil {
			return nil, err
		}
		return handler(ctx, api, in)
	}
	return tool
}

// All returns every tool in display order: the models toolset first, then
// deployments. The slice is new on each call.
func All() []Tool {
	return []Tool{
		listModels,
		getModel,
		inspectModel,
		registerModel,
		updateModel,
		deleteModel,
		deployModel,
		getDeploymentStatus,
		listDeployments,
		pauseDeployment,
		cancelDeployment,
	}
}

// Lookup returns the tool called name.
func Lookup(name string) (Tool, bool) {
	for _, tool := range All() {
		if tool.Name == name {
			return tool, true
		}
	}
	return Tool{}, false
}

// Selection chooses which tools a server exposes.
type Selection struct {
	// Toolsets keeps only tools in these toolsets; empty keeps every toolset.
	Toolsets []Toolset
	// ReadOnly keeps only tools whose effect is EffectRead. It overrides
	// every other setting.
	ReadOnly bool
}

// Select returns the tools that sel keeps, in display order.
func Select(sel Selection) []Tool {
	var kept []Tool
	for _, tool := range All() {
		if len(sel.Toolsets) > 0 && !slices.Contains(sel.Toolsets, tool.Toolset) {
			continue
		}
		if sel.ReadOnly && tool.Effect != EffectRead {
			continue
		}
		kept = append(kept, tool)
	}
	return kept
}
