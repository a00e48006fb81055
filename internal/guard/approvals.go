package guard

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"
)

// DefaultApprovalTTL is how long an approval link stays valid.
const DefaultApprovalTTL = 10 * time.Minute

// MaxApprovalTTL is the longest validity an operator can give approval
// links. An approval is bound to a model record that may change, and a link
// that lives for days is a standing permission rather than a decision.
const MaxApprovalTTL = 24 * time.Hour

// defaultMaxApprovals bounds the approvals kept at once, decided or not.
const defaultMaxApprovals = 1024

// defaultMaxOpenPerCaller bounds the open approvals (pending, or approved
// and not yet used) of one caller, so that one caller cannot fill the store
// and block the approval page for everyone.
const defaultMaxOpenPerCaller = 32

// finishedRetention is how long a used or rejected approval stays in the
// store, so that a repeated call hears "already used" or "rejected" rather
// than "unknown", before the record is dropped to make room.
const finishedRetention = 2 * time.Minute

// approvalIDPrefix marks approval ids so that they are recognisable in
// arguments and logs.
const approvalIDPrefix = "ap_"

// ApprovalStatus is the stage of an approval.
type ApprovalStatus string

// The approval statuses. An approval moves from pending to approved or
// rejected on the page, and from approved to consumed when the approved call
// runs.
const (
	ApprovalPending  ApprovalStatus = "pending"
	ApprovalApproved ApprovalStatus = "approved"
	ApprovalRejected ApprovalStatus = "rejected"
	ApprovalConsumed ApprovalStatus = "consumed"
)

// PendingApproval is a new approval request, as the agent receives it.
type PendingApproval struct {
	ID        string
	URL       string
	ExpiresAt time.Time
}

// approval is one approval request. Its id is not stored: the store is keyed
// by the id's SHA-256, so a lookup's timing reveals nothing about the id.
type approval struct {
	fingerprint string
	csrfToken   string
	binding     Binding
	plan        *Plan
	status      ApprovalStatus
	expires     time.Time
	decided     time.Time
}

// Approvals stores the approval requests of the approval page and hands out
// their decisions once. It is safe for concurrent use.
type Approvals struct {
	mu      sync.Mutex
	records map[[32]byte]*approval
	ttl     time.Duration
	now     func() time.Time
	max     int
	// maxPerCaller bounds the open approvals of one quota key (see
	// quotaKey).
	maxPerCaller int
	baseURL      string
}

// NewApprovals returns an empty store whose approvals expire after ttl
// (DefaultApprovalTTL when 0), with now as its clock (time.Now when nil).
// Approvals can be created once SetBaseURL gave the page's address.
func NewApprovals(ttl time.Duration, now func() time.Time) *Approvals {
	if ttl <= 0 {
		ttl = DefaultApprovalTTL
	}
	if now == nil {
		now = time.Now
	}
	return &Approvals{records: map[[32]byte]*approval{}, ttl: ttl, now: now, max: defaultMaxApprovals, maxPerCaller: defaultMaxOpenPerCaller}
}

// SetBaseURL sets the address of the approval page, such as
// "http://127.0.0.1:41234", that approval URLs start with.
func (a *Approvals) SetBaseURL(baseURL string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.baseURL = baseURL
}

// Create stores a pending approval for binding and returns its one-time id
// and URL.
func (a *Approvals) Create(binding Binding, plan *Plan) (PendingApproval, *Refusal) {
	a.mu.Lock()
	defer a.mu.Unlock()

	if a.baseURL == "" {
		return PendingApproval{}, refuse(ReasonNoHumanPath, "the approval page is not running; ask the operator to check the server log")
	}

	now := a.now()
	a.sweep(now)
	if open := a.openFor(quotaKey(binding.Caller), now); open >= a.maxPerCaller {
		return PendingApproval{}, refuse(ReasonBusy, fmt.Sprintf(
			"this caller has %d approvals open already, the most allowed; ask the user to approve or reject the open ones, use an approved one, or wait until they expire",
			open))
	}
	if len(a.records) >= a.max {
		a.dropClosed(now)
	}
	if len(a.records) >= a.max {
		return PendingApproval{}, refuse(ReasonBusy, fmt.Sprintf(
			"%d approvals are waiting already; ask the user to approve or reject the open ones, or wait until they expire", len(a.records)))
	}

	id := approvalIDPrefix + randomToken()
	record := &approval{
		fingerprint: Fingerprint(id),
		csrfToken:   randomToken(),
		binding:     binding,
		plan:        plan,
		status:      ApprovalPending,
		expires:     now.Add(a.ttl),
	}
	a.records[sha256.Sum256([]byte(id))] = record

	return PendingApproval{ID: id, URL: a.baseURL + approvalPath + id, ExpiresAt: record.expires}, nil
}

// Consume accepts the approval id for a call with binding, once. It returns
// nil when the user approved exactly this call and the approval is unused
// and unexpired.
func (a *Approvals) Consume(id string, binding Binding) *Refusal {
	a.mu.Lock()
	defer a.mu.Unlock()

	now := a.now()
	a.sweep(now)
	record, ok := a.records[sha256.Sum256([]byte(id))]
	if !ok {
		return refuse(ReasonUnknownApproval, fmt.Sprintf(
			"no approval has the id %q, or it expired long ago; call %s again without approvalId to get a new approval link",
			truncate(id, 80), binding.Tool))
	}

	if !now.Before(record.expires) {
		return refuse(ReasonExpired, fmt.Sprintf(
			"the approval expired at %s; call %s again without approvalId to get a new approval link",
			record.expires.UTC().Format(time.RFC3339), binding.Tool))
	}

	if refusal := record.binding.mismatchOwner(binding, "approval"); refusal != nil {
		return refusal
	}

	switch record.status {
	case ApprovalPending:
		return refuse(ReasonPending,
			"the user has not approved it yet; show the user the approval link, wait until they say they approved, then call again with the same arguments and approvalId")
	case ApprovalRejected:
		return refuse(ReasonRejected,
			"the user rejected it on the approval page; do not retry unless the user asks for it")
	case ApprovalConsumed:
		return refuse(ReasonReplayed, fmt.Sprintf(
			"this approval was already used; call %s again without approvalId to get a new approval link", binding.Tool))
	}

	if refusal := record.binding.mismatch(binding, "approval"); refusal != nil {
		return refusal
	}

	record.status = ApprovalConsumed
	record.decided = now
	return nil
}

// mismatch returns a refusal when got differs from the approved binding b.
func (b Binding) mismatch(got Binding, what string) *Refusal {
	if refusal := b.mismatchOwner(got, what); refusal != nil {
		return refusal
	}
	if !equalStrings(b.Arguments, got.Arguments) {
		return refuse(ReasonArgumentsChanged, fmt.Sprintf(
			"the arguments differ from the ones the user approved; call again with exactly the approved arguments, or without approvalId to ask for a new %s", what))
	}
	if !equalStrings(b.Plan, got.Plan) {
		return refuse(ReasonPlanChanged, fmt.Sprintf(
			"the model or deployment changed after the user approved; call %s again without approvalId to get a new approval link", got.Tool))
	}
	return nil
}

// mismatchOwner returns a refusal when got is for another tool or caller
// than b. Consume checks it before the approval's status, so an id used
// with the wrong tool or session is named as such, pending or not.
func (b Binding) mismatchOwner(got Binding, what string) *Refusal {
	if !equalStrings(b.Tool, got.Tool) {
		return refuse(ReasonWrongTool, fmt.Sprintf(
			"the %s was given for tool %q, not %q; call %s again without approvalId to get a new approval link",
			what, b.Tool, got.Tool, got.Tool))
	}
	if !equalStrings(callerDigest(b.Caller), callerDigest(got.Caller)) {
		return refuse(ReasonWrongSession, fmt.Sprintf(
			"the %s belongs to another session; call %s again without approvalId to get a new approval link", what, got.Tool))
	}
	return nil
}

// lookup returns the record for id, or nil.
func (a *Approvals) lookup(id string) *approval {
	return a.records[sha256.Sum256([]byte(id))]
}

// sweep drops records one TTL after their expiry, and used or rejected
// records finishedRetention after their decision. Until then a late call
// gets "expired", "already used" or "rejected" instead of "unknown".
func (a *Approvals) sweep(now time.Time) {
	for key, record := range a.records {
		finishedLongAgo := record.finished() && !record.decided.IsZero() && now.After(record.decided.Add(finishedRetention))
		if finishedLongAgo || now.After(record.expires.Add(a.ttl)) {
			delete(a.records, key)
		}
	}
}

// dropClosed drops every expired, used or rejected record, to make room
// when the store is full. Open records stay.
func (a *Approvals) dropClosed(now time.Time) {
	for key, record := range a.records {
		if record.finished() || !now.Before(record.expires) {
			delete(a.records, key)
		}
	}
}

// openFor counts the unexpired pending or approved records of quota key.
func (a *Approvals) openFor(key string, now time.Time) int {
	open := 0
	for _, record := range a.records {
		if !record.finished() && now.Before(record.expires) && quotaKey(record.binding.Caller) == key {
			open++
		}
	}
	return open
}

// finished reports whether the approval was used or rejected.
func (r *approval) finished() bool {
	return r.status == ApprovalConsumed || r.status == ApprovalRejected
}

// quotaKey is the part of a caller that the per-caller quota counts: the
// credential principal of a "session@principal" caller, so that one
// credential cannot pass the quota by opening sessions, else the whole
// caller.
func quotaKey(caller string) string {
	if at := strings.LastIndexByte(caller, '@'); at >= 0 {
		return caller[at+1:]
	}
	return caller
}

// Fingerprint returns a short, non-secret name for an approval id or other
// secret, for logs and audit lines.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return fmt.Sprintf("%x", sum[:6])
}

// randomToken returns 256 random bits, base64url-encoded.
func randomToken() string {
	token := make([]byte, 32)
	_, _ = rand.Read(token)
	return base64.RawURLEncoding.EncodeToString(token)
}

func truncate(text string, limit int) string {
	if len(text) <= limit {
		return text
	}
	return text[:limit] + "..."
}
