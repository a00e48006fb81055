package guard

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
)

// MinKeyBytes is the minimum length of an HMAC key for request states.
const MinKeyBytes = 32

// NewRandomKey returns a per-process HMAC key. States signed with it are
// invalid after a restart and on other replicas.
func NewRandomKey() []byte {
	key := make([]byte, MinKeyBytes)
	// crypto/rand.Read never returns an error since Go 1.24; it aborts the
	// program if the system's generator fails.
	_, _ = rand.Read(key)
	return key
}

// LoadKeyFile reads an HMAC key shared by several replicas from filename.
// The file contains the key as hex or standard or URL-safe base64 (with or
// without padding), surrounded by optional whitespace, and the key has at
// least MinKeyBytes bytes.
func LoadKeyFile(filename string) ([]byte, error) {
	data, err := os.ReadFile(filename)
	if err != nil {
		return nil, fmt.Errorf("read the state key file: %w", err)
	}

	key, err := decodeKey(string(bytes.TrimSpace(data)))
	if err != nil {
		return nil, fmt.Errorf("state key file %s: %w", filename, err)
	}
	return key, nil
}

func decodeKey(text string) ([]byte, error) {
	if text == "" {
		return nil, fmt.Errorf("the file is empty; write %d random bytes as hex (openssl rand -hex %d)", MinKeyBytes, MinKeyBytes)
	}

	decoders := []func(string) ([]byte, error){
		hex.DecodeString,
		base64.StdEncoding.DecodeString,
		base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString,
		base64.RawURLEncoding.DecodeString,
	}
	for _, decode := range decoders {
		key, err := decode(text)
		if err != nil {
			continue
		}
		if len(key) < MinKeyBytes {
			return nil, fmt.Errorf("the key has %d bytes; it needs at least %d (openssl rand -hex %d)", len(key), MinKeyBytes, MinKeyBytes)
		}
		return key, nil
	}
	return nil, fmt.Errorf("the key is neither hex nor base64; write %d random bytes as hex (openssl rand -hex %d)", MinKeyBytes, MinKeyBytes)
}
