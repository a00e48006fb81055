package tools

import (
	"fmt"
	"strings"
)

// maxIDLength bounds model and deployment ids in arguments.
const maxIDLength = 200

// requireID trims the id argument called name and rejects an empty or
// oversized one, naming the tool that lists valid ids.
func requireID(name string, id *string, finder string) error {
	*id = strings.TrimSpace(*id)
	if *id == "" {
		return &ArgumentError{Argument: name, Message: fmt.Sprintf("missing; call %s to find it", finder)}
	}
	if len(*id) > maxIDLength {
		return &ArgumentError{Argument: name, Message: fmt.Sprintf("is %d characters long, more than %d; call %s to find the right id", len(*id), maxIDLength, finder)}
	}
	if strings.ContainsAny(*id, "/?#") || strings.ContainsFunc(*id, isControl) {
		return &ArgumentError{Argument: name, Message: fmt.Sprintf("%q contains '/', '?', '#' or a control character, which no id has; call %s to find the right id", *id, finder)}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
