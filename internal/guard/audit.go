package guard

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Decision is the outcome of a call as the audit log records it.
type Decision string

// The decisions of Verdict and the audit log.
const (
	DecisionAllowed          Decision = "allowed"           // a rule lets the call run without approval
	DecisionApproved         Decision = "approved"          // an approver approved the call
	DecisionInputRequired    Decision = "input_required"    // the user is asked in the client
	DecisionApprovalRequired Decision = "approval_required" // the user is sent to the approval page
	DecisionRefused          Decision = "refused"           // the call did not run
)

// Approver identifies who or what approved a call.
type Approver struct {
	// Kind is "rule", "policy", "elicitation" or "approval_page".
	Kind string `json:"kind"`
	// Ref names the rule, the policy rule or the approval id's fingerprint.
	Ref string `json:"ref,omitempty"`
}

// The kinds of Approver.
const (
	ApproverRule         = "rule"
	ApproverPolicy       = "policy"
	ApproverElicitation  = "elicitation"
	ApproverApprovalPage = "approval_page"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	Time       time.Time      `json:"time"`
	Tool       string         `json:"tool"`
	Effect     Effect         `json:"effect"`
	Arguments  map[string]any `json:"arguments"`
	Caller     string         `json:"caller"`
	Decision   Decision       `json:"decision"`
	ApprovedBy *Approver      `json:"approvedBy,omitempty"`
	Reason     Reason         `json:"reason,omitempty"`
	Message    string         `json:"message,omitempty"`
	Upstream   *UpstreamEntry `json:"upstream,omitempty"`
	LatencyMS  float64        `json:"latencyMs"`
}

// UpstreamEntry is the outcome of the tool's own work, when it ran.
type UpstreamEntry struct {
	// OK is false when the tool returned an error result.
	OK bool `json:"ok"`
	// Summary is a short description such as the deployment id, or the
	// error message.
	Summary string `json:"summary,omitempty"`
}

// AuditLog appends JSON lines to a file. Each entry is one write(2) on a
// file opened with O_APPEND, so lines from concurrent calls and processes do
// not interleave, and nothing is buffered in the process. It is safe for
// concurrent use.
type AuditLog struct {
	mu   sync.Mutex
	file *os.File
}

// OpenAuditLog opens or creates the append-only audit file at filename with
// mode 0600. An existing file's mode is set to 0600 too.
func OpenAuditLog(filename string) (*AuditLog, error) {
	file, err := os.OpenFile(filename, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the audit log: %w", err)
	}
	if err := file.Chmod(0o600); err != nil {
		_ = file.Close()
		return nil, fmt.Errorf("set mode 0600 on the audit log %s: %w", filename, err)
	}
	return &AuditLog{file: file}, nil
}

// Write appends entry as one line, with its arguments redacted.
func (l *AuditLog) Write(entry AuditEntry) error {
	entry.Arguments = RedactArguments(entry.Arguments)

	line, err := json.Marshal(entry)
	if err != nil {
		return fmt.Errorf("encode an audit entry for %s: %w", entry.Tool, err)
	}
	line = append(line, '\n')

	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.file.Write(line); err != nil {
		return fmt.Errorf("write the audit log: %w", err)
	}
	return nil
}

// Close closes the file.
func (l *AuditLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.file.Close()
}

// secretKey matches argument names whose values are never logged.
var secretKey = regexp.MustCompile(`(?i)(token|secret|password|passwd|api_?key|authorization|credential|cookie|private_?key)`)

// urlUserinfo matches the user:password@ part of a URL anywhere in a
// string, such as "https://user:pass@example.com/x".
var urlUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s@]+@`)

// secretQuery matches a URL query parameter whose name names a secret, such
// as "?token=abc" or "&api_key=abc".
var secretQuery = regexp.MustCompile(`(?i)([?&][^=&#\s]*(?:token|secret|password|passwd|api_?key|authorization|credential|cookie|private_?key|signature)[^=&#\s]*=)[^&#\s]*`)

// maxAuditString bounds each logged string value.
const maxAuditString = 512

// RedactArguments returns a copy of arguments for logging: values of keys
// that name secrets are replaced, an approval id is replaced by its
// fingerprint, credentials in URLs (user:password@ and query parameters
// named like secrets) are replaced, and long strings are cut.
func RedactArguments(arguments map[string]any) map[string]any {
	if arguments == nil {
		return nil
	}
	redacted := make(map[string]any, len(arguments))
	for key, value := range arguments {
		switch {
		case key == ApprovalArgument:
			if id, ok := value.(string); ok {
				redacted[key] = "fingerprint:" + Fingerprint(id)
			} else {
				redacted[key] = "[redacted]"
			}
		case secretKey.MatchString(key):
			redacted[key] = "[redacted]"
		default:
			redacted[key] = redactValue(value)
		}
	}
	return redacted
}

func redactValue(value any) any {
	switch v := value.(type) {
	case map[string]any:
		return RedactArguments(v)
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = redactValue(item)
		}
		return out
	case string:
		return truncate(redactURLCredentials(v), maxAuditString)
	default:
		return v
	}
}

// redactURLCredentials replaces the credentials of every URL in text.
func redactURLCredentials(text string) string {
	if !strings.Contains(text, "://") && !strings.Contains(text, "=") {
		return text
	}
	text = urlUserinfo.ReplaceAllString(text, "${1}[redacted]@")
	return secretQuery.ReplaceAllString(text, "${1}[redacted]")
}
