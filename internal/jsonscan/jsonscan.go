// Package jsonscan finds where JSON values end in a byte slice without
// decoding them. The Control Room record decoder and the stdio response
// counter use it on their hot paths. A false result means the input is not
// valid JSON at that point, and the caller falls back to encoding/json.
package jsonscan

// SkipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func SkipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}

// SkipString returns the index just after the JSON string that starts at i.
func SkipString(data []byte, i int) (int, bool) {
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

// SkipValue returns the index just after the JSON value that starts at i.
func SkipValue(data []byte, i int) (int, bool) {
	if i >= len(data) {
		return 0, false
	}
	switch data[i] {
	case '"':
		return SkipString(data, i)
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
			end, ok := SkipString(data, i)
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
