package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/simulator"
	"github.com/rational-ai/rational-mcp/tools"
)

const benchToken = "bench-token-0123456789abcdef"

// newBenchServer builds the MCP server over a seeded simulator served on
// loopback HTTP, and returns it with the ready deployment's id.
func newBenchServer(b *testing.B) (*benchServer, string) {
	b.Helper()
	httpServer := httptest.NewServer(simulator.New(simulator.Options{Token: benchToken, Seed: true}))
	b.Cleanup(httpServer.Close)

	api, err := controlroom.New(controlroom.Config{BaseURL: httpServer.URL + "/api", Token: benchToken})
	if err != nil {
		b.Fatal(err)
	}
	mcpServer, err := New(Options{API: api, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}

	deployments, err := api.ListDeployments(context.Background())
	if err != nil || len(deployments) == 0 {
		b.Fatalf("the seeded simulator lists no deployment: %v", err)
	}
	return &benchServer{handle: mcpServer.HandleMessage}, deployments[0].DeploymentID
}

type benchServer struct {
	handle func(ctx context.Context, message json.RawMessage) mcp.JSONRPCMessage
}

// BenchmarkToolsCall measures one tools/call through the MCP server, from
// the JSON-RPC request to the encoded response, including the upstream
// request to the simulator over loopback HTTP.
func BenchmarkToolsCall(b *testing.B) {
	server, deploymentID := newBenchServer(b)
	calls := map[string]string{
		"list_models":           `{}`,
		"get_deployment_status": fmt.Sprintf(`{"deploymentId":%q}`, deploymentID),
	}

	for _, name := range []string{"list_models", "get_deployment_status"} {
		message := json.RawMessage(fmt.Sprintf(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":%q,"arguments":%s}}`, name, calls[name]))
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				encoded, err := json.Marshal(server.handle(ctx, message))
				if err != nil {
					b.Fatal(err)
				}
				if bytes.Contains(encoded, []byte(`"isError":true`)) || bytes.Contains(encoded, []byte(`"error":`)) {
					b.Fatalf("call failed: %s", encoded)
				}
			}
		})
	}
}

// BenchmarkEncodeResult measures rendering a list_models output of 20 rows
// as structuredContent plus the same JSON as text.
func BenchmarkEncodeResult(b *testing.B) {
	out := tools.ListModelsOutput{Page: 0, Size: 20, HasMore: true}
	for i := range 20 {
		name := simulator.SyntheticModelName(i)
		out.Models = append(out.Models, tools.ModelRow{
			ID: fmt.Sprintf("7d9f1c2e-0000-4000-8000-%012d", i), Name: name, Type: "base",
			HuggingFaceID: name, Params: "7.2B",
		})
	}

	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeResult(out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateArguments measures input schema validation of list_models
// arguments the way mcp-go v1.2.1 runs it: encode, decode for the
// validator, validate against the compiled schema.
func BenchmarkValidateArguments(b *testing.B) {
	tool, ok := tools.Lookup("list_models")
	if !ok {
		b.Fatal("list_models is not registered")
	}
	announced, err := MCPTool(tool)
	if err != nil {
		b.Fatal(err)
	}
	document, err := jsonschema.UnmarshalJSON(bytes.NewReader(announced.RawInputSchema))
	if err != nil {
		b.Fatal(err)
	}
	compiler := jsonschema.NewCompiler()
	if err := compiler.AddResource("mem:///list_models.json", document); err != nil {
		b.Fatal(err)
	}
	schema, err := compiler.Compile("mem:///list_models.json")
	if err != nil {
		b.Fatal(err)
	}
	arguments := map[string]any{"text": "llama", "type": "gguf", "size": int64(20), "page": int64(0)}

	b.ReportAllocs()
	for b.Loop() {
		encoded, err := json.Marshal(arguments)
		if err != nil {
			b.Fatal(err)
		}
		value, err := jsonschema.UnmarshalJSON(bytes.NewReader(encoded))
		if err != nil {
			b.Fatal(err)
		}
		if err := schema.Validate(value); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdioCall measures one get_deployment_status call through
// ServeStdio, from the request line written to the server's input to the
// response line read from its output.
func BenchmarkStdioCall(b *testing.B) {
	httpServer := httptest.NewServer(simulator.New(simulator.Options{Token: benchToken, Seed: true}))
	b.Cleanup(httpServer.Close)
	api, err := controlroom.New(controlroom.Config{BaseURL: httpServer.URL + "/api", Token: benchToken})
	if err != nil {
		b.Fatal(err)
	}
	mcpServer, err := New(Options{API: api, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	deployments, err := api.ListDeployments(context.Background())
	if err != nil || len(deployments) == 0 {
		b.Fatalf("the seeded simulator lists no deployment: %v", err)
	}

	clientIn, serverOut := io.Pipe()
	serverIn, clientOut := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- ServeStdio(ctx, mcpServer, serverIn, serverOut, nil, time.Second) }()
	b.Cleanup(func() {
		_ = clientOut.Close()
		cancel()
		<-served
	})
	responses := bufio.NewReader(clientIn)

	roundTrip := func(line string) []byte {
		if _, err := io.WriteString(clientOut, line+"\n"); err != nil {
			b.Fatal(err)
		}
		response, err := responses.ReadBytes('\n')
		if err != nil {
			b.Fatal(err)
		}
		return response
	}
	roundTrip(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`)
	if _, err := io.WriteString(clientOut, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n"); err != nil {
		b.Fatal(err)
	}
	call := fmt.Sprintf(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_deployment_status","arguments":{"deploymentId":%q}}}`, deployments[0].DeploymentID)

	b.ReportAllocs()
	for b.Loop() {
		if response := roundTrip(call); bytes.Contains(response, []byte(`"isError":true`)) {
			b.Fatalf("call failed: %s", response)
		}
	}
}

// BenchmarkResponseEnvelope compares reading the envelope of a 50-row
// list_models response line by decoding it (as client input is read) and
// by scanning it (as the SDK's output is read).
func BenchmarkResponseEnvelope(b *testing.B) {
	out := tools.ListModelsOutput{Page: 0, Size: 50}
	for i := range 50 {
		name := simulator.SyntheticModelName(i)
		out.Models = append(out.Models, tools.ModelRow{ID: fmt.Sprintf("7d9f1c2e-0000-4000-8000-%012d", i), Name: name, Type: "base"})
	}
	result, err := encodeResult(out)
	if err != nil {
		b.Fatal(err)
	}
	line, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 41, "result": result})
	if err != nil {
		b.Fatal(err)
	}

	for name, read := range map[string]func([]byte) (envelope, bool){"decode": decodeEnvelope, "scan": scanEnvelope} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				if message, ok := read(line); !ok || string(message.ID) != "41" {
					b.Fatalf("envelope %+v, ok %v", message, ok)
				}
			}
		})
	}
}
