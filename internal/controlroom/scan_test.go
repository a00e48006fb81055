package controlroom

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScanExtraKeepsUnknownFields(t *testing.T) {
	data := []byte(` {"id":"m-1", "architecture" : "generic","deployments":[{"deploymentId":"d-1","x":"}]"}],"createdAt":"2026-01-01T00:00:00Z"} `)

	extra, ok := scanExtra(data, modelKeys)

	require.True(t, ok)
	assert.Len(t, extra, 2)
	assert.JSONEq(t, `"generic"`, string(extra["architecture"]))
	assert.JSONEq(t, `"2026-01-01T00:00:00Z"`, string(extra["createdAt"]))
}

func TestScanExtraFallsBack(t *testing.T) {
	for _, data := range []string{
		`null`, `[]`, `{"id":1`, `{"id":1,"id":2}`, `{"id":1,}`, `{"ID":"x"}`, `{"na\u006de":"x"}`, "{\"\xff\":1}", `{"id":1} {}`,
	} {
		_, ok := scanExtra([]byte(data), modelKeys)
		assert.False(t, ok, "scan %q", data)
	}
}

// splitKnownReference decodes data into a map and only the named keys into
// target: the definition of splitKnown, without its shortcuts.
func splitKnownReference(data []byte, known map[string]bool, target any) (map[string]json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	if all == nil {
		return nil, nil
	}
	named := map[string]json.RawMessage{}
	var extra map[string]json.RawMessage
	for key, value := range all {
		if known[key] {
			named[key] = value
			continue
		}
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		extra[key] = value
	}
	namedJSON, err := json.Marshal(named)
	if err != nil {
		return nil, err
	}
	return extra, json.Unmarshal(namedJSON, target)
}

// FuzzSplitKnown checks that splitKnown decodes a model record exactly as
// its definition does.
func FuzzSplitKnown(f *testing.F) {
	f.Add([]byte(`{"id":"m-1","name":"n","type":"gguf","vendor":{"a":[1,"]"]},"deployments":[{"deploymentId":"d","ID":2}]}`))
	f.Add([]byte(`{"id":"m-1","ID":"other","id":"m-2"}`))
	f.Add([]byte(`{"gpuCount":"x","size":null}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"defaultParameters":{"a":1},"defaultParameters":{"b":2}}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		var scanned, mapped modelFields
		scannedExtra, scanErr := splitKnown(data, modelKeys, &scanned)
		mappedExtra, mapErr := splitKnownReference(data, modelKeys, &mapped)

		if (scanErr == nil) != (mapErr == nil) {
			t.Fatalf("errors differ on %q: %v and %v", data, scanErr, mapErr)
		}
		if scanErr != nil {
			return
		}
		if !reflect.DeepEqual(scanned, mapped) {
			t.Fatalf("fields differ on %q:\n%+v\n%+v", data, scanned, mapped)
		}
		if len(scannedExtra) != len(mappedExtra) {
			t.Fatalf("extra differs on %q: %v and %v", data, scannedExtra, mappedExtra)
		}
		for key, value := range mappedExtra {
			if string(scannedExtra[key]) != string(value) {
				t.Fatalf("extra %q differs on %q: %s and %s", key, data, scannedExtra[key], value)
			}
		}
	})
}

func TestSplitKnownMatchesEncodingJSONOnVendorRecord(t *testing.T) {
	data := []byte(`{"id":"m-1","name":"org/m","type":"base","defaultParameters":{"temperature":0.7},"deployments":[],"vendor":true}`)
	var model Model
	require.NoError(t, json.Unmarshal(data, &model))

	assert.Equal(t, "m-1", model.ID)
	assert.Equal(t, ModelDefaultParameters{"temperature": 0.7}, model.DefaultParameters)
	assert.JSONEq(t, `true`, string(model.Extra["vendor"]))
}

func TestSplitKnownRepeatedObjectKey(t *testing.T) {
	var model Model
	require.NoError(t, json.Unmarshal([]byte(`{"defaultParameters":{"a":1},"defaultParameters":{"b":2}}`), &model))

	assert.Equal(t, ModelDefaultParameters{"b": 2.0}, model.DefaultParameters)
}
