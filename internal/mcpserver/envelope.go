package mcpserver

import "encoding/json"

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
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		return envelope{}, false
	}
	i = skipSpace(line, i+1)
	if i < len(line) && line[i] == '}' {
		return message, skipSpace(line, i+1) == len(line)
	}

	for {
		keyEnd, ok := skipString(line, i)
		if !ok {
			return envelope{}, false
		}
		key := line[i+1 : keyEnd-1]
		i = skipSpace(line, keyEnd)
		if i >= len(line) || line[i] != ':' {
			return envelope{}, false
		}
		valueStart := skipSpace(line, i+1)
		valueEnd, ok := skipValue(line, valueStart)
		if !ok {
			return envelope{}, false
		}

		switch string(key) {
		case "id":
			message.ID = json.RawMessage(line[valueStart:valueEnd])
		case "method":
			method = line[valueStart:valueEnd]
		}

		i = skipSpace(line, valueEnd)
		if i >= len(line) {
			return envelope{}, false
		}
		switch line[i] {
		case ',':
			i = skipSpace(line, i+1)
		case '}':
			if skipSpace(line, i+1) != len(line) {
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
