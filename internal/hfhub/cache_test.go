package hfhub

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestCacheEvictsClosestToExpiry(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	c := newCache(time.Minute, time.Second, 3, func() time.Time { return now })

	for i := range 3 {
		c.put(cacheKey{repoID: fmt.Sprintf("a/%d", i)}, i, nil)
		now = now.Add(time.Second)
	}
	c.put(cacheKey{repoID: "a/3"}, 3, nil)

	assert.Len(t, c.entries, 3)
	_, ok := c.get(cacheKey{repoID: "a/0"})
	assert.False(t, ok, "the oldest entry made room")
	entry, ok := c.get(cacheKey{repoID: "a/3"})
	assert.True(t, ok)
	assert.Equal(t, 3, entry.value)
}

func TestCacheSkipsUnreachableAndCanceled(t *testing.T) {
	now := time.Now()
	c := newCache(time.Minute, time.Minute, 10, func() time.Time { return now })

	c.put(cacheKey{repoID: "a/b"}, nil, &Error{Kind: KindUnreachable})
	c.put(cacheKey{repoID: "a/c"}, nil, &Error{Kind: KindCanceled})
	c.put(cacheKey{repoID: "a/d"}, nil, errors.New("not an *Error"))
	c.put(cacheKey{repoID: "a/e"}, nil, &Error{Kind: KindGated})

	assert.Len(t, c.entries, 1)
	_, ok := c.get(cacheKey{repoID: "a/e"})
	assert.True(t, ok, "a gated file is a definite negative result")
}

func TestCacheSizeOne(t *testing.T) {
	now := time.Now()
	c := newCache(time.Minute, time.Minute, 1, func() time.Time { return now })

	c.put(cacheKey{repoID: "a/b"}, 1, nil)
	c.put(cacheKey{repoID: "a/c"}, 2, nil)

	assert.Len(t, c.entries, 1)
	_, ok := c.get(cacheKey{repoID: "a/c"})
	assert.True(t, ok)
}
