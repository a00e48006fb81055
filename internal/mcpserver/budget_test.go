package mcpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
	"github.com/rational-ai/rational-mcp/tools"
)

// toolsListTokenBudget caps the size of the whole tools/list result in
// tokens, estimated as 4 bytes per token. It is set just above the size
// measured with every tool and the guard's decorations, as the binary
// serves the list, so a change that grows the tool descriptions or schemas
// has to raise it on purpose.
// It must stay under 3,000 tokens.
const toolsListTokenBudget = 2990

// TestToolsListTokenBudget measures the tools/list result as the server
// sends it in each protocol era, from a server built like the binary's:
// every tool, with the guard's decorations under the default policy.
func TestToolsListTokenBudget(t *testing.T) {
	var running *mcpguard.Running
	h := newHarness(t, harnessConfig{
		wrapAPI: func(api controlroom.API) controlroom.API {
			var err error
			running, err = mcpguard.Start(mcpguard.Settings{}, api, nil, nil)
			require.NoError(t, err)
			t.Cleanup(func() { _ = running.Close(context.Background()) })
			return api
		},
		options: mcpserver.Options{
			DecorateTool: func(tool tools.Tool, announced *mcp.Tool) error {
				return running.Adapter.DecorateTool(tool, announced)
			},
		},
	})

	for _, era := range eras {
		recorder := &bodyRecorder{}
		httpTransport, err := transport.NewStreamableHTTP(h.url, transport.WithHTTPBasicClient(&http.Client{Transport: recorder}))
		require.NoError(t, err)
		mcpClient := client.NewClient(httpTransport, client.WithProtocolVersion(era))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		require.NoError(t, mcpClient.Start(ctx))
		_, err = mcpClient.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
			ProtocolVersion: era,
			ClientInfo:      mcp.Implementation{Name: "budget-test", Version: "1"},
		}})
		require.NoError(t, err, era)
		listed, err := mcpClient.ListTools(ctx, mcp.ListToolsRequest{})
		cancel()
		require.NoError(t, err, era)
		require.Len(t, listed.Tools, len(tools.All()), era)
		_ = mcpClient.Close()

		result := recorder.toolsListResult(t)
		tokens := (len(result) + 3) / 4
		t.Logf("tools/list %s: %d tools, %d bytes, about %d tokens (budget %d)", era, len(listed.Tools), len(result), tokens, toolsListTokenBudget)
		assert.LessOrEqual(t, tokens, toolsListTokenBudget, era)
	}
}

// bodyRecorder is an http.RoundTripper that keeps every response body.
type bodyRecorder struct {
	mu     sync.Mutex
	bodies [][]byte
}

func (r *bodyRecorder) RoundTrip(request *http.Request) (*http.Response, error) {
	response, err := http.DefaultTransport.RoundTrip(request)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(response.Body)
	_ = response.Body.Close()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.bodies = append(r.bodies, body)
	r.mu.Unlock()
	response.Body = io.NopCloser(bytes.NewReader(body))
	return response, nil
}

// toolsListResult returns the raw "result" member of the recorded tools/list
// response, from a JSON body or from the data line of an SSE body.
func (r *bodyRecorder) toolsListResult(t *testing.T) []byte {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, body := range r.bodies {
		for _, line := range bytes.Split(body, []byte("\n")) {
			line = bytes.TrimPrefix(bytes.TrimSpace(line), []byte("data:"))
			var message struct {
				Result json.RawMessage `json:"result"`
			}
			var result struct {
				Tools json.RawMessage `json:"tools"`
			}
			if json.Unmarshal(bytes.TrimSpace(line), &message) != nil || json.Unmarshal(message.Result, &result) != nil || result.Tools == nil {
				continue
			}
			return message.Result
		}
	}
	t.Fatal("no tools/list result among the recorded responses")
	return nil
}
