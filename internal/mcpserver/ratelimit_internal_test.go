package mcpserver

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLimitersRefillAndRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	store := &limiters{limit: RateLimit{PerMinute: 6, Burst: 2}, now: func() time.Time { return now }, buckets: map[string]*bucket{}}

	require.Zero(t, store.reserve("a"))
	require.Zero(t, store.reserve("a"))
	require.Equal(t, 10*time.Second, store.reserve("a"), "6 per minute refills one call every 10 seconds")
	require.Zero(t, store.reserve("b"), "another principal has its own bucket")

	now = now.Add(10 * time.Second)
	require.Zero(t, store.reserve("a"))
}

func TestLimitersStayBounded(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	store := &limiters{limit: RateLimit{PerMinute: 60, Burst: 1}, now: func() time.Time { return now }, buckets: map[string]*bucket{}}
	for i := range maxPrincipals {
		store.reserve(fmt.Sprintf("p%d", i))
		now = now.Add(time.Microsecond)
	}
	require.Len(t, store.buckets, maxPrincipals)

	// Every bucket is still refilling: the least recently seen one goes.
	store.reserve("newcomer")
	require.Len(t, store.buckets, maxPrincipals)
	require.NotContains(t, store.buckets, "p0")
	require.Contains(t, store.buckets, "newcomer")

	// After a full refill every idle bucket is dropped at once.
	now = now.Add(2 * time.Second)
	store.reserve("latecomer")
	require.Len(t, store.buckets, 1)
}
