package hfhub

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// FuzzDecodeModelInfo checks that any body decodes without a panic, and
// that a decoded body always yields Facts with a registrable type or
// TypeUnknown and non-negative sizes. Seeds are the bodies of the fixtures
// in testdata/hub plus the committed corpus in testdata/fuzz.
func FuzzDecodeModelInfo(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "hub", "*.json"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no hub fixtures found: %v", err)
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		var envelope struct {
			Body json.RawMessage `json:"body"`
		}
		if err := json.Unmarshal(data, &envelope); err != nil {
			f.Fatalf("%s: %v", path, err)
		}
		f.Add([]byte(envelope.Body))
	}

	f.Fuzz(func(t *testing.T, body []byte) {
		info, err := DecodeModelInfo(body)
		if err != nil {
			if KindOf(err) != KindInvalidResponse {
				t.Fatalf("decode error of kind %q, want %q", KindOf(err), KindInvalidResponse)
			}
			return
		}

		facts := Summarize(info, DefaultEndpoint, "owner/name", "")
		if facts.Type != TypeUnknown && !controlroom.ModelType(facts.Type).Valid() {
			t.Fatalf("type %q is neither valid nor TypeUnknown", facts.Type)
		}
		if facts.WeightBytes < 0 || facts.Parameters < 0 {
			t.Fatalf("negative size: weight bytes %d, parameters %d", facts.WeightBytes, facts.Parameters)
		}
		if !facts.WeightBytesKnown && facts.WeightBytes != 0 {
			t.Fatalf("weight bytes %d reported although unknown", facts.WeightBytes)
		}
		for _, variant := range facts.Variants {
			if variant.Bytes < 0 || len(variant.Files) == 0 {
				t.Fatalf("bad variant %+v", variant)
			}
		}
	})
}
