package controlroom

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// escapedToken is a token with characters that a JSON encoder escapes.
const escapedToken = "tok_ABCDEFGH<IJKL>MNOP&QRST/UVWXYZ0123456789"

// requireNoTokenPiece fails when text holds any 8-byte piece of token.
func requireNoTokenPiece(t *testing.T, token, text, where string) {
	t.Helper()
	for i := 0; i+8 <= len(token); i++ {
		require.NotContains(t, text, token[i:i+8], "%s quotes part of the token", where)
	}
}

// jsonString returns text as the inside of a JSON string, with HTML escapes.
func jsonString(text string) string {
	encoded, _ := json.Marshal(text)
	return string(encoded[1 : len(encoded)-1])
}

// unicodeEscaped spells every byte of text as a \u00XX escape.
func unicodeEscaped(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		fmt.Fprintf(&b, `\u%04x`, text[i])
	}
	return b.String()
}

func TestErrorsOmitTokenPieces(t *testing.T) {
	cases := []struct {
		name   string
		token  string
		status int
		body   func(token string) string
	}{
		{"object without a message, token across the 200-byte cut", secretToken, http.StatusBadRequest, func(token string) string {
			return `{"unexpected":"` + strings.Repeat("x", 156) + ` Bearer ` + token + `"}`
		}},
		{"message field, token across the 2 KiB cut", secretToken, http.StatusBadRequest, func(token string) string {
			return `{"message":"` + strings.Repeat("x", messageLimit-20) + ` Bearer ` + token + `"}`
		}},
		{"plain text, token across the 2 KiB cut", secretToken, http.StatusForbidden, func(token string) string {
			return strings.Repeat("y", messageLimit-12) + " " + token
		}},
		{"JSON-escaped token across the 2 KiB cut", escapedToken, http.StatusBadRequest, func(token string) string {
			return `{"message":"` + strings.Repeat("x", messageLimit-20) + ` Bearer ` + jsonString(token) + `"}`
		}},
		{"JSON-escaped token with escaped slash", escapedToken, http.StatusConflict, func(token string) string {
			return `{"error":"` + strings.ReplaceAll(jsonString(token), "/", `\/`) + `"}`
		}},
		{"token spelled in unicode escapes", secretToken, http.StatusBadRequest, func(token string) string {
			return `{"message":"` + strings.Repeat("x", messageLimit-20) + ` Bearer ` + unicodeEscaped(token) + `"}`
		}},
		{"undecodable success body, token across the 200-byte cut", secretToken, http.StatusOK, func(token string) string {
			return `["` + strings.Repeat("z", 190) + token + `"]`
		}},
		{"server error retried, token in the retry reason", secretToken, http.StatusInternalServerError, func(token string) string {
			return `{"message":"` + strings.Repeat("x", messageLimit-20) + ` Bearer ` + token + `"}`
		}},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body(tc.token)
			handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(body))
			})
			client := newTestClient(t, handler, func(cfg *Config) { cfg.Token = tc.token })

			_, err := client.GetModel(context.Background(), sampleModelID)
			require.Error(t, err)

			apiErr, ok := err.(*Error)
			require.True(t, ok, "error %T is not *Error", err)
			require.NotZero(t, apiErr.StatusCode, "the request reached the server: %v", err)
			requireNoTokenPiece(t, tc.token, err.Error(), "the error")
			requireNoTokenPiece(t, tc.token, apiErr.Message+" "+apiErr.Hint, "the error fields")
			requireNoTokenPiece(t, tc.token, fmt.Sprintf("%+v %#v", err, apiErr.Err), "the wrapped cause")
			requireNoTokenPiece(t, tc.token, client.logs.String(), "the log")
		})
	}
}

func TestRedactBodyForms(t *testing.T) {
	client := &Client{cfg: Config{Token: escapedToken}}
	body := []byte(`{"content":[{"id":"m-1","name":"a\nb \u003c"}],"total":1}`)
	assert.Equal(t, string(body), string(client.redactBody(body)), "a body without the token is unchanged")

	withToken := []byte(`{"note":"` + jsonString(escapedToken) + `","id":"m-1"}`)
	assert.Equal(t, `{"note":"[REDACTED]","id":"m-1"}`, string(client.redactBody(withToken)))

	withheld := client.redactBody([]byte(`{"note":"` + unicodeEscaped(escapedToken) + `"}`))
	assert.Equal(t, withheldBody, string(withheld), "a token hidden in escapes withholds the whole body")
}
