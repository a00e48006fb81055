package guard

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

func TestPolicyExampleFileLoads(t *testing.T) {
	policy, err := LoadPolicyFile(filepath.Join("..", "..", "testdata", "policy", "example.yaml"))
	require.NoError(t, err)

	assert.Equal(t, ActionAllow, policy.Rules.Tools["pause_deployment"])
	assert.Equal(t, ActionDeny, policy.Rules.Tools["delete_model"])
	assert.Equal(t, ActionRequireApproval, policy.Rules.Effects[EffectGPU])
	require.Len(t, policy.Preapprovals, 2)

	first := policy.Preapprovals[0]
	assert.Equal(t, "small-gemma-for-evals", first.Name)
	assert.Equal(t, []string{"google/gemma-4-*-it"}, first.HuggingFaceIDs)
	assert.Equal(t, []controlroom.ModelType{controlroom.ModelTypeBase}, first.Types)
	assert.Equal(t, int64(13000000000), first.MaxParams)
	assert.Equal(t, 1, first.MaxGPUs)
	assert.Equal(t, 4, first.MaxConcurrentDeployments)
	assert.False(t, first.AllowForceDeployment)
}

func TestPolicyJSONAccepted(t *testing.T) {
	policy, err := ParsePolicy([]byte(`{"version": 1, "rules": {"effects": {"gpu": "deny"}},
		"deploy": {"preapprove": [{"name": "r", "models": ["a/*"], "maxGpus": 2}]}}`))
	require.NoError(t, err)
	assert.Equal(t, ActionDeny, policy.Rules.Effects[EffectGPU])
	assert.Equal(t, 2, policy.Preapprovals[0].MaxGPUs)
}

func TestPolicyDefaultsKeptForUnsetEffects(t *testing.T) {
	policy, err := ParsePolicy([]byte("version: 1\nrules:\n  effects:\n    write: deny\n"))
	require.NoError(t, err)
	assert.Equal(t, ActionDeny, policy.Rules.Effects[EffectWrite])
	assert.Equal(t, ActionRequireApproval, policy.Rules.Effects[EffectGPU])
	assert.Equal(t, ActionAllow, policy.Rules.Effects[EffectRead])
}

func TestPolicyErrors(t *testing.T) {
	cases := []struct {
		name, document, want string
	}{
		{"unknown top key", "version: 1\nallow_everything: true\n", "allow_everything"},
		{"unknown rule key", "version: 1\ndeploy:\n  preapprove:\n    - name: r\n      models: [a]\n      maxGPUs: 1\n", "maxGPUs"},
		{"unknown rules key", "version: 1\nrules:\n  tool:\n    x: allow\n", "tool"},
		{"duplicate key", "version: 1\nrules:\n  effects:\n    gpu: deny\n    gpu: allow\n", "already defined"},
		{"missing version", "rules: {}\n", "version is 0"},
		{"wrong version", "version: 2\n", "version is 2"},
		{"empty", "", "empty"},
		{"two documents", "version: 1\n---\nversion: 1\n", "more than one"},
		{"unknown effect", "version: 1\nrules:\n  effects:\n    gpus: deny\n", `"gpus"`},
		{"unknown action", "version: 1\nrules:\n  effects:\n    gpu: ask\n", `"ask"`},
		{"unknown tool action", "version: 1\nrules:\n  tools:\n    deploy_model: yes_please\n", `"yes_please"`},
		{"rule without patterns", "version: 1\ndeploy:\n  preapprove:\n    - name: r\n      maxGpus: 1\n", "neither models nor huggingFaceIds"},
		{"rule without name", "version: 1\ndeploy:\n  preapprove:\n    - models: [a]\n", "empty"},
		{"bad pattern", "version: 1\ndeploy:\n  preapprove:\n    - name: r\n      models: ['a[']\n", "path.Match"},
		{"non-ASCII pattern", "version: 1\ndeploy:\n  preapprove:\n    - name: r\n      models: ['gооgle/*']\n", "not printable ASCII"},
		{"unknown type", "version: 1\ndeploy:\n  preapprove:\n    - name: r\n      models: [a]\n      types: [fp8]\n", `"fp8"`},
		{"negative limit", "version: 1\ndeploy:\n  preapprove:\n    - name: r\n      models: [a]\n      maxGpus: -1\n", "positive"},
		{"duplicate rule name", "version: 1\ndeploy:\n  preapprove:\n    - name: r\n      models: [a]\n    - name: r\n      models: [b]\n", "used twice"},
		{"string for number", "version: 1\ndeploy:\n  preapprove:\n    - name: r\n      models: [a]\n      maxGpus: two\n", "line 6"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePolicy([]byte(c.document))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestLoadPolicyFileNamesFile(t *testing.T) {
	filename := filepath.Join(t.TempDir(), "policy.yaml")
	require.NoError(t, os.WriteFile(filename, []byte("version: 1\nbogus: 1\n"), 0o600))
	_, err := LoadPolicyFile(filename)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filename)
	assert.Contains(t, err.Error(), "bogus")

	_, err = LoadPolicyFile(filepath.Join(t.TempDir(), "missing.yaml"))
	require.Error(t, err)
}
