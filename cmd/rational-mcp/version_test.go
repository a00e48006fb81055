package main

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersionFlagAliases(t *testing.T) {
	for _, arg := range []string{"--version", "-version", "-v"} {
		t.Run(arg, func(t *testing.T) {
			var stdout bytes.Buffer
			require.NoError(t, run(context.Background(), []string{arg}, nil, &stdout, io.Discard, noEnv))
			assert.Regexp(t, `^rational-mcp \S+ \(go\d`, stdout.String())
		})
	}

	err := run(context.Background(), []string{"--version", "extra"}, nil, io.Discard, io.Discard, noEnv)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"extra"`)
}

func TestVersionFlagAfterCommandRejected(t *testing.T) {
	err := run(context.Background(), []string{"stdio", "--version"}, nil, io.Discard, io.Discard, noEnv)
	require.Error(t, err, "--version is not a stdio flag")
	assert.Contains(t, err.Error(), "version")
}
