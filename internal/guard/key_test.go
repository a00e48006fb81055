package guard

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeKeyFile(t *testing.T, content string) string {
	t.Helper()
	filename := filepath.Join(t.TempDir(), "state.key")
	require.NoError(t, os.WriteFile(filename, []byte(content), 0o600))
	return filename
}

func TestLoadKeyFileEncodings(t *testing.T) {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i * 7)
	}
	encodings := map[string]string{
		"hex":           hex.EncodeToString(key) + "\n",
		"base64":        base64.StdEncoding.EncodeToString(key),
		"base64 url":    base64.RawURLEncoding.EncodeToString(key),
		"base64 spaced": "  " + base64.StdEncoding.EncodeToString(key) + "\n\n",
	}
	for name, content := range encodings {
		t.Run(name, func(t *testing.T) {
			loaded, err := LoadKeyFile(writeKeyFile(t, content))
			require.NoError(t, err)
			assert.Equal(t, key, loaded)
		})
	}
}

func TestLoadKeyFileErrors(t *testing.T) {
	cases := map[string]string{
		"empty":       "",
		"short":       hex.EncodeToString(make([]byte, 16)),
		"not encoded": "this is not a key!",
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := LoadKeyFile(writeKeyFile(t, content))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "openssl rand -hex 32")
		})
	}

	_, err := LoadKeyFile(filepath.Join(t.TempDir(), "missing"))
	assert.Error(t, err)
}

func TestNewRandomKeyDiffers(t *testing.T) {
	a, b := NewRandomKey(), NewRandomKey()
	assert.Len(t, a, MinKeyBytes)
	assert.NotEqual(t, a, b)
}
