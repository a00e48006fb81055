package guard

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func digestOf(t *testing.T, arguments map[string]any) string {
	t.Helper()
	digest, err := ArgumentsDigest(arguments)
	require.NoError(t, err)
	return digest
}

func TestArgumentsDigestIgnoresKeyOrderAndApprovalID(t *testing.T) {
	var a, b map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{"modelId":"m","forceDeployment":false,"nested":{"x":1,"y":2}}`), &a))
	require.NoError(t, json.Unmarshal([]byte(`{"nested":{"y":2,"x":1},"forceDeployment":false,"modelId":"m","approvalId":"ap_x"}`), &b))
	assert.Equal(t, digestOf(t, a), digestOf(t, b))
}

func TestArgumentsDigestStrict(t *testing.T) {
	base := digestOf(t, map[string]any{"modelId": "m"})
	variants := []map[string]any{
		{"modelId": "m", "forceDeployment": false},
		{"modelId": "m", "forceDeployment": nil},
		{"modelId": "M"},
		{"modelId": "m "},
		{"modelId": "m", "temperature": 0.7},
	}
	for _, variant := range variants {
		assert.NotEqual(t, base, digestOf(t, variant), "%v", variant)
	}
	assert.NotEqual(t, digestOf(t, map[string]any{"n": 1.0}), digestOf(t, map[string]any{"n": "1"}))
	assert.Equal(t, digestOf(t, map[string]any{"n": 3.0}), digestOf(t, map[string]any{"n": 3}))
}

func TestArgumentsDigestNilEqualsEmpty(t *testing.T) {
	assert.Equal(t, digestOf(t, nil), digestOf(t, map[string]any{}))
	assert.Equal(t, digestOf(t, nil), digestOf(t, map[string]any{ApprovalArgument: "ap_x"}))
}

func TestArgumentsDigestDoesNotChangeInput(t *testing.T) {
	arguments := map[string]any{"modelId": "m", ApprovalArgument: "ap_x"}
	digestOf(t, arguments)
	assert.Equal(t, "ap_x", arguments[ApprovalArgument])
}

func TestArgumentsDigestUnencodable(t *testing.T) {
	_, err := ArgumentsDigest(map[string]any{"f": func() {}})
	assert.Error(t, err)
}
