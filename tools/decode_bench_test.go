package tools

import (
	"encoding/json"
	"testing"
)

// BenchmarkCoerce measures argument coercion of a list_models call whose
// size arrives as a string, as some language models send it.
func BenchmarkCoerce(b *testing.B) {
	tool, ok := Lookup("list_models")
	if !ok {
		b.Fatal("list_models is not registered")
	}

	b.ReportAllocs()
	for b.Loop() {
		arguments := map[string]any{"text": "llama", "type": "gguf", "size": "20", "page": 0.0}
		if _, err := Coerce(tool, arguments); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode measures binding coerced arguments to the tool's input
// struct, which rejects unknown and mistyped arguments.
func BenchmarkDecode(b *testing.B) {
	arguments, err := json.Marshal(map[string]any{"text": "llama", "type": "gguf", "size": 20, "page": 0})
	if err != nil {
		b.Fatal(err)
	}

	b.ReportAllocs()
	for b.Loop() {
		var in ListModelsInput
		if err := Decode(arguments, &in); err != nil {
			b.Fatal(err)
		}
	}
}
