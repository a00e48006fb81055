package reliability

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// badCall is one malformed tool call and the argument name its error must
// contain.
type badCall struct {
	name      string
	tool      string
	arguments any
	field     string
}

// validModelID and validDeploymentID have the right shape but name nothing,
// so the calls that use them fail only on the other, malformed argument.
const (
	validModelID      = "00000000-0000-4000-8000-000000000000"
	validDeploymentID = "gemma-2-9b-it-abcdef"
)

// badIDs are malformed record ids: traversal, encodings, control
// characters, look-alikes, huge and empty values.
var badIDs = []struct{ name, value string }{
	{"empty", ""},
	{"blank", "   "},
	{"path traversal", "../../models"},
	{"encoded traversal", "..%2F..%2Fmodels"},
	{"double encoded traversal", "%252e%252e%252fmodels"},
	{"encoded dots", "%2e%2e%2fmodels"},
	{"backslash traversal", `..\..\models`},
	{"query injection", validModelID + "?force=true"},
	{"fragment", validModelID + "#x"},
	{"NUL byte", "abc\x00def"},
	{"newline", "abc\ndef"},
	{"bidi override", "\u202eabc"},
	{"cyrillic look-alike", "00000000-0000-4000-8000-00000000000о"},
	{"fullwidth digits", "０００００００００"},
	{"zero width space", "abc\u200bdef"},
	{"huge", strings.Repeat("a", 100_000)},
	{"absolute URL", "http://127.0.0.1:1/x"},
}

// badValues are values of the wrong JSON type for a string or number.
var badValues = []struct {
	name  string
	value any
}{
	{"number", 42},
	{"boolean", true},
	{"array", []any{"a"}},
	{"object", map[string]any{"$ne": nil}},
	{"nested garbage", map[string]any{"a": []any{[]any{[]any{map[string]any{"b": nil}}}}}},
}

func badCalls() []badCall {
	var calls []badCall

	idTools := []struct{ tool, field, valid string }{
		{"get_model", "modelId", validModelID},
		{"deploy_model", "modelId", validModelID},
		{"delete_model", "modelId", validModelID},
		{"update_model", "modelId", validModelID},
		{"get_deployment_status", "deploymentId", validDeploymentID},
		{"pause_deployment", "deploymentId", validDeploymentID},
		{"cancel_deployment", "deploymentId", validDeploymentID},
	}
	for _, target := range idTools {
		for _, id := range badIDs {
			arguments := map[string]any{target.field: id.value}
			if target.tool == "update_model" {
				arguments["description"] = "x"
			}
			calls = append(calls, badCall{target.tool + " " + id.name, target.tool, arguments, target.field})
		}
		for _, value := range badValues {
			arguments := map[string]any{target.field: value.value}
			if target.tool == "update_model" {
				arguments["description"] = "x"
			}
			calls = append(calls, badCall{target.tool + " " + value.name, target.tool, arguments, target.field})
		}
		calls = append(calls,
			badCall{target.tool + " missing id", target.tool, map[string]any{}, target.field},
			badCall{target.tool + " null id", target.tool, map[string]any{target.field: nil}, target.field},
			badCall{target.tool + " extra field", target.tool, map[string]any{target.field: target.valid, "force": true}, "force"},
		)
	}

	calls = append(calls,
		// register_model
		badCall{"register missing huggingFaceId", "register_model", map[string]any{"type": "base"}, "huggingFaceId"},
		badCall{"register missing type", "register_model", map[string]any{"huggingFaceId": approvedNamespace + "/x"}, "type"},
		badCall{"register type outside enum", "register_model", map[string]any{"huggingFaceId": approvedNamespace + "/x", "type": "safetensors"}, "type"},
		badCall{"register type look-alike", "register_model", map[string]any{"huggingFaceId": approvedNamespace + "/x", "type": "bаse"}, "type"},
		badCall{"register traversal repo id", "register_model", map[string]any{"huggingFaceId": "../../etc/passwd", "type": "base"}, "huggingFaceId"},
		badCall{"register encoded repo id", "register_model", map[string]any{"huggingFaceId": "a%2F..%2Fb", "type": "base"}, "huggingFaceId"},
		badCall{"register look-alike repo id", "register_model", map[string]any{"huggingFaceId": "gооgle/gemma", "type": "base"}, "huggingFaceId"},
		badCall{"register URL repo id", "register_model", map[string]any{"huggingFaceId": "https://huggingface.co/a/b", "type": "base"}, "huggingFaceId"},
		badCall{"register control character repo id", "register_model", map[string]any{"huggingFaceId": "a/b\x07", "type": "base"}, "huggingFaceId"},
		badCall{"register huge repo id", "register_model", map[string]any{"huggingFaceId": "a/" + strings.Repeat("b", 5000), "type": "base"}, "huggingFaceId"},
		badCall{"register repo id number", "register_model", map[string]any{"huggingFaceId": 7, "type": "base"}, "huggingFaceId"},
		badCall{"register huge name", "register_model", map[string]any{"huggingFaceId": approvedNamespace + "/x", "type": "base", "name": strings.Repeat("n", 300)}, "name"},
		badCall{"register huge description", "register_model", map[string]any{"huggingFaceId": approvedNamespace + "/x", "type": "base", "description": strings.Repeat("d", 3000)}, "description"},
		badCall{"register isFineTuned string", "register_model", map[string]any{"huggingFaceId": approvedNamespace + "/x", "type": "base", "isFineTuned": "maybe"}, "isFineTuned"},
		badCall{"register isFineTuned object", "register_model", map[string]any{"huggingFaceId": approvedNamespace + "/x", "type": "base", "isFineTuned": map[string]any{}}, "isFineTuned"},
		badCall{"register extra field", "register_model", map[string]any{"huggingFaceId": approvedNamespace + "/x", "type": "base", "gpuCount": 8}, "gpuCount"},
		badCall{"register numberOfParams negative", "register_model", map[string]any{"huggingFaceId": approvedNamespace + "/x", "type": "base", "numberOfParams": "-5"}, "numberOfParams"},
		badCall{"register numberOfParams NaN", "register_model", map[string]any{"huggingFaceId": approvedNamespace + "/x", "type": "base", "numberOfParams": "NaN"}, "numberOfParams"},
		// update_model
		badCall{"update without fields", "update_model", map[string]any{"modelId": validModelID}, "no field to change"},
		badCall{"update type outside enum", "update_model", map[string]any{"modelId": validModelID, "type": "onnx"}, "type"},
		badCall{"update huge description", "update_model", map[string]any{"modelId": validModelID, "description": strings.Repeat("d", 3000)}, "description"},
		badCall{"update traversal repo id", "update_model", map[string]any{"modelId": validModelID, "huggingFaceId": "../x"}, "huggingFaceId"},
		badCall{"update name array", "update_model", map[string]any{"modelId": validModelID, "name": []any{"x"}}, "name"},
		// deploy_model numbers
		badCall{"deploy temperature negative", "deploy_model", map[string]any{"modelId": validModelID, "temperature": -1}, "temperature"},
		badCall{"deploy temperature huge", "deploy_model", map[string]any{"modelId": validModelID, "temperature": 1e308}, "temperature"},
		badCall{"deploy temperature NaN string", "deploy_model", map[string]any{"modelId": validModelID, "temperature": "NaN"}, "temperature"},
		badCall{"deploy temperature Infinity string", "deploy_model", map[string]any{"modelId": validModelID, "temperature": "Infinity"}, "temperature"},
		badCall{"deploy temperature -Infinity string", "deploy_model", map[string]any{"modelId": validModelID, "temperature": "-Infinity"}, "temperature"},
		badCall{"deploy temperature overflow string", "deploy_model", map[string]any{"modelId": validModelID, "temperature": "1e400"}, "temperature"},
		badCall{"deploy temperature object", "deploy_model", map[string]any{"modelId": validModelID, "temperature": map[string]any{"value": 1}}, "temperature"},
		badCall{"deploy topP above one", "deploy_model", map[string]any{"modelId": validModelID, "topP": 1.5}, "topP"},
		badCall{"deploy topK negative", "deploy_model", map[string]any{"modelId": validModelID, "topK": -3}, "topK"},
		badCall{"deploy minP NaN string", "deploy_model", map[string]any{"modelId": validModelID, "minP": "nan"}, "minP"},
		badCall{"deploy repetitionPenalty negative", "deploy_model", map[string]any{"modelId": validModelID, "repetitionPenalty": -0.5}, "repetitionPenalty"},
		badCall{"deploy maxOutputTokens zero", "deploy_model", map[string]any{"modelId": validModelID, "maxOutputTokens": 0}, "maxOutputTokens"},
		badCall{"deploy maxOutputTokens negative", "deploy_model", map[string]any{"modelId": validModelID, "maxOutputTokens": -100}, "maxOutputTokens"},
		badCall{"deploy maxOutputTokens fraction", "deploy_model", map[string]any{"modelId": validModelID, "maxOutputTokens": 1.5}, "maxOutputTokens"},
		badCall{"deploy maxOutputTokens huge", "deploy_model", map[string]any{"modelId": validModelID, "maxOutputTokens": 1e20}, "maxOutputTokens"},
		badCall{"deploy maxOutputTokens Infinity string", "deploy_model", map[string]any{"modelId": validModelID, "maxOutputTokens": "Infinity"}, "maxOutputTokens"},
		badCall{"deploy adapterScale negative", "deploy_model", map[string]any{"modelId": validModelID, "adapterScale": -1}, "adapterScale"},
		badCall{"deploy forceDeployment string", "deploy_model", map[string]any{"modelId": validModelID, "forceDeployment": "yes please"}, "forceDeployment"},
		badCall{"deploy forceDeployment number", "deploy_model", map[string]any{"modelId": validModelID, "forceDeployment": 2}, "forceDeployment"},
		// list tools
		badCall{"list page negative", "list_models", map[string]any{"page": -1}, "page"},
		badCall{"list page huge", "list_models", map[string]any{"page": 1e100}, "page"},
		badCall{"list page NaN string", "list_models", map[string]any{"page": "NaN"}, "page"},
		badCall{"list size zero", "list_models", map[string]any{"size": 0}, "size"},
		badCall{"list size above maximum", "list_models", map[string]any{"size": 101}, "size"},
		badCall{"list size fraction", "list_models", map[string]any{"size": 2.5}, "size"},
		badCall{"list size array", "list_models", map[string]any{"size": []any{1}}, "size"},
		badCall{"list type outside enum", "list_models", map[string]any{"type": "onnx"}, "type"},
		badCall{"list huge text", "list_models", map[string]any{"text": strings.Repeat("t", 100_000)}, "text"},
		badCall{"list text object", "list_models", map[string]any{"text": map[string]any{}}, "text"},
		badCall{"list unknown field", "list_models", map[string]any{"query": "gemma"}, "query"},
		badCall{"list deployments status array", "list_deployments", map[string]any{"status": []any{"paused"}}, "status"},
		badCall{"list deployments huge model", "list_deployments", map[string]any{"modelId": strings.Repeat("m", 100_000)}, "modelId"},
		badCall{"list deployments traversal model", "list_deployments", map[string]any{"modelId": "../../models"}, "modelId"},
		badCall{"list deployments model number", "list_deployments", map[string]any{"modelId": 12}, "modelId"},
		// arguments of the wrong shape
		badCall{"arguments array", "deploy_model", []any{validModelID}, "object"},
		badCall{"arguments number", "get_model", 7, "object"},
		badCall{"arguments string not JSON", "get_model", "modelId=" + validModelID, "object"},
		badCall{"arguments JSON array string", "list_models", `[{"size":1}]`, "object"},
		badCall{"arguments nested array", "pause_deployment", json.RawMessage(`[[{"deploymentId":"x"}]]`), "object"},
		badCall{"arguments null for required", "cancel_deployment", nil, "deploymentId"},
	)
	return calls
}

func TestBadInputNamesTheField(t *testing.T) {
	s := newStack(t, stackConfig{})
	mcpClient := connect(t, s.url, nil)
	calls := badCalls()
	require.GreaterOrEqual(t, len(calls), 100)

	rejected := 0
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			result, err := callTool(mcpClient, 15*time.Second, tc.tool, tc.arguments)
			require.NoError(t, err, "a malformed argument gets a tool error, not a JSON-RPC error")
			require.True(t, result.isError, "%s accepted: %.300s", tc.tool, result.text)
			assert.Contains(t, result.text, tc.field, "the error names the argument")
			assert.LessOrEqual(t, len(result.text), 4000, "the error does not echo a huge value back")
			if !t.Failed() {
				rejected++
			}
		})
	}

	stats := s.sim.Stats()
	assert.Zero(t, stats.Mutations, "bad input changes nothing upstream")
	assert.Zero(t, stats.RegistrationsCreated)
	assert.Zero(t, stats.DeploymentsCreated)
	t.Logf("bad input: %d malformed tool calls, %d rejected with an error naming the argument, %d upstream mutations",
		len(calls), rejected, stats.Mutations)
}

// TestMalformedJSONRPCGetsParseError sends request bodies that are not
// valid JSON, such as the bare tokens NaN and Infinity that JSON forbids,
// and checks that each gets a JSON-RPC parse error while the session keeps
// working.
func TestMalformedJSONRPCGetsParseError(t *testing.T) {
	s := newStack(t, stackConfig{})
	session := initializeRaw(t, s.url)

	bodies := []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"deploy_model","arguments":{"modelId":"x","temperature":NaN}}}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"deploy_model","arguments":{"modelId":"x","temperature":Infinity}}}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"deploy_model","arguments":{"modelId":"x","topK":-Infinity}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"list_models","arguments":{"size":1`,
		`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"list_models","arguments":{'size':1}}}`,
		"\x00\x01\x02garbage",
		`{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"get_model","arguments":{"modelId":"\ud800"}}`,
	}
	for i, body := range bodies {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			status, reply := postRaw(t, s.url, session, body)
			assert.Contains(t, []int{http.StatusOK, http.StatusBadRequest}, status)
			assert.Contains(t, reply, "-32700", "a JSON-RPC parse error")
		})
	}

	status, reply := postRaw(t, s.url, session, `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"list_models","arguments":{"size":1}}}`)
	require.Equal(t, http.StatusOK, status, reply)
	assert.Contains(t, reply, `"models"`, "the session still serves calls")
	assert.Zero(t, s.sim.Stats().Mutations)
	t.Logf("malformed JSON-RPC: %d bodies, each answered with a parse error; the session kept serving", len(bodies))
}

// initializeRaw opens a 2025-11-25 session with raw HTTP and returns its id.
func initializeRaw(t *testing.T, url string) string {
	t.Helper()
	request, err := http.NewRequest(http.MethodPost, url, strings.NewReader(
		`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"`+mcp.ProtocolVersion20251125+`","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`))
	require.NoError(t, err)
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("Accept", "application/json, text/event-stream")
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	defer response.Body.Close()
	_, _ = io.Copy(io.Discard, response.Body)
	require.Equal(t, http.StatusOK, response.StatusCode)
	session := response.Header.Get("Mcp-Session-Id")
	require.NotEmpty(t, session)

	status, reply := postRaw(t, url, session, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	require.Less(t, status, 300, reply)
	return session
}

// postRaw posts body in session and returns the status and the reply body.
func postRaw(t *testing.T, url, session, body string) (int, string) {
	t.Helper()
	request, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("Accept", "application/json, text/event-stream")
	request.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
	if session != "" {
		request.Header.Set("Mcp-Session-Id", session)
	}
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	defer response.Body.Close()
	reply, err := io.ReadAll(response.Body)
	require.NoError(t, err)
	return response.StatusCode, string(reply)
}
