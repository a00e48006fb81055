package mcpguard_test

import (
	"context"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/internal/guard/mcpguard"
)

func TestStartWithEverySetting(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "state.key")
	require.NoError(t, os.WriteFile(keyFile, []byte(hex.EncodeToString(guard.NewRandomKey())), 0o600))
	auditFile := filepath.Join(dir, "audit.jsonl")

	running, err := mcpguard.Start(mcpguard.Settings{
		Confirmation: "approval-page",
		PolicyFile:   filepath.Join("..", "..", "..", "testdata", "policy", "example.yaml"),
		AuditLogFile: auditFile,
		StateKeyFile: keyFile,
		ApprovalTTL:  time.Minute,
	}, nil, nil, nil)
	require.NoError(t, err)

	require.NotNil(t, running.Page)
	response, err := http.Get(running.Page.Origin() + "/approvals/ap_unknown")
	require.NoError(t, err)
	require.NoError(t, response.Body.Close())
	assert.Equal(t, http.StatusNotFound, response.StatusCode)

	info, err := os.Stat(auditFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	require.NoError(t, running.Close(context.Background()))
}

func TestStartWithoutPageInDenyMode(t *testing.T) {
	running, err := mcpguard.Start(mcpguard.Settings{Confirmation: "deny"}, nil, nil, nil)
	require.NoError(t, err)
	assert.Nil(t, running.Page)
	require.NoError(t, running.Close(context.Background()))
}

func TestStartErrors(t *testing.T) {
	dir := t.TempDir()
	badPolicy := filepath.Join(dir, "policy.yaml")
	require.NoError(t, os.WriteFile(badPolicy, []byte("version: 1\nrules:\n  tools:\n    deploy-model: allow\n"), 0o600))

	cases := map[string]mcpguard.Settings{
		"unknown mode":          {Confirmation: "sometimes"},
		"missing policy":        {PolicyFile: filepath.Join(dir, "missing.yaml")},
		"policy unknown tool":   {PolicyFile: badPolicy},
		"missing key file":      {StateKeyFile: filepath.Join(dir, "missing.key")},
		"audit log in no dir":   {AuditLogFile: filepath.Join(dir, "no", "audit.jsonl")},
		"negative approval ttl": {ApprovalTTL: -5 * time.Minute},
		"approval ttl too long": {ApprovalTTL: 100000 * time.Hour},
	}
	for name, settings := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := mcpguard.Start(settings, nil, nil, nil)
			assert.Error(t, err)
		})
	}
}
