package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/hfhub"
)

// TestHubOfflineExplicitFalseInDemo checks that an explicit
// --hub-offline=false, from the flag or its variable, turns the Hub on in
// demo mode. Only the settings are checked: no lookup is sent.
func TestHubOfflineExplicitFalseInDemo(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"flag", []string{"--hub-offline=false"}, nil},
		{"env", nil, map[string]string{"RATIONAL_MCP_HUB_OFFLINE": "false"}},
		{"flag beats HF_HUB_OFFLINE", []string{"--hub-offline=false"}, map[string]string{"HF_HUB_OFFLINE": "1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hub := openTestHub(t, tc.args, tc.env, true)
			assert.False(t, hub.offline)
			assert.Equal(t, hfhub.DefaultEndpoint, hub.endpoint)
		})
	}
}

// TestHubOfflineMessageNamesCause checks that the "could not verify"
// message names the setting that turned the Hub off and how to turn it on.
func TestHubOfflineMessageNamesCause(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		env      map[string]string
		demo     bool
		want     []string
		unwanted string
	}{
		{"demo", nil, nil, true, []string{"--demo", "--hub-endpoint or HF_ENDPOINT", "--hub-offline=false"}, "HF_HUB_OFFLINE"},
		{"flag", []string{"--hub-offline"}, nil, false, []string{"--hub-offline or RATIONAL_MCP_HUB_OFFLINE", "set --hub-offline=false"}, "HF_HUB_OFFLINE"},
		{"env in demo", nil, map[string]string{"RATIONAL_MCP_HUB_OFFLINE": "true"}, true, []string{"RATIONAL_MCP_HUB_OFFLINE"}, "--demo"},
		{"HF_HUB_OFFLINE", nil, map[string]string{"HF_HUB_OFFLINE": "1"}, false, []string{"unset HF_HUB_OFFLINE"}, "--demo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hub := openTestHub(t, tc.args, tc.env, tc.demo)
			require.True(t, hub.offline)

			_, err := hub.services.Hub.Inspect(context.Background(), "Qwen/Qwen2.5-7B-Instruct", "")
			require.Error(t, err)
			assert.True(t, hfhub.CouldNotVerify(err))
			for _, want := range tc.want {
				assert.Contains(t, err.Error(), want)
			}
			assert.NotContains(t, err.Error(), tc.unwanted)
		})
	}
}

func TestDemoInspectNamesDemoAsCause(t *testing.T) {
	mcpClient, _ := stdioClient(t, mcp.ProtocolVersion20251125, []string{"--demo"})
	result, text := callTool(t, mcpClient, "inspect_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
	assert.True(t, result.IsError)
	assert.Contains(t, text, "--demo")
	assert.Contains(t, text, "--hub-endpoint or HF_ENDPOINT")
	assert.NotContains(t, text, "HF_HUB_OFFLINE")
	// The message reaches the deploy plan's estimate basis, where a URL
	// would be mistaken for the approval link by clients that look for one.
	assert.NotContains(t, text, "https://")
}

func openTestHub(t *testing.T, args []string, env map[string]string, demo bool) *hubSetup {
	t.Helper()
	getenv := func(name string) string { return env[name] }
	flags := newFlagSet("stdio", getenv)
	options := addHubFlags(flags)
	require.NoError(t, parseFlags(flags, args, "", io.Discard))

	hub, err := openHub(options, demo, getenv, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	return hub
}
