package controlroom

import (
	"bytes"
	"encoding/json"
	"strings"
)

// redactedMark replaces the token wherever a response body carries it.
const redactedMark = "[REDACTED]"

// withheldBody replaces a response body that still spells the token after
// JSON decoding, through escapes that a plain text search cannot see.
const withheldBody = `{"message":"the response body was withheld because it quotes the API token in an escaped form"}`

// redactBody removes the token from a response body before any part of it
// is decoded, cut or quoted, so that no truncated quote can carry a prefix
// of the token. It replaces the token as written and in the forms a JSON
// encoder writes it (HTML characters as \u003c and the like, "/" as "\/").
// A JSON body whose decoded strings still contain the token, spelled with
// other escapes, is replaced as a whole by withheldBody.
func (c *Client) redactBody(body []byte) []byte {
	token := c.cfg.Token
	if token == "" || len(body) == 0 {
		return body
	}

	for _, form := range tokenForms(token) {
		body = bytes.ReplaceAll(body, []byte(form), []byte(redactedMark))
	}

	if bytes.IndexByte(body, '\\') >= 0 && decodedContains(body, token) {
		return []byte(withheldBody)
	}
	return body
}

// tokenForms lists the spellings of token in text and in JSON strings,
// without duplicates, longest first so that a longer form is replaced
// before a shorter one that it contains.
func tokenForms(token string) []string {
	forms := []string{token}
	add := func(form string) {
		for _, known := range forms {
			if known == form {
				return
			}
		}
		forms = append(forms, form)
	}

	if escaped, err := json.Marshal(token); err == nil {
		add(string(escaped[1 : len(escaped)-1]))
	}
	var plain bytes.Buffer
	encoder := json.NewEncoder(&plain)
	encoder.SetEscapeHTML(false)
	if encoder.Encode(token) == nil {
		text := strings.TrimSpace(plain.String())
		add(text[1 : len(text)-1])
	}
	for _, form := range append([]string(nil), forms...) {
		add(strings.ReplaceAll(form, "/", `\/`))
	}

	for i := 1; i < len(forms); i++ {
		for j := i; j > 0 && len(forms[j]) > len(forms[j-1]); j-- {
			forms[j], forms[j-1] = forms[j-1], forms[j]
		}
	}
	return forms
}

// decodedContains reports whether body is JSON with a string, key or value,
// that contains token once decoded.
func decodedContains(body []byte, token string) bool {
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.UseNumber()
	for {
		tok, err := decoder.Token()
		if err != nil {
			return false
		}
		if text, ok := tok.(string); ok && strings.Contains(text, token) {
			return true
		}
	}
}
