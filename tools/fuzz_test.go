package tools

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// FuzzCoerceDecode feeds arbitrary argument JSON through Coerce and Decode
// for every tool: neither may panic, and every failure is an
// *ArgumentError that names what is wrong.
func FuzzCoerceDecode(f *testing.F) {
	for _, seed := range []string{
		`{}`, `null`, `""`, `"{\"size\":\"3\"}"`, `[1,2]`, `7`,
		`{"size":3.0,"page":"1","text":"gemma"}`,
		`{"modelId":"x","temperature":"0.5","forceDeployment":"true","maxOutputTokens":1e3}`,
		`{"huggingFaceId":"a/b","type":"base","numberOfParams":12000000000}`,
		`{"isFineTuned":"maybe","name":null}`,
	} {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, raw string) {
		for _, tool := range All() {
			arguments, err := Coerce(tool, json.RawMessage(raw))
			if err != nil {
				var argErr *ArgumentError
				if !errors.As(err, &argErr) {
					t.Fatalf("%s: Coerce(%q) returned %T, want *ArgumentError", tool.Name, raw, err)
				}
				continue
			}

			encoded, err := json.Marshal(arguments)
			if err != nil {
				t.Fatalf("%s: coerced arguments of %q do not encode: %v", tool.Name, raw, err)
			}
			input := reflect.New(tool.Input).Interface()
			if err := Decode(encoded, input); err != nil {
				var argErr *ArgumentError
				if !errors.As(err, &argErr) || err.Error() == "" {
					t.Fatalf("%s: Decode(%s) returned %v, want an *ArgumentError", tool.Name, encoded, err)
				}
			}
		}
	})
}
