package controlroom

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/rational-ai/rational-mcp/internal/jsonscan"
)

// scanExtra returns the fields of the JSON object data whose keys are not
// in known, by scanning the object's top level without decoding it. ok is
// false, and the caller decodes the object the slow way, when data is not a
// well-formed object, when a key has an escape or invalid UTF-8 (which
// encoding/json would rewrite), when a key repeats (encoding/json would
// merge repeated objects into one field), or when an unknown key equals a
// known one apart from case (which encoding/json would decode into the
// named field).
// The scan checks structure only, so the caller still decodes data.
func scanExtra(data []byte, known map[string]bool) (extra map[string]json.RawMessage, ok bool) {
	i := jsonscan.SkipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	i = jsonscan.SkipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil, jsonscan.SkipSpace(data, i+1) == len(data)
	}

	var seenKeys [32][]byte
	seen := seenKeys[:0]
	for {
		keyEnd, ok := jsonscan.SkipString(data, i)
		if !ok {
			return nil, false
		}
		key := data[i+1 : keyEnd-1]
		if !plainKey(key) || containsKey(seen, key) {
			return nil, false
		}
		seen = append(seen, key)
		i = jsonscan.SkipSpace(data, keyEnd)
		if i >= len(data) || data[i] != ':' {
			return nil, false
		}
		valueStart := jsonscan.SkipSpace(data, i+1)
		valueEnd, ok := jsonscan.SkipValue(data, valueStart)
		if !ok {
			return nil, false
		}

		if name := string(key); !known[name] {
			if matchesKeyFold(name, known) {
				return nil, false
			}
			if extra == nil {
				extra = make(map[string]json.RawMessage)
			}
			extra[name] = json.RawMessage(append([]byte(nil), data[valueStart:valueEnd]...))
		}

		i = jsonscan.SkipSpace(data, valueEnd)
		if i >= len(data) {
			return nil, false
		}
		switch data[i] {
		case ',':
			i = jsonscan.SkipSpace(data, i+1)
		case '}':
			return extra, jsonscan.SkipSpace(data, i+1) == len(data)
		default:
			return nil, false
		}
	}
}

func containsKey(keys [][]byte, key []byte) bool {
	for _, seen := range keys {
		if string(seen) == string(key) {
			return true
		}
	}
	return false
}

// plainKey reports whether key is valid UTF-8 without escapes, so its
// bytes are the string that encoding/json decodes.
func plainKey(key []byte) bool {
	for _, c := range key {
		if c == '\\' {
			return false
		}
	}
	return utf8.Valid(key)
}
