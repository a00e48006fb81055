package mcpserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScanEnvelopeMatchesDecode(t *testing.T) {
	lines := []string{
		`{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"{\"id\":\"x\",\"method\":\"y\"}"}]}}`,
		`{"jsonrpc":"2.0","id":"a-1","error":{"code":-32602,"message":"bad [ { \\\" "}}`,
		`{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}`,
		`{"jsonrpc":"2.0","id":3,"method":"elicitation/create","params":{"id":9}}`,
		` { "id" : null , "result" : [1, 2.5e3, true, false, null, {"a":[{}]}] } `,
		`{"result":{},"id":12}`,
		`{"method":null,"id":1}`,
		`{}`,
	}
	for _, line := range lines {
		scanned, scanOK := scanEnvelope([]byte(line))
		decoded, decodeOK := decodeEnvelope([]byte(line))

		assert.True(t, scanOK, "scan %s", line)
		assert.Equal(t, decodeOK, scanOK, "ok of %s", line)
		assert.Equal(t, string(decoded.ID), string(scanned.ID), "id of %s", line)
		assert.Equal(t, decoded.Method, scanned.Method, "method of %s", line)
	}
}

func TestScanEnvelopeRejectsMalformed(t *testing.T) {
	for _, line := range []string{
		``, `[]`, `{`, `{"id":1`, `{"id":1,}`, `{"id" 1}`, `{"id":}`, `{"result":{"a":[}]},"id":1}`,
		`{"method":5,"id":1}`, `{"id":1} trailing`, `{"id":"unterminated}`,
	} {
		_, ok := scanEnvelope([]byte(line))
		assert.False(t, ok, "scan %q", line)
	}
}

func TestIsResponseOfLargeResult(t *testing.T) {
	rows := make([]string, 50)
	for i := range rows {
		rows[i] = fmt.Sprintf(`{"id":"m-%d","name":"org/model-%d","method":"not the envelope's"}`, i, i)
	}
	structured := `{"models":[` + strings.Join(rows, ",") + `]}`
	text, err := json.Marshal(structured)
	assert.NoError(t, err)
	line := `{"jsonrpc":"2.0","id":41,"result":{"content":[{"type":"text","text":` + string(text) + `}],"structuredContent":` + structured + `}}`

	assert.True(t, isResponse([]byte(line)))
	assert.False(t, isResponse([]byte(`{"jsonrpc":"2.0","id":41,"method":"roots/list"}`)))
	assert.False(t, isResponse([]byte(`{"jsonrpc":"2.0","method":"notifications/message","params":{}}`)))
}

// FuzzScanEnvelope checks scanEnvelope against decoding the top-level keys
// with encoding/json, on valid JSON whose keys contain no escapes.
func FuzzScanEnvelope(f *testing.F) {
	f.Add([]byte(`{"jsonrpc":"2.0","id":7,"result":{"content":[]}}`))
	f.Add([]byte(`{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}`))
	f.Add([]byte(`{"id":"a","method":"x","id":2}`))
	f.Add([]byte(`{"result":"[{\"id\":1}]","id":null}`))
	f.Add([]byte(`{"method":null,"id":1}`))

	f.Fuzz(func(t *testing.T, line []byte) {
		scanned, ok := scanEnvelope(line)
		if !json.Valid(line) || bytes.ContainsRune(line, '\\') {
			return
		}
		var top map[string]json.RawMessage
		if json.Unmarshal(line, &top) != nil || top == nil {
			if ok {
				t.Fatalf("scanned a line that is not an object: %s", line)
			}
			return
		}
		var method string
		if raw, has := top["method"]; has && json.Unmarshal(raw, &method) != nil {
			if ok {
				t.Fatalf("accepted a method that is not a string: %s", line)
			}
			return
		}
		if !ok {
			t.Fatalf("rejected a valid object: %s", line)
		}
		if string(scanned.ID) != string(top["id"]) || scanned.Method != method {
			t.Fatalf("scanned id %s method %q, want id %s method %q in %s", scanned.ID, scanned.Method, top["id"], method, line)
		}
	})
}
