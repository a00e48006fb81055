package mcpguard_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
)

// lockedBuffer is a log sink that the test reads while the server writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fakeOpener writes a shell script that records its last argument in a
// file and exits with status, and returns the script and the file.
func fakeOpener(t *testing.T, status int) (script, record string) {
	t.Helper()
	dir := t.TempDir()
	script = filepath.Join(dir, "opener")
	record = filepath.Join(dir, "opened.txt")
	body := "#!/bin/sh\nfor last; do :; done\nprintf '%s\\n' \"$last\" >> '" + record + "'\nexit " + string(rune('0'+status)) + "\n"
	require.NoError(t, os.WriteFile(script, []byte(body), 0o700))
	return script, record
}

var loggedURL = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/approvals/ap_[A-Za-z0-9_-]+)`)

// requireNoURL fails when the agent's result carries the approval URL.
func requireNoURL(t *testing.T, result callResult, url string) {
	t.Helper()
	assert.NotContains(t, result.structured, "approvalUrl")
	assert.NotContains(t, result.text, url)
	assert.NotContains(t, result.text, "/approvals/")
}

func TestApprovalLinkOpenedInBrowser(t *testing.T) {
	opener, record := fakeOpener(t, 0)
	h := newHarness(t, harnessConfig{linkMode: mcpguard.LinkBrowser, opener: opener})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")
	arguments := map[string]any{"modelId": modelID}

	pending := callTool(t, mcpClient, "deploy_model", arguments)
	require.False(t, pending.isError, pending.text)
	assert.Equal(t, mcpguard.StatusApprovalRequired, pending.structured["status"])
	assert.Equal(t, "browser", pending.structured["deliveredTo"])
	assert.Contains(t, pending.structured["message"], "opened the approval page in the user's browser")

	opened, err := os.ReadFile(record)
	require.NoError(t, err)
	url := strings.TrimSpace(string(opened))
	require.True(t, strings.HasPrefix(url, h.page.Origin()+"/approvals/ap_"), "opened %q", url)
	requireNoURL(t, pending, url)

	decide(t, h, url, "approve")
	approved := callTool(t, mcpClient, "deploy_model", withApproval(arguments, pending.structured["approvalId"].(string)))
	require.False(t, approved.isError, approved.text)
	assert.Equal(t, int64(1), h.deployments())
}

func TestApprovalLinkWrittenToLog(t *testing.T) {
	logs := &lockedBuffer{}
	h := newHarness(t, harnessConfig{linkMode: mcpguard.LinkLog, logs: logs})
	mcpClient := h.connect(t, mcp.ProtocolVersion20260728, nil)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")
	arguments := map[string]any{"modelId": modelID}

	pending := callTool(t, mcpClient, "deploy_model", arguments)
	require.False(t, pending.isError, pending.text)
	assert.Equal(t, "log", pending.structured["deliveredTo"])
	assert.Contains(t, pending.structured["message"], "wrote the approval link to its log")

	match := loggedURL.FindStringSubmatch(logs.String())
	require.Len(t, match, 2, "the log has the approval link: %s", logs.String())
	requireNoURL(t, pending, match[1])

	decide(t, h, match[1], "approve")
	approved := callTool(t, mcpClient, "deploy_model", withApproval(arguments, pending.structured["approvalId"].(string)))
	require.False(t, approved.isError, approved.text)
	assert.Equal(t, int64(1), h.deployments())
}

func TestApprovalLinkFailedOpenerFallsBackToLog(t *testing.T) {
	opener, record := fakeOpener(t, 3)
	logs := &lockedBuffer{}
	h := newHarness(t, harnessConfig{linkMode: mcpguard.LinkBrowser, opener: opener, logs: logs})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	modelID := registerModel(t, mcpClient, "google/gemma-4-12B-it")

	pending := callTool(t, mcpClient, "deploy_model", map[string]any{"modelId": modelID})
	require.False(t, pending.isError, pending.text)
	assert.Equal(t, "log", pending.structured["deliveredTo"])

	opened, err := os.ReadFile(record)
	require.NoError(t, err)
	url := strings.TrimSpace(string(opened))
	assert.Contains(t, logs.String(), "url="+url, "the link the opener failed on is in the log")
	assert.Contains(t, logs.String(), "could not be opened in the browser")
	requireNoURL(t, pending, url)
	assert.Zero(t, h.deployments())
}

func TestApprovalLinkInstructionsNameNoURL(t *testing.T) {
	opener, _ := fakeOpener(t, 0)
	running, err := mcpguard.Start(mcpguard.Settings{ApprovalLink: mcpguard.LinkBrowser, ApprovalOpener: opener}, nil, nil, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = running.Close(t.Context()) })

	instructions := running.Adapter.Instructions()
	assert.Contains(t, instructions, "you never receive it")
	assert.NotContains(t, instructions, "approvalUrl")
}

func TestApprovalLinkSettingErrors(t *testing.T) {
	cases := map[string]mcpguard.Settings{
		"unknown link mode":              {ApprovalLink: "email"},
		"unknown link mode without page": {Confirmation: "deny", ApprovalLink: "clipboard"},
		"opener not found":               {ApprovalLink: mcpguard.LinkBrowser, ApprovalOpener: filepath.Join(t.TempDir(), "no-such-opener")},
	}
	for name, settings := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := mcpguard.Start(settings, nil, nil, nil)
			assert.Error(t, err)
		})
	}
}
