package hfhub

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
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

// FuzzValidateRepoID checks that every accepted id and revision turns into
// a request path that names exactly that repository and revision: no
// segment escapes the /api/models/ prefix and nothing needs guessing.
func FuzzValidateRepoID(f *testing.F) {
	for _, seed := range []struct{ id, revision string }{
		{"Qwen/Qwen2.5-7B-Instruct", ""},
		{"a/b", "refs/pr/1"},
		{"../x", "main"},
		{"a/b/../c", "../../"},
		{"a/b%2F..", "a%2Fb"},
		{"https://huggingface.co/a/b", "v1.0"},
	} {
		f.Add(seed.id, seed.revision)
	}

	client, err := New(Options{Endpoint: "http://127.0.0.1:9"})
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, id, revision string) {
		if ValidateRepoID(id) != nil || ValidateRevision(revision) != nil {
			return
		}

		namespace, name := SplitRepoID(id)
		if namespace == "" || name == "" || strings.Contains(id, "..") {
			t.Fatalf("accepted id %q splits into %q and %q", id, namespace, name)
		}

		parsed, err := url.Parse(client.modelInfoURL(id, revision))
		if err != nil {
			t.Fatalf("request URL for %q at %q does not parse: %v", id, revision, err)
		}
		segments := strings.Split(strings.TrimPrefix(parsed.EscapedPath(), "/api/models/"), "/")
		want := 2
		if revision != "" {
			want = 4
		}
		if len(segments) != want {
			t.Fatalf("request path %q for %q at %q has %d segments, want %d", parsed.EscapedPath(), id, revision, len(segments), want)
		}

		unescaped := make([]string, len(segments))
		for i, segment := range segments {
			unescaped[i], err = url.PathUnescape(segment)
			if err != nil {
				t.Fatalf("segment %q does not unescape: %v", segment, err)
			}
		}
		if unescaped[0] != namespace || unescaped[1] != name {
			t.Fatalf("request path names %q/%q, want %q", unescaped[0], unescaped[1], id)
		}
		if revision != "" && (unescaped[2] != "revision" || unescaped[3] != revision) {
			t.Fatalf("request path names revision %q, want %q", unescaped[3], revision)
		}
		if parsed.RawQuery != "blobs=true" {
			t.Fatalf("query %q, want blobs=true", parsed.RawQuery)
		}
	})
}
