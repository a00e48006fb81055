package guard

import "fmt"

// checkMatchableName returns an error when name may not be compared against a
// pre-approval pattern. Only printable ASCII is matched. A name with any
// other byte (a Cyrillic "а" posing as "a", a zero-width space, a fullwidth
// slash, a control character) could look like an approved name to a human
// while differing from it. Such a name never matches, so the deploy falls
// back to a human approver. Comparison is case-sensitive and byte-exact, so
// "Google/Gemma" does not match a pattern written for "google/gemma".
func checkMatchableName(name string) error {
	if name == "" {
		return fmt.Errorf("the name is empty")
	}
	for i := 0; i < len(name); i++ {
		if b := name[i]; b < 0x20 || b > 0x7e {
			return fmt.Errorf("the name %q contains a byte 0x%02x at offset %d that is not printable ASCII", name, b, i)
		}
	}
	return nil
}
