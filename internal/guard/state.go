package guard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// DefaultStateTTL is how long a requestState stays valid: long enough for a
// user to read a plan and decide, short enough that a leaked state is soon
// worthless.
const DefaultStateTTL = 5 * time.Minute

// maxStateLength bounds the states that Verify decodes.
const maxStateLength = 4096

// statePrefix versions the token format.
const statePrefix = "gs1."

// macContext separates these MACs from any other use of the key.
const macContext = "rational-mcp guard requestState v1\x00"

// Binding is the set of facts that a state or an approval is bound to. A follow-up call is
// accepted only when its own binding equals the one that was approved.
type Binding struct {
	Tool      string // tool name
	Arguments string // ArgumentsDigest of the arguments
	Plan      string // Plan.Digest of the facts the user judged
	Caller    string // session id, and credential principal over HTTP
}

// stateClaims is the signed payload of a requestState.
type stateClaims struct {
	Tool      string `json:"tool"`
	Arguments string `json:"args"`
	Plan      string `json:"plan"`
	Caller    string `json:"caller"` // callerDigest of the caller
	Expiry    int64  `json:"exp"`    // Unix seconds
	Nonce     string `json:"nonce"`
}

// StateSigner issues and verifies the requestState of elicitation round
// trips. A state is an HMAC-SHA256-signed token bound to a Binding, with an
// expiry and a random nonce, and Verify accepts each state once.
//
// NOTE: single use is enforced per process. Replicas that share a key must
// route a session's calls to one replica, or a state could be used once on
// each.
type StateSigner struct {
	key    []byte
	ttl    time.Duration
	now    func() time.Time
	nonces *nonceStore
}

// NewStateSigner returns a signer with key (at least MinKeyBytes bytes),
// states valid for ttl (DefaultStateTTL when 0) and now as its clock
// (time.Now when nil).
func NewStateSigner(key []byte, ttl time.Duration, now func() time.Time) (*StateSigner, error) {
	if len(key) < MinKeyBytes {
		return nil, fmt.Errorf("the state key has %d bytes; it needs at least %d", len(key), MinKeyBytes)
	}
	if ttl <= 0 {
		ttl = DefaultStateTTL
	}
	if now == nil {
		now = time.Now
	}

	return &StateSigner{
		key:    append([]byte(nil), key...),
		ttl:    ttl,
		now:    now,
		nonces: newNonceStore(defaultMaxUsedNonces),
	}, nil
}

// Issue returns a new state for binding.
func (s *StateSigner) Issue(binding Binding) (string, error) {
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)

	claims := stateClaims{
		Tool:      binding.Tool,
		Arguments: binding.Arguments,
		Plan:      binding.Plan,
		Caller:    callerDigest(binding.Caller),
		Expiry:    s.now().Add(s.ttl).Unix(),
		Nonce:     hex.EncodeToString(nonce),
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encode the request state: %w", err)
	}

	encoded := base64.RawURLEncoding.EncodeToString(payload)
	return statePrefix + encoded + "." + base64.RawURLEncoding.EncodeToString(s.mac(encoded)), nil
}

// Verify checks state against binding and consumes it. It returns nil when
// the state is authentic, unexpired, unused and bound to exactly binding.
// Otherwise it returns a Refusal whose Reason names the first failed check.
func (s *StateSigner) Verify(state string, binding Binding) *Refusal {
	claims, refusal := s.decode(state)
	if refusal != nil {
		return refusal
	}

	// A used state is reported as replayed even when the world changed
	// since, because that is the more precise reason. consume below checks
	// again atomically.
	if s.nonces.seen(claims.Nonce) {
		return refuse(ReasonReplayed,
			"this requestState was already used; call the tool again without requestState and inputResponses to ask again")
	}

	if !equalStrings(claims.Tool, binding.Tool) {
		return refuse(ReasonWrongTool, fmt.Sprintf(
			"the requestState was issued for tool %q, not %q; call %s again without requestState and inputResponses",
			claims.Tool, binding.Tool, binding.Tool))
	}
	if !equalStrings(claims.Caller, callerDigest(binding.Caller)) {
		return refuse(ReasonWrongSession,
			"the requestState was issued to another session; call the tool again without requestState and inputResponses")
	}
	if !equalStrings(claims.Arguments, binding.Arguments) {
		return refuse(ReasonArgumentsChanged,
			"the arguments differ from the ones the user was asked to approve; call the tool again without requestState and inputResponses to ask again")
	}
	if !equalStrings(claims.Plan, binding.Plan) {
		return refuse(ReasonPlanChanged,
			"the model or deployment changed after the user was asked; call the tool again without requestState and inputResponses to ask again")
	}

	now := s.now()
	expiry := time.Unix(claims.Expiry, 0)
	if !now.Before(expiry) {
		return refuse(ReasonExpired, fmt.Sprintf(
			"the requestState expired at %s; call the tool again without requestState and inputResponses to ask again",
			expiry.UTC().Format(time.RFC3339)))
	}

	switch s.nonces.consume(claims.Nonce, expiry, now) {
	case nonceReplayed:
		return refuse(ReasonReplayed,
			"this requestState was already used; call the tool again without requestState and inputResponses to ask again")
	case nonceFull:
		return refuse(ReasonBusy,
			"too many confirmations are in progress; wait a few minutes and call the tool again")
	}
	return nil
}

// decode checks the token's form and signature and returns its claims.
func (s *StateSigner) decode(state string) (stateClaims, *Refusal) {
	tampered := refuse(ReasonTampered,
		"the requestState is not one this server issued, or it was modified; call the tool again without requestState and inputResponses")

	if len(state) > maxStateLength || !strings.HasPrefix(state, statePrefix) {
		return stateClaims{}, tampered
	}
	encoded, signature, ok := strings.Cut(strings.TrimPrefix(state, statePrefix), ".")
	if !ok {
		return stateClaims{}, tampered
	}

	mac, err := base64.RawURLEncoding.DecodeString(signature)
	if err != nil || !hmac.Equal(mac, s.mac(encoded)) {
		return stateClaims{}, tampered
	}

	payload, err := base64.RawURLEncoding.DecodeString(encoded)
	if err != nil {
		return stateClaims{}, tampered
	}
	var claims stateClaims
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Nonce == "" {
		return stateClaims{}, tampered
	}
	return claims, nil
}

func (s *StateSigner) mac(encoded string) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(macContext))
	h.Write([]byte(encoded))
	return h.Sum(nil)
}

// equalStrings compares in constant time for equal lengths.
func equalStrings(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
