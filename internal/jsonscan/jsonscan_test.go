package jsonscan

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSkipValueEnds(t *testing.T) {
	cases := []struct {
		input string
		end   int
		ok    bool
	}{
		{`"a\"b" ,`, 6, true},
		{`{"k":[1,"]}",{}]} x`, 17, true},
		{`[true,false,null]`, 17, true},
		{`-1.5e3,`, 6, true},
		{`null]`, 4, true},
		{`"unterminated`, 0, false},
		{`{"k":1`, 0, false},
		{``, 0, false},
	}
	for _, tc := range cases {
		end, ok := SkipValue([]byte(tc.input), 0)
		assert.Equal(t, tc.ok, ok, "ok for %q", tc.input)
		if tc.ok {
			assert.Equal(t, tc.end, end, "end for %q", tc.input)
		}
	}
}

func TestSkipSpaceStopsAtValue(t *testing.T) {
	assert.Equal(t, 4, SkipSpace([]byte(" \t\r\n{"), 0))
	assert.Equal(t, 2, SkipSpace([]byte("  "), 0))
}
