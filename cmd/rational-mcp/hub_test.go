package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
	"github.com/rational-ai/rational-mcp/tools"
)

func TestDemoKeepsHubOffline(t *testing.T) {
	mcpClient, _ := stdioClient(t, mcp.ProtocolVersion20251125, []string{"--demo"})
	result, text := callTool(t, mcpClient, "inspect_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
	assert.True(t, result.IsError)
	assert.Contains(t, text, "could not verify")
	assert.Contains(t, text, "offline")

	result, text = callTool(t, mcpClient, "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct", "type": "base"})
	assert.False(t, result.IsError, text)
	assert.Contains(t, text, "could not verify")
}

func TestHubEndpointFromFlagAndEnv(t *testing.T) {
	hub := hubtest.New(t, hubtest.FixtureDir(t))
	cases := map[string]struct {
		args []string
		env  []string
	}{
		"flag":             {args: []string{"--demo", "--hub-endpoint", hub.URL}},
		"RATIONAL_MCP env": {args: []string{"--demo"}, env: []string{"RATIONAL_MCP_HUB_ENDPOINT=" + hub.URL}},
		"HF_ENDPOINT":      {args: []string{"--demo"}, env: []string{"HF_ENDPOINT=" + hub.URL, "HF_TOKEN=" + hubtest.Token}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			mcpClient, _ := stdioClient(t, mcp.ProtocolVersion20251125, tc.args, tc.env...)
			result, text := callTool(t, mcpClient, "inspect_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct-AWQ"})
			require.False(t, result.IsError, text)
			structured := result.StructuredContent.(map[string]any)
			assert.Equal(t, "awq", structured["type"])
			assert.Contains(t, structured["repo"].(map[string]any)["cardUrl"], hub.URL)
		})
	}
}

func TestOpenHubSettings(t *testing.T) {
	cases := []struct {
		name        string
		args        []string
		env         map[string]string
		demo        bool
		wantOffline bool
		wantURL     string
	}{
		{"demo defaults to offline", nil, nil, true, true, "https://huggingface.co"},
		{"demo with HF_ENDPOINT", nil, map[string]string{"HF_ENDPOINT": "http://127.0.0.1:9"}, true, false, "http://127.0.0.1:9"},
		{"demo with flag", []string{"--hub-endpoint", "http://127.0.0.1:9"}, nil, true, false, "http://127.0.0.1:9"},
		{"flag beats HF_ENDPOINT", []string{"--hub-endpoint", "http://127.0.0.1:9"}, map[string]string{"HF_ENDPOINT": "http://127.0.0.1:8"}, false, false, "http://127.0.0.1:9"},
		{"offline flag", []string{"--hub-offline"}, nil, false, true, "https://huggingface.co"},
		{"offline env", nil, map[string]string{"RATIONAL_MCP_HUB_OFFLINE": "true"}, false, true, "https://huggingface.co"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(name string) string { return tc.env[name] }
			flags := newFlagSet("stdio", getenv)
			options := addHubFlags(flags)
			require.NoError(t, parseFlags(flags, tc.args, "", io.Discard))

			hub, err := openHub(options, tc.demo, getenv, slog.New(slog.DiscardHandler))
			require.NoError(t, err)
			assert.Equal(t, tc.wantOffline, hub.offline)
			assert.Equal(t, tc.wantURL, hub.endpoint)
		})
	}
}

func TestOpenHubStrictAndLists(t *testing.T) {
	getenv := func(name string) string {
		return map[string]string{"RATIONAL_MCP_HUB_STRICT": "1", "RATIONAL_MCP_TERMINAL_STATUSES": "failed, crashLoop"}[name]
	}
	flags := newFlagSet("stdio", getenv)
	options := addHubFlags(flags)
	require.NoError(t, parseFlags(flags, []string{"--supported-architectures", "LlamaForCausalLM,llama"}, "", io.Discard))

	hub, err := openHub(options, false, getenv, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	assert.True(t, hub.services.HubStrict)
	assert.Equal(t, []string{"LlamaForCausalLM", "llama"}, hub.services.SupportedArchitectures)
	assert.Equal(t, []string{"failed", "crashLoop"}, hub.services.TerminalStatuses)
}

func TestHubTokenNeverLogged(t *testing.T) {
	hub := hubtest.New(t, hubtest.FixtureDir(t))
	cmd := serverCommand(t, []string{"stdio", "--demo", "--log-level", "debug"}, "HF_ENDPOINT="+hub.URL, "HF_TOKEN="+hubtest.Token)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	cmd.Stdin = strings.NewReader(strings.Join([]string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"inspect_model","arguments":{"huggingFaceId":"rational-ai/internal-chat-3b"}}}`,
	}, "\n") + "\n")
	require.NoError(t, cmd.Run())

	assert.Contains(t, stdout.String(), `\"private\":true`, "the token reached the Hub")
	assert.NotContains(t, stderr.String(), hubtest.Token)
	assert.NotContains(t, stdout.String(), hubtest.Token)
	assert.Contains(t, stderr.String(), "hub_endpoint="+hub.URL)
}

// TestDemoDeployPlanShowsCatalogEstimate checks that the approval plan of a
// deploy in demo mode, where the Hub is offline, shows GPU figures from the
// catalog record and says where they come from.
func TestDemoDeployPlanShowsCatalogEstimate(t *testing.T) {
	mcpClient, _ := stdioClient(t, mcp.ProtocolVersion20251125, []string{"--demo", "--confirmation", "approval-page"})
	_, text := callTool(t, mcpClient, "list_models", map[string]any{"text": "gemma"})
	var listed struct {
		Models []tools.ModelRow `json:"models"`
	}
	require.NoError(t, json.Unmarshal([]byte(text), &listed))
	require.NotEmpty(t, listed.Models)

	result, text := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": listed.Models[0].ID})
	require.False(t, result.IsError, text)
	var pending struct {
		Plan struct {
			Facts []struct {
				Label string `json:"label"`
				Value string `json:"value"`
			} `json:"facts"`
		} `json:"plan"`
	}
	require.NoError(t, json.Unmarshal([]byte(text), &pending))
	facts := map[string]string{}
	for _, fact := range pending.Plan.Facts {
		facts[fact.Label] = fact.Value
	}
	assert.Equal(t, "1, from the catalog record (agent-editable), not verified", facts["GPUs (estimate)"])
	assert.Contains(t, facts["GPU memory (estimate)"], "GiB")
	assert.Contains(t, facts["Parameters"], "from the catalog record (agent-editable), not verified")
	assert.Contains(t, facts["Estimate basis"], "estimated from the catalog record")
	assert.Contains(t, facts["Estimate basis"], "offline")
}
