package controlroom

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The fuzz targets feed arbitrary response bodies to the decoders. Their
// seed corpus is in testdata/fuzz; run one with, for example,
// go test -run '^$' -fuzz FuzzDecodeModelPage -fuzztime 30s ./internal/controlroom

func FuzzDecodeModelPage(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		page, bare, err := decodeModelPage(body, 1, 20)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if page.Content == nil {
			t.Fatal("a decoded page has a nil Content")
		}
		if bare && (page.Number != 1 || page.Size != 20) {
			t.Fatalf("a bare array keeps the requested page and size, got %d/%d", page.Number, page.Size)
		}
		for _, model := range page.Content {
			checkRoundTrip(t, model)
		}
	})
}

func FuzzDecodeModel(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		model, err := decodeModel(body)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if model.ID == "" {
			t.Fatal("a decoded model has no id")
		}
		checkRoundTrip(t, *model)
	})
}

func FuzzDecodeDeploymentStatus(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		deployment, err := decodeDeploymentStatus(body, "model-a-1")
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if deployment.DeploymentID == "" {
			t.Fatal("a decoded status has no deployment id")
		}
		if deployment.Ready() != (deployment.Status == StatusWaitingForChat) {
			t.Fatal("only waitingForChat means ready")
		}
		trimmed := bytes.TrimSpace(body)
		if len(trimmed) > 0 && trimmed[0] != '{' && strings.IndexFunc(deployment.Status, unicode.IsControl) >= 0 {
			t.Fatalf("a plain-text status contains a control character: %q", deployment.Status)
		}
		checkRoundTrip(t, *deployment)
	})
}

func FuzzDecodeDeploymentID(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		id, err := decodeDeploymentID(body)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if ValidateDeploymentID(id) != nil {
			t.Fatalf("decoded id %q is not a valid deployment id", id)
		}
	})
}

func FuzzDecodeActionResult(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		result, err := decodeActionResult(body)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if result.Deployment != nil {
			checkRoundTrip(t, *result.Deployment)
		}
	})
}

func FuzzErrorMessage(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		message := errorMessage(body)
		if !utf8.ValidString(message) {
			t.Fatalf("message is not UTF-8: %q", message)
		}
		if len(message) > messageLimit+len("…") {
			t.Fatalf("message is %d bytes, over the limit", len(message))
		}
		if strings.IndexFunc(message, unicode.IsControl) >= 0 {
			t.Fatalf("message contains a control character: %q", message)
		}
		_ = isWrongOrigin(body)
	})
}

// checkDecodeError checks that a decoder failure is a *decodeError whose
// message stays short whatever the body.
func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	if _, ok := err.(*decodeError); !ok {
		t.Fatalf("error %T is not a *decodeError: %v", err, err)
	}
	if len(err.Error()) > 4*quoteLimit+1024 {
		t.Fatalf("error message is %d bytes long", len(err.Error()))
	}
}

// checkRoundTrip checks that encoding a decoded value and decoding it again
// gives the same encoding, so no field is lost or changed.
func checkRoundTrip[T Model | Deployment](t *testing.T, value T) {
	t.Helper()
	first, err := json.Marshal(value)
	if err != nil {
		t.Fatalf("encoding a decoded value: %v", err)
	}
	var again T
	if err := json.Unmarshal(first, &again); err != nil {
		t.Fatalf("decoding %s: %v", first, err)
	}
	second, err := json.Marshal(again)
	if err != nil {
		t.Fatalf("encoding again: %v", err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("round trip changed the value:\n%s\n%s", first, second)
	}
}
