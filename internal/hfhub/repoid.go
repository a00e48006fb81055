package hfhub

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Length limits for repository ids. The Hub limits a repository name to 96
// characters (huggingface_hub's validate_repo_id). The namespace limit is
// this package's own bound: the Hub documents none, and 96 is far above any
// real user or organization name.
const (
	MaxRepoNameLength  = 96
	MaxNamespaceLength = 96

	// MaxRevisionLength bounds a revision (branch, tag or commit sha).
	MaxRevisionLength = 255
)

// ValidateRepoID checks that id is a Hugging Face model id of the form
// "namespace/name" before any request is built from it. Each part uses only
// ASCII letters, digits, '-', '_' and '.', starts and ends with a letter,
// digit or '_', and contains neither "--" nor "..". The name may not end in
// ".git". These are the rules that huggingface_hub applies client-side, except
// that a namespace is required here because the Control Room stores the full
// id. The returned error is of kind KindInvalidRepoID and states what to fix.
func ValidateRepoID(id string) error {
	invalid := func(reason string) error {
		return &Error{
			Kind:    KindInvalidRepoID,
			RepoID:  printable(id),
			Message: reason,
			Hint:    `use the form "namespace/name" as shown on the model page, for example "meta-llama/Llama-3.1-8B-Instruct"`,
		}
	}

	if id == "" {
		return invalid("the repository id is empty")
	}
	if strings.TrimSpace(id) != id {
		return invalid("the repository id has leading or trailing spaces")
	}

	if suggestion, ok := repoIDFromURL(id); ok {
		return invalid(fmt.Sprintf("the repository id is a URL, use only the id %q", suggestion))
	}

	parts := strings.Split(id, "/")
	if len(parts) != 2 {
		return invalid(fmt.Sprintf("the repository id must contain exactly one '/', found %d", len(parts)-1))
	}

	namespace, name := parts[0], parts[1]
	if err := validateIDPart(namespace, "namespace", MaxNamespaceLength); err != "" {
		return invalid(err)
	}
	if err := validateIDPart(name, "name", MaxRepoNameLength); err != "" {
		return invalid(err)
	}
	if strings.HasSuffix(name, ".git") {
		return invalid(`the repository name may not end in ".git"`)
	}

	return nil
}

// repoIDFromURL extracts "namespace/name" from a model page URL such as
// https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/tree/main.
func repoIDFromURL(id string) (string, bool) {
	rest := id
	for _, prefix := range []string{"https://", "http://"} {
		rest = strings.TrimPrefix(rest, prefix)
	}
	host, path, ok := strings.Cut(rest, "/")
	if !ok || (host != "huggingface.co" && host != "hf.co" && host != "www.huggingface.co") {
		return "", false
	}

	parts := strings.Split(path, "/")
	if len(parts) < 2 {
		return "", false
	}
	suggestion := parts[0] + "/" + parts[1]
	if validateIDPart(parts[0], "namespace", MaxNamespaceLength) != "" || validateIDPart(parts[1], "name", MaxRepoNameLength) != "" {
		return "", false
	}
	return suggestion, true
}

// validateIDPart returns a reason when part breaks the Hub's rules, or "".
func validateIDPart(part, partName string, maxLength int) string {
	if part == "" {
		return "the " + partName + " is empty"
	}
	if len(part) > maxLength {
		return fmt.Sprintf("the %s is %d characters long, the maximum is %d", partName, len(part), maxLength)
	}

	for i := 0; i < len(part); i++ {
		if !isIDChar(part[i]) {
			return fmt.Sprintf("the %s contains %q, only letters, digits, '-', '_' and '.' are allowed", partName, printableChar(part, i))
		}
	}

	if !isWordChar(part[0]) || !isWordChar(part[len(part)-1]) {
		return "the " + partName + " must start and end with a letter, digit or '_'"
	}
	if strings.Contains(part, "--") || strings.Contains(part, "..") {
		return `the ` + partName + ` may not contain "--" or ".."`
	}

	return ""
}

func isWordChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func isIDChar(c byte) bool {
	return isWordChar(c) || c == '-' || c == '.'
}

// printableChar returns the character at byte offset i of s as a string,
// decoding a multi-byte rune whole so that the message shows it intact.
func printableChar(s string, i int) string {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return string(r)
}

// ValidateRevision checks a branch, tag or commit sha before it is put in a
// request path. An empty revision is valid and means the default branch. A
// revision may contain '/' (a branch such as "refs/pr/1"), but no path
// segment may be empty, "." or "..", and control characters, spaces,
// backslashes, '?' and '#' are rejected. The returned error is of kind
// KindInvalidRevision.
func ValidateRevision(revision string) error {
	if revision == "" {
		return nil
	}

	invalid := func(reason string) error {
		return &Error{
			Kind:     KindInvalidRevision,
			Revision: printable(revision),
			Message:  reason,
			Hint:     `use a branch name such as "main", a tag, or a 40-character commit sha`,
		}
	}

	if len(revision) > MaxRevisionLength {
		return invalid(fmt.Sprintf("the revision is %d characters long, the maximum is %d", len(revision), MaxRevisionLength))
	}
	if !utf8.ValidString(revision) {
		return invalid("the revision is not valid UTF-8")
	}
	for _, r := range revision {
		if r < 0x20 || r == 0x7f || r == ' ' || r == '\\' || r == '?' || r == '#' || r == '%' {
			return invalid(fmt.Sprintf("the revision contains %q, which is not allowed", r))
		}
	}
	for _, segment := range strings.Split(revision, "/") {
		if segment == "" || segment == "." || segment == ".." {
			return invalid(`the revision has an empty, "." or ".." path segment`)
		}
	}

	return nil
}

// SplitRepoID returns the namespace and name of a valid id. It returns empty
// strings when id is not of the form "namespace/name".
func SplitRepoID(id string) (namespace, name string) {
	namespace, name, ok := strings.Cut(id, "/")
	if !ok || strings.Contains(name, "/") {
		return "", ""
	}
	return namespace, name
}

// printable shortens a caller-supplied value for an error message and quotes
// control characters, so a hostile value cannot forge log lines.
func printable(s string) string {
	const maxShown = 120
	if len(s) > maxShown {
		s = s[:maxShown] + "..."
	}
	quoted := fmt.Sprintf("%q", s)
	return quoted[1 : len(quoted)-1]
}
