package tools

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegisterModelOutputIsFlat(t *testing.T) {
	raw, err := registerModel.OutputSchema()
	require.NoError(t, err)
	var schema struct {
		Properties map[string]map[string]any `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(raw, &schema))

	for name, kind := range map[string]string{"modelId": "string", "name": "string", "alreadyExisted": "boolean", "message": "string"} {
		require.Contains(t, schema.Properties, name)
		assert.Equal(t, kind, schema.Properties[name]["type"], name)
	}
	assert.NotContains(t, schema.Properties, "model", "the record is flat, not nested under model")
}
