package tools

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

func TestModelRowIsPositional(t *testing.T) {
	listed := controlroom.Model{
		ID: "m1", Name: "org/repo", Type: controlroom.ModelTypeBase, HuggingFaceID: "org/repo",
		Publisher: "org", NumberOfParams: "7241732096",
		Deployments: []controlroom.Deployment{{Status: controlroom.StatusWaitingForChat}, {Status: "loading"}},
	}
	encoded, err := json.Marshal(modelRow(listed))
	require.NoError(t, err)
	assert.JSONEq(t, `["m1","org/repo","base","7.2B",1]`, string(encoded), "publisher dropped, huggingFaceId equal to name omitted")

	renamed := controlroom.Model{ID: "m2", Name: "my-llama", Type: controlroom.ModelTypeGGUF, HuggingFaceID: "org/llama-GGUF"}
	encoded, err = json.Marshal(modelRow(renamed))
	require.NoError(t, err)
	assert.JSONEq(t, `["m2","my-llama","gguf","",null,"org/llama-GGUF"]`, string(encoded), "no deployments array gives null")

	var decoded ModelRow
	require.NoError(t, json.Unmarshal(encoded, &decoded))
	assert.Equal(t, modelRow(renamed), decoded)
	require.NoError(t, json.Unmarshal([]byte(`["m1","org/repo","base","7.2B",1]`), &decoded))
	assert.Equal(t, "org/repo", decoded.HuggingFaceID, "a missing huggingFaceId equals the name")
	assert.Error(t, json.Unmarshal([]byte(`{"id":"m1"}`), &decoded))
	assert.Error(t, json.Unmarshal([]byte(`["m1","org/repo"]`), &decoded))
}

func TestCompactParams(t *testing.T) {
	for raw, want := range map[string]string{
		"7241732096":    "7.2B",
		"8000000000":    "8B",
		"70553706496":   "71B",
		"494032768":     "494M",
		"1000000000000": "1T",
		"512":           "512",
		"7B":            "7B",
		"":              "",
	} {
		assert.Equal(t, want, compactParams(raw), raw)
	}
}
