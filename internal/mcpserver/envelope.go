package mcpserver

import (
	"encoding/json"

	"github.com/rational-ai/rational-mcp/internal/jsonscan"
)

// scanEnvelope reads the top-level "id" and "method" of a JSON-RPC message
// without decoding the rest, so that counting a large tools/call response
// costs one pass over its bytes and no allocation. It checks the object's
// structure (braces, brackets, strings, commas and colons) but not the
// spelling of numbers and literals, so it is meant for the SDK's own
// output, which is valid JSON; client input goes through decodeEnvelope.
// Unlike encoding/json it matches the two keys case-sensitively.
func scanEnvelope(line []byte) (envelope, bool) {
	var message envelope
	var method []byte
	i := jsonscan.SkipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		return envelope{}, false
	}
	i = jsonscan.SkipSpace(line, i+1)
	if i < len(line) && line[i] == '}' {
		return message, jsonscan.SkipSpace(line, i+1) == len(line)
	}

	for {
		keyEnd, ok := jsonscan.SkipString(line, i)
		if !ok {
			return envelope{}, false
		}
		key := line[i+1 : keyEnd-1]
		i = jsonscan.SkipSpace(line, keyEnd)
		if i >= len(line) || line[i] != ':' {
			return envelope{}, false
		}
		valueStart := jsonscan.SkipSpace(line, i+1)
		valueEnd, ok := jsonscan.SkipValue(line, valueStart)
		if !ok {
			return envelope{}, false
		}

		switch string(key) {
		case "id":
			message.ID = json.RawMessage(line[valueStart:valueEnd])
		case "method":
			method = line[valueStart:valueEnd]
		}

		i = jsonscan.SkipSpace(line, valueEnd)
		if i >= len(line) {
			return envelope{}, false
		}
		switch line[i] {
		case ',':
			i = jsonscan.SkipSpace(line, i+1)
		case '}':
			if jsonscan.SkipSpace(line, i+1) != len(line) {
				return envelope{}, false
			}
			// As in encoding/json, the last of repeated keys counts.
			if method != nil && json.Unmarshal(method, &message.Method) != nil {
				return envelope{}, false
			}
			return message, true
		default:
			return envelope{}, false
		}
	}
}
