package mcpserver_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/hfhub"
	"github.com/rational-ai/rational-mcp/internal/hfhub/hubtest"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/tools"
)

// TestRegisterFromBareRepoIDOverMCP registers a model from its repo id
// alone, through a real client over streamable HTTP with the Hub fixtures
// on a local server, and checks that every catalog field was filled.
func TestRegisterFromBareRepoIDOverMCP(t *testing.T) {
	const privateRepo = "rational-ai/internal-chat-3b"
	hub := hubtest.New(t, hubtest.FixtureDir(t))
	hubClient, err := hfhub.New(hfhub.Options{Endpoint: hub.URL, Token: hubtest.Token, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	h := newHarness(t, harnessConfig{options: mcpserver.Options{Services: tools.Services{Hub: hubClient}}})

	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			mcpClient := h.connect(t, era, nil)

			inspected := call(t, mcpClient, "inspect_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"})
			require.False(t, inspected.isError, inspected.text)
			assert.Equal(t, "base", inspected.structured["type"])

			// The private fixture is not in the seeded catalog, so the
			// registration is new; the test token grants access to it.
			registered := call(t, mcpClient, "register_model", map[string]any{"huggingFaceId": privateRepo})
			require.False(t, registered.isError, registered.text)
			modelID := registered.structured["modelId"].(string)

			got := call(t, mcpClient, "get_model", map[string]any{"modelId": modelID})
			require.False(t, got.isError, got.text)
			assert.Equal(t, privateRepo, got.structured["huggingFaceId"])
			assert.Equal(t, privateRepo, got.structured["name"])
			assert.Equal(t, "base", got.structured["type"])
			assert.Equal(t, "rational-ai", got.structured["publisher"])
			assert.Equal(t, "3212749824", got.structured["numberOfParams"])
			assert.Equal(t, hub.URL+"/"+privateRepo, got.structured["card"])
			assert.Contains(t, got.structured["description"], "LlamaForCausalLM")
			assert.NotEmpty(t, got.structured["size"])

			again := call(t, mcpClient, "register_model", map[string]any{"huggingFaceId": privateRepo})
			require.False(t, again.isError, again.text)
			assert.Equal(t, true, again.structured["alreadyExisted"])
			assert.Equal(t, modelID, again.structured["modelId"])

			mismatch := call(t, mcpClient, "register_model", map[string]any{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct-AWQ", "type": "base"})
			require.False(t, mismatch.isError, mismatch.text)
			assert.Contains(t, mismatch.text, "contradicts the repo")
		})
	}
}
