package guard

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

func gemmaFacts() DeployFacts {
	return DeployFacts{
		ModelName: "google/gemma-4-12B-it", HuggingFaceID: "google/gemma-4-12B-it",
		Type: controlroom.ModelTypeBase, Params: 12e9, GPUs: 1, LiveDeployments: 0,
	}
}

func gemmaRule() DeployRule {
	return DeployRule{
		Name: "gemma", HuggingFaceIDs: []string{"google/gemma-4-*-it"},
		Types: []controlroom.ModelType{controlroom.ModelTypeBase}, MaxParams: 13e9, MaxGPUs: 1, MaxConcurrentDeployments: 2,
	}
}

func TestMatchDeployFirstMatchingRule(t *testing.T) {
	other := DeployRule{Name: "other", Models: []string{"qwen/*"}}
	result := MatchDeploy([]DeployRule{other, gemmaRule()}, gemmaFacts())
	require.NotNil(t, result.Rule)
	assert.Equal(t, "gemma", result.Rule.Name)
}

func TestMatchDeployMisses(t *testing.T) {
	cases := []struct {
		name   string
		change func(*DeployFacts)
		want   string
	}{
		{"other id", func(f *DeployFacts) { f.HuggingFaceID = "google/gemma-4-27B" }, "matches none"},
		{"empty id", func(f *DeployFacts) { f.HuggingFaceID = "" }, "empty"},
		{"type", func(f *DeployFacts) { f.Type = controlroom.ModelTypeGGUF }, "type"},
		{"params over", func(f *DeployFacts) { f.Params = 14e9 }, "exceed the maximum"},
		{"params unknown", func(f *DeployFacts) { f.Params = 0 }, "parameter count is unknown"},
		{"gpus over", func(f *DeployFacts) { f.GPUs = 2 }, "2 GPUs exceed"},
		{"gpus unknown", func(f *DeployFacts) { f.GPUs = 0 }, "GPU count is unknown"},
		{"concurrency", func(f *DeployFacts) { f.LiveDeployments = 2 }, "live deployments"},
		{"concurrency unknown", func(f *DeployFacts) { f.LiveDeployments = -1 }, "unknown"},
		{"force replaces", func(f *DeployFacts) { f.ForceDeployment = true; f.ModelHasLive = true }, "forceDeployment"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			facts := gemmaFacts()
			c.change(&facts)
			result := MatchDeploy([]DeployRule{gemmaRule()}, facts)
			assert.Nil(t, result.Rule)
			require.Len(t, result.Misses, 1)
			assert.Contains(t, result.Misses[0], c.want)
		})
	}
}

func TestMatchDeployForceWithoutExistingPasses(t *testing.T) {
	facts := gemmaFacts()
	facts.ForceDeployment = true
	assert.NotNil(t, MatchDeploy([]DeployRule{gemmaRule()}, facts).Rule)

	rule := gemmaRule()
	rule.AllowForceDeployment = true
	facts.ModelHasLive = true
	facts.LiveDeployments = 1
	assert.NotNil(t, MatchDeploy([]DeployRule{rule}, facts).Rule)
}

func TestMatchDeployBothListsMustMatch(t *testing.T) {
	rule := DeployRule{Name: "both", Models: []string{"approved-*"}, HuggingFaceIDs: []string{"google/*"}}
	facts := gemmaFacts()
	facts.ModelName = "approved-gemma"
	assert.NotNil(t, MatchDeploy([]DeployRule{rule}, facts).Rule)

	facts.HuggingFaceID = "evil/giant"
	assert.Nil(t, MatchDeploy([]DeployRule{rule}, facts).Rule)
}

func TestMatchDeployStarDoesNotCrossSlash(t *testing.T) {
	rule := DeployRule{Name: "r", HuggingFaceIDs: []string{"google/*"}}
	facts := gemmaFacts()
	facts.HuggingFaceID = "google/../evil/model"
	assert.Nil(t, MatchDeploy([]DeployRule{rule}, facts).Rule)
}

func TestCheckMatchableName(t *testing.T) {
	assert.NoError(t, checkMatchableName("google/gemma-4-12B-it"))
	assert.NoError(t, checkMatchableName("name with spaces"))
	for _, bad := range []string{"", "gооgle/x", "google\u200b/x", "google／x", "a\nb", "a\x00b", "é"} {
		assert.Error(t, checkMatchableName(bad), "%q", bad)
	}
}
