package guard

import (
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testBinding() Binding {
	return Binding{Tool: "deploy_model", Arguments: "args-digest", Plan: "plan-digest", Caller: "session-1"}
}

func newTestSigner(t *testing.T, clock *testClock) *StateSigner {
	t.Helper()
	signer, err := NewStateSigner(NewRandomKey(), time.Minute, clock.Now)
	require.NoError(t, err)
	return signer
}

func TestStateRoundTrip(t *testing.T) {
	signer := newTestSigner(t, newTestClock())
	state, err := signer.Issue(testBinding())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(state, statePrefix))
	assert.NotContains(t, state, "session-1", "the caller is stored as a digest")
	assert.Nil(t, signer.Verify(state, testBinding()))
}

func TestStateSingleUse(t *testing.T) {
	signer := newTestSigner(t, newTestClock())
	state, err := signer.Issue(testBinding())
	require.NoError(t, err)
	require.Nil(t, signer.Verify(state, testBinding()))

	refusal := signer.Verify(state, testBinding())
	require.NotNil(t, refusal)
	assert.Equal(t, ReasonReplayed, refusal.Reason)
}

func TestStateConcurrentUseOnce(t *testing.T) {
	signer := newTestSigner(t, newTestClock())
	state, err := signer.Issue(testBinding())
	require.NoError(t, err)

	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if signer.Verify(state, testBinding()) == nil {
				mu.Lock()
				accepted++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, accepted)
}

func TestStateRefusalReasons(t *testing.T) {
	clock := newTestClock()
	signer := newTestSigner(t, clock)

	cases := []struct {
		name   string
		change func(*Binding)
		want   Reason
	}{
		{"tool", func(b *Binding) { b.Tool = "cancel_deployment" }, ReasonWrongTool},
		{"caller", func(b *Binding) { b.Caller = "session-2" }, ReasonWrongSession},
		{"arguments", func(b *Binding) { b.Arguments = "other" }, ReasonArgumentsChanged},
		{"plan", func(b *Binding) { b.Plan = "other" }, ReasonPlanChanged},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			state, err := signer.Issue(testBinding())
			require.NoError(t, err)
			binding := testBinding()
			c.change(&binding)
			refusal := signer.Verify(state, binding)
			require.NotNil(t, refusal)
			assert.Equal(t, c.want, refusal.Reason)
			assertOneSentence(t, refusal)
		})
	}
}

func TestStateExpiry(t *testing.T) {
	clock := newTestClock()
	signer := newTestSigner(t, clock)
	state, err := signer.Issue(testBinding())
	require.NoError(t, err)

	clock.Advance(time.Minute)
	refusal := signer.Verify(state, testBinding())
	require.NotNil(t, refusal)
	assert.Equal(t, ReasonExpired, refusal.Reason)
}

func TestStateTamperedForms(t *testing.T) {
	signer := newTestSigner(t, newTestClock())
	state, err := signer.Issue(testBinding())
	require.NoError(t, err)
	payload, signature, _ := strings.Cut(strings.TrimPrefix(state, statePrefix), ".")

	forged := strings.Replace(mustDecode(t, payload), `"args":"args-digest"`, `"args":"other"`, 1)
	cases := map[string]string{
		"empty":             "",
		"no prefix":         strings.TrimPrefix(state, statePrefix),
		"no signature":      statePrefix + payload,
		"bad base64":        statePrefix + payload + ".***",
		"flipped signature": statePrefix + payload + "." + flipFirst(signature),
		"edited payload":    statePrefix + base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + signature,
		"too long":          state + strings.Repeat("A", maxStateLength),
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			refusal := signer.Verify(bad, testBinding())
			require.NotNil(t, refusal)
			assert.Equal(t, ReasonTampered, refusal.Reason)
		})
	}
}

func TestStateOtherKeyRejected(t *testing.T) {
	clock := newTestClock()
	state, err := newTestSigner(t, clock).Issue(testBinding())
	require.NoError(t, err)
	refusal := newTestSigner(t, clock).Verify(state, testBinding())
	require.NotNil(t, refusal)
	assert.Equal(t, ReasonTampered, refusal.Reason)
}

func TestStateSharedKeyAcrossSigners(t *testing.T) {
	clock := newTestClock()
	key := NewRandomKey()
	first, err := NewStateSigner(key, 0, clock.Now)
	require.NoError(t, err)
	second, err := NewStateSigner(key, 0, clock.Now)
	require.NoError(t, err)

	state, err := first.Issue(testBinding())
	require.NoError(t, err)
	assert.Nil(t, second.Verify(state, testBinding()))
}

func TestStateSignerShortKey(t *testing.T) {
	_, err := NewStateSigner(make([]byte, 16), 0, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "16 bytes")
}

func TestNonceStoreSweepsAndBounds(t *testing.T) {
	clock := newTestClock()
	store := newNonceStore(2)
	expiry := clock.Now().Add(time.Minute)

	assert.Equal(t, nonceConsumed, store.consume("a", expiry, clock.Now()))
	assert.Equal(t, nonceConsumed, store.consume("b", expiry, clock.Now()))
	assert.Equal(t, nonceFull, store.consume("c", expiry, clock.Now()))
	assert.Equal(t, nonceReplayed, store.consume("a", expiry, clock.Now()))

	clock.Advance(time.Minute)
	assert.Equal(t, nonceConsumed, store.consume("c", clock.Now().Add(time.Minute), clock.Now()))
	assert.Equal(t, 1, store.len())
}

func mustDecode(t *testing.T, encoded string) string {
	t.Helper()
	decoded, err := base64.RawURLEncoding.DecodeString(encoded)
	require.NoError(t, err)
	return string(decoded)
}

func flipFirst(text string) string {
	if text[0] == 'A' {
		return "B" + text[1:]
	}
	return "A" + text[1:]
}

func TestStateReplayReportedBeforeBindingChange(t *testing.T) {
	signer := newTestSigner(t, newTestClock())
	state, err := signer.Issue(testBinding())
	require.NoError(t, err)
	require.Nil(t, signer.Verify(state, testBinding()))

	changed := testBinding()
	changed.Plan = "the model now has a deployment"
	refusal := signer.Verify(state, changed)
	require.NotNil(t, refusal)
	assert.Equal(t, ReasonReplayed, refusal.Reason)
}

func TestStateMismatchDoesNotConsume(t *testing.T) {
	signer := newTestSigner(t, newTestClock())
	state, err := signer.Issue(testBinding())
	require.NoError(t, err)

	changed := testBinding()
	changed.Arguments = "other"
	require.Equal(t, ReasonArgumentsChanged, signer.Verify(state, changed).Reason)
	assert.Nil(t, signer.Verify(state, testBinding()), "the state still serves the call it was issued for")
}
