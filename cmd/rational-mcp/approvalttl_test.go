package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestApprovalTTLOutOfRange(t *testing.T) {
	for _, ttl := range []string{"0s", "-5m", "100000h", "24h1s"} {
		t.Run(ttl, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := run(ctx, []string{"stdio", "--demo", "--approval-ttl", ttl}, strings.NewReader(""), io.Discard, io.Discard, noEnv)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "invalid --approval-ttl")
			assert.Contains(t, err.Error(), "at most 24h0m0s")
		})
	}
}

func TestApprovalTTLFromEnvOutOfRange(t *testing.T) {
	getenv := func(name string) string {
		if name == "RATIONAL_MCP_APPROVAL_TTL" {
			return "0s"
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, []string{"http", "--demo", "--addr", "127.0.0.1:0"}, strings.NewReader(""), io.Discard, io.Discard, getenv)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid --approval-ttl 0s")
}
