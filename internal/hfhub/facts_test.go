package hfhub

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSummarizeFallbacks(t *testing.T) {
	info := &ModelInfo{
		ID:       "NewOwner/renamed-model",
		CardData: &CardData{License: []string{"other", "mit"}, LicenseName: "custom-license"},
		Tags:     []string{"awq"},
		Safetensors: &SafetensorsInfo{
			Parameters: map[string]int64{"I32": 800, "F16": 1000},
			Total:      1800,
		},
		Siblings: []Sibling{{Filename: "model.safetensors", Size: 10, SizeKnown: true}},
	}

	facts := Summarize(info, "http://127.0.0.1:1/", "oldowner/old-model", "main")

	assert.Equal(t, "NewOwner/renamed-model", facts.RepoID, "the Hub's spelling wins")
	assert.Equal(t, "oldowner/old-model", facts.RequestedID)
	assert.Equal(t, "NewOwner", facts.Publisher, "the namespace stands in for a missing author")
	assert.Equal(t, "http://127.0.0.1:1/NewOwner/renamed-model", facts.CardURL)
	assert.Equal(t, "other (custom-license), mit", facts.License)
	assert.Equal(t, FormatAWQ, facts.Format)
	assert.Equal(t, "awq", facts.QuantMethod, "set from the tag")
	assert.Contains(t, facts.ParametersNote, "undercounts")
	assert.Equal(t, "F16", facts.Dtype)
	assert.Equal(t, int64(10), facts.WeightBytes)
}

func TestSummarizeKeepsRequestedIDWhenHubIDInvalid(t *testing.T) {
	facts := Summarize(&ModelInfo{ID: "not a valid id"}, DefaultEndpoint, "a/b", "")

	assert.Equal(t, "a/b", facts.RepoID)
	assert.Equal(t, "a", facts.Publisher)
	assert.Equal(t, "https://huggingface.co/a/b", facts.CardURL)
	assert.Equal(t, FormatUnknown, facts.Format)
	assert.False(t, facts.WeightBytesKnown)
}

func TestSummarizeDoesNotShareWarnings(t *testing.T) {
	info := &ModelInfo{Warnings: make([]string, 1, 10)}

	first := Summarize(info, DefaultEndpoint, "a/b", "")
	first.Warnings = append(first.Warnings, "only in first")
	second := Summarize(info, DefaultEndpoint, "a/b", "")
	second.Warnings = append(second.Warnings, "only in second")

	// With a shared backing array the second append would overwrite the first.
	assert.Equal(t, "only in first", first.Warnings[1])
	assert.Equal(t, "only in second", second.Warnings[1])
}
