package mcpserver

import (
	"fmt"
	"strings"
	"sync"

	"github.com/google/uuid"
)

// sessionIDPrefix starts every session id, as in mcp-go's own managers.
const sessionIDPrefix = "mcp-session-"

// sessionRegistry issues and tracks the Mcp-Session-Id values of 2025-era
// clients, so a request with an unknown or ended session gets 404 and the
// client starts a new session. Unlike mcp-go's
// InsecureStatefulSessionIdManager, it forgets a session once it ends, so
// memory is bounded by the live sessions rather than by every session ever
// served.
type sessionRegistry struct {
	mu   sync.Mutex
	live map[string]struct{}
}

func newSessionRegistry() *sessionRegistry {
	return &sessionRegistry{live: map[string]struct{}{}}
}

// Generate issues a new random session id.
func (r *sessionRegistry) Generate() string {
	id := sessionIDPrefix + uuid.NewString()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.live[id] = struct{}{}
	return id
}

// Validate returns an error for an id that this server did not issue or
// that has ended.
func (r *sessionRegistry) Validate(sessionID string) (isTerminated bool, err error) {
	if !strings.HasPrefix(sessionID, sessionIDPrefix) {
		return false, fmt.Errorf("invalid session id %q", sessionID)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.live[sessionID]; !ok {
		return false, fmt.Errorf("session %q not found", sessionID)
	}
	return false, nil
}

// Terminate ends a session. Ending an unknown session is not an error.
func (r *sessionRegistry) Terminate(sessionID string) (isNotAllowed bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.live, sessionID)
	return false, nil
}

// count returns the number of live sessions.
func (r *sessionRegistry) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.live)
}
