package guard

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quotaStore is an approval store with a manual clock.
func quotaStore(t *testing.T) (*Approvals, *time.Time) {
	t.Helper()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	store := NewApprovals(10*time.Minute, func() time.Time { return now })
	store.SetBaseURL("http://127.0.0.1:1")
	return store, &now
}

func quotaBinding(caller string, n int) Binding {
	return Binding{Tool: "deploy_model", Arguments: fmt.Sprintf("args-%d", n), Plan: "plan", Caller: caller}
}

// decideRecord sets the page decision of id, as the page would.
func decideRecord(store *Approvals, id string, status ApprovalStatus, at time.Time) {
	store.mu.Lock()
	defer store.mu.Unlock()
	record := store.lookup(id)
	record.status = status
	record.decided = at
}

func TestApprovalsQuotaPerCaller(t *testing.T) {
	store, now := quotaStore(t)
	var first string
	for i := range defaultMaxOpenPerCaller {
		pending, refusal := store.Create(quotaBinding("s1@alice", i), nil)
		require.Nil(t, refusal, "approval %d", i)
		if i == 0 {
			first = pending.ID
		}
	}

	_, refusal := store.Create(quotaBinding("s1@alice", 99), nil)
	require.NotNil(t, refusal)
	assert.Equal(t, ReasonBusy, refusal.Reason)
	assert.Contains(t, refusal.Message, "this caller has 32 approvals open")

	_, refusal = store.Create(quotaBinding("s2@alice", 99), nil)
	require.NotNil(t, refusal, "a new session of the same credential shares the quota")

	_, refusal = store.Create(quotaBinding("s3@bob", 0), nil)
	assert.Nil(t, refusal, "another caller is not blocked")

	decideRecord(store, first, ApprovalApproved, *now)
	require.Nil(t, store.Consume(first, quotaBinding("s1@alice", 0)))
	_, refusal = store.Create(quotaBinding("s1@alice", 100), nil)
	assert.Nil(t, refusal, "a used approval frees its place in the quota")
}

func TestApprovalsQuotaFreedByExpiry(t *testing.T) {
	store, now := quotaStore(t)
	for i := range defaultMaxOpenPerCaller {
		_, refusal := store.Create(quotaBinding("no-session", i), nil)
		require.Nil(t, refusal)
	}
	*now = now.Add(10 * time.Minute)
	_, refusal := store.Create(quotaBinding("no-session", 99), nil)
	assert.Nil(t, refusal, "expired approvals do not count")
}

func TestApprovalsFinishedDroppedSoon(t *testing.T) {
	store, now := quotaStore(t)
	pending, refusal := store.Create(quotaBinding("s1", 0), nil)
	require.Nil(t, refusal)
	binding := quotaBinding("s1", 0)

	decideRecord(store, pending.ID, ApprovalApproved, *now)
	require.Nil(t, store.Consume(pending.ID, binding))

	*now = now.Add(time.Minute)
	replay := store.Consume(pending.ID, binding)
	require.NotNil(t, replay)
	assert.Equal(t, ReasonReplayed, replay.Reason, "a used approval is named as such for a while")

	*now = now.Add(finishedRetention)
	gone := store.Consume(pending.ID, binding)
	require.NotNil(t, gone)
	assert.Equal(t, ReasonUnknownApproval, gone.Reason)
	assert.Empty(t, store.records, "the used record was dropped before its expiry")
}

func TestApprovalsFullStoreDropsClosedRecords(t *testing.T) {
	store, now := quotaStore(t)
	store.max = 4
	var ids []string
	for i := range 4 {
		pending, refusal := store.Create(quotaBinding(fmt.Sprintf("s%d", i), 0), nil)
		require.Nil(t, refusal)
		ids = append(ids, pending.ID)
	}

	_, refusal := store.Create(quotaBinding("s9", 0), nil)
	require.NotNil(t, refusal)
	assert.Equal(t, ReasonBusy, refusal.Reason)

	decideRecord(store, ids[0], ApprovalRejected, *now)
	_, refusal = store.Create(quotaBinding("s9", 0), nil)
	assert.Nil(t, refusal, "a rejected record makes room at once when the store is full")
	assert.Len(t, store.records, 4)
}
