package controlroom

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secretToken = "s3cr3t-T0KEN-value-4242"

func envOf(values map[string]string) func(string) string {
	return func(name string) string { return values[name] }
}

func TestConfigFromEnvTenant(t *testing.T) {
	cfg, err := ConfigFromEnv(envOf(map[string]string{EnvTenant: "Acme", EnvToken: " " + secretToken + "\n"}))
	require.NoError(t, err)

	assert.Equal(t, "https://acme.rational.is/api", cfg.BaseURL)
	assert.Equal(t, secretToken, cfg.Token)
}

func TestConfigFromEnvBaseURLWins(t *testing.T) {
	cfg, err := ConfigFromEnv(envOf(map[string]string{
		EnvBaseURL: "http://127.0.0.1:8080/api/", EnvTenant: "acme", EnvToken: secretToken,
	}))
	require.NoError(t, err)

	assert.Equal(t, "http://127.0.0.1:8080/api", cfg.BaseURL)
}

func TestConfigFromEnvTokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte("\n  "+secretToken+"  \n"), 0o600))

	cfg, err := ConfigFromEnv(envOf(map[string]string{EnvTenant: "acme", EnvTokenFile: path}))
	require.NoError(t, err)

	assert.Equal(t, secretToken, cfg.Token)
}

func TestConfigFromEnvNothingSet(t *testing.T) {
	_, err := ConfigFromEnv(envOf(nil))
	require.Error(t, err)

	assert.True(t, errors.Is(err, ErrNotConfigured))
	assert.False(t, errors.Is(err, ErrInvalidConfig))
	for _, name := range []string{EnvBaseURL, EnvTenant, EnvToken, EnvTokenFile} {
		assert.Contains(t, err.Error(), name)
	}
}

func TestAnyEnvSet(t *testing.T) {
	assert.False(t, AnyEnvSet(envOf(nil)))
	assert.False(t, AnyEnvSet(envOf(map[string]string{EnvTenant: "  "})))
	assert.True(t, AnyEnvSet(envOf(map[string]string{EnvTokenFile: "/run/token"})))
}

func TestConfigFromEnvMissingTokenOnly(t *testing.T) {
	_, err := ConfigFromEnv(envOf(map[string]string{EnvTenant: "acme"}))
	require.Error(t, err)

	assert.True(t, errors.Is(err, ErrNotConfigured))
	assert.Contains(t, err.Error(), EnvToken)
	assert.NotContains(t, err.Error(), EnvTenant)
}

func TestConfigFromEnvMalformed(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		varName string
		wants   string
	}{
		{"no api suffix", map[string]string{EnvBaseURL: "https://acme.rational.is"}, EnvBaseURL, "must end in /api"},
		{"wrong scheme", map[string]string{EnvBaseURL: "ftp://acme.rational.is/api"}, EnvBaseURL, "must end in /api"},
		{"query", map[string]string{EnvBaseURL: "https://acme.rational.is/api?x=1"}, EnvBaseURL, "must end in /api"},
		{"fragment", map[string]string{EnvBaseURL: "https://acme.rational.is/api#top"}, EnvBaseURL, "must end in /api"},
		{"does not parse", map[string]string{EnvBaseURL: "https://acme .rational.is/%zz"}, EnvBaseURL, "must end in /api"},
		{"no host", map[string]string{EnvBaseURL: "https:///api"}, EnvBaseURL, "must end in /api"},
		{"user info", map[string]string{EnvBaseURL: "https://user:pw@acme.rational.is/api"}, EnvBaseURL, "user info"},
		{"tenant with dot", map[string]string{EnvTenant: "acme.evil.com"}, EnvTenant, "DNS label"},
		{"tenant too long", map[string]string{EnvTenant: "a123456789012345678901234567890123456789012345678901234567890123"}, EnvTenant, "DNS label"},
		{"tenant leading dash", map[string]string{EnvTenant: "-acme"}, EnvTenant, "DNS label"},
		{"both token sources", map[string]string{EnvToken: secretToken, EnvTokenFile: "/nonexistent"}, EnvTokenFile, "only one"},
		{"token file missing", map[string]string{EnvTokenFile: "/nonexistent/token"}, EnvTokenFile, "cannot read"},
		{"token with space", map[string]string{EnvToken: "abc " + secretToken}, EnvToken, "whitespace"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{EnvTenant: "acme", EnvToken: secretToken}
			if _, ok := tc.env[EnvTokenFile]; ok {
				delete(env, EnvToken)
			}
			for k, v := range tc.env {
				env[k] = v
			}

			_, err := ConfigFromEnv(envOf(env))
			require.Error(t, err)

			assert.True(t, errors.Is(err, ErrInvalidConfig))
			assert.Contains(t, err.Error(), tc.varName)
			assert.Contains(t, err.Error(), tc.wants)
			assert.NotContains(t, err.Error(), secretToken)
			assert.NotContains(t, err.Error(), "pw")
		})
	}
}

func TestConfigFromEnvEmptyTokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte(" \n"), 0o600))

	_, err := ConfigFromEnv(envOf(map[string]string{EnvTenant: "acme", EnvTokenFile: path}))
	require.Error(t, err)

	assert.Contains(t, err.Error(), EnvTokenFile)
	assert.Contains(t, err.Error(), "empty")
}

func TestNewRejectsBadConfig(t *testing.T) {
	_, err := New(Config{BaseURL: "https://acme.rational.is/", Token: secretToken})
	assert.ErrorContains(t, err, "must end in /api")

	_, err = New(Config{BaseURL: "https://acme.rational.is/api"})
	assert.ErrorContains(t, err, EnvToken)

	client, err := New(Config{BaseURL: "https://acme.rational.is/api/", Token: secretToken})
	require.NoError(t, err)
	assert.Equal(t, "https://acme.rational.is/api", client.BaseURL())
}
