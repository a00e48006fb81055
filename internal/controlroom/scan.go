package controlroom

import (
	"encoding/json"
	"unicode/utf8"
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
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil, skipSpace(data, i+1) == len(data)
	}

	var seenKeys [32][]byte
	seen := seenKeys[:0]
	for {
		keyEnd, ok := skipString(data, i)
		if !ok {
			return nil, false
		}
		key := data[i+1 : keyEnd-1]
		if !plainKey(key) || containsKey(seen, key) {
			return nil, false
		}
		seen = append(seen, key)
		i = skipSpace(data, keyEnd)
		if i >= len(data) || data[i] != ':' {
			return nil, false
		}
		valueStart := skipSpace(data, i+1)
		valueEnd, ok := skipValue(data, valueStart)
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

		i = skipSpace(data, valueEnd)
		if i >= len(data) {
			return nil, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return extra, skipSpace(data, i+1) == len(data)
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

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}

// skipString returns the index just after the JSON string that starts at i.
func skipString(data []byte, i int) (int, bool) {
	if i >= len(data) || data[i] != '"' {
		return 0, false
	}
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return 0, false
}

// skipValue returns the index just after the JSON value that starts at i.
func skipValue(data []byte, i int) (int, bool) {
	if i >= len(data) {
		return 0, false
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		return skipNested(data, i)
	}
	end := i
	for end < len(data) && !endsLiteral(data[end]) {
		end++
	}
	return end, end > i
}

// endsLiteral reports whether c ends a number, true, false or null.
func endsLiteral(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// skipNested returns the index just after the object or array at i,
// skipping strings so that brackets inside them do not count.
func skipNested(data []byte, i int) (int, bool) {
	var stack [32]byte
	open := stack[:0]
	for ; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			end, ok := skipString(data, i)
			if !ok {
				return 0, false
			}
			i = end - 1
		case '{', '[':
			open = append(open, c)
		case '}', ']':
			if len(open) == 0 || (c == '}') != (open[len(open)-1] == '{') {
				return 0, false
			}
			open = open[:len(open)-1]
			if len(open) == 0 {
				return i + 1, true
			}
		}
	}
	return 0, false
}
