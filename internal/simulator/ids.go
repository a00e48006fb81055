package simulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// newUUID returns a random version 4 UUID in canonical form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return formatUUID(b)
}

// nameUUID returns a UUID derived from name, so seeded records keep their
// ids across runs. It is marked as version 8 (custom) because it is built
// from SHA-256.
func nameUUID(name string) string {
	sum := sha256.Sum256([]byte("rational-mcp simulator seed\x00" + name))
	var b [16]byte
	copy(b[:], sum[:16])
	b[6] = b[6]&0x0f | 0x80
	return formatUUIDBytes(b)
}

func formatUUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40 // version 4
	return formatUUIDBytes(b)
}

func formatUUIDBytes(b [16]byte) string {
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	h := hex.EncodeToString(b[:])
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// isUUID reports whether s is a UUID in canonical 8-4-4-4-12 hex form,
// either case.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHexDigit(c) {
				return false
			}
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Deployment id layout: "model-" + kebab-case name + "-" + 12 hex digits,
// for example model-google-gemma-4-12-b-it-420f1c9176bc. The id is used as
// a DNS label in serviceUrl, so the whole id stays within the 63 bytes a
// label allows and the name part is cut to fit.
const (
	deploymentIDPrefix  = "model-"
	deploymentSuffixHex = 12
	maxDNSLabelLength   = 63
	maxSlugLength       = maxDNSLabelLength - len(deploymentIDPrefix) - 1 - deploymentSuffixHex
)

// newDeploymentID returns a deployment id for a model name with a random
// suffix.
func newDeploymentID(modelName string) string {
	var b [deploymentSuffixHex / 2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return deploymentIDWithSuffix(modelName, hex.EncodeToString(b[:]))
}

func deploymentIDWithSuffix(modelName, suffix string) string {
	slug := kebabCase(modelName)
	if len(slug) > maxSlugLength {
		slug = strings.TrimRight(slug[:maxSlugLength], "-")
	}
	if slug == "" {
		return deploymentIDPrefix + suffix
	}
	return deploymentIDPrefix + slug + "-" + suffix
}

// kebabCase lowercases name and joins its words with '-'. Like lodash's
// kebabCase for ASCII, it splits words at every character that is not a
// letter or digit, between digits and letters, and between a lowercase and an
// uppercase letter. An acronym followed by lowercase loses its last capital
// to the next word ("HTTPServer" is "http-server"). So
// "google/gemma-4-12B-it" becomes "google-gemma-4-12-b-it", as in the
// vendor's example. Non-ASCII characters separate words.
func kebabCase(name string) string {
	var words []string
	for _, run := range strings.FieldsFunc(name, func(r rune) bool { return !isASCIIAlphanumeric(r) }) {
		words = append(words, splitWords(run)...)
	}
	return strings.ToLower(strings.Join(words, "-"))
}

// splitWords splits a run of ASCII letters and digits into words.
func splitWords(run string) []string {
	var words []string
	start := 0
	for i := 1; i < len(run); i++ {
		previous, current := run[i-1], run[i]
		boundary := isDigit(previous) != isDigit(current) ||
			isLower(previous) && isUpper(current) ||
			isUpper(previous) && isUpper(current) && i+1 < len(run) && isLower(run[i+1])
		if boundary {
			words = append(words, run[start:i])
			start = i
		}
	}
	return append(words, run[start:])
}

func isASCIIAlphanumeric(r rune) bool {
	return r < 128 && (isDigit(byte(r)) || isLower(byte(r)) || isUpper(byte(r)))
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
