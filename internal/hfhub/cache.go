package hfhub

import (
	"sync"
	"time"
)

// cache keeps lookup results per kind, repository and revision. Successful
// lookups live for ttl, definite negative results (not found, revision not
// found) for negativeTTL. Unreachable and canceled lookups are never cached,
// so the next call tries the Hub again.
type cache struct {
	mu          sync.Mutex
	ttl         time.Duration
	negativeTTL time.Duration
	maxEntries  int
	now         func() time.Time
	entries     map[cacheKey]cacheEntry
}

type cacheKey struct {
	// kind separates model info from config.json lookups.
	kind     string
	repoID   string
	revision string
}

type cacheEntry struct {
	value   any
	err     error
	expires time.Time
}

func newCache(ttl, negativeTTL time.Duration, maxEntries int, now func() time.Time) *cache {
	return &cache{
		ttl:         ttl,
		negativeTTL: negativeTTL,
		maxEntries:  maxEntries,
		now:         now,
		entries:     map[cacheKey]cacheEntry{},
	}
}

// get returns a fresh entry for key.
func (c *cache) get(key cacheKey) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()

	entry, ok := c.entries[key]
	if !ok {
		return cacheEntry{}, false
	}
	if !c.now().Before(entry.expires) {
		delete(c.entries, key)
		return cacheEntry{}, false
	}
	return entry, true
}

// put stores a result when its kind is cacheable.
func (c *cache) put(key cacheKey, value any, err error) {
	ttl := c.ttl
	if err != nil {
		switch KindOf(err) {
		case KindNotFound, KindRevisionNotFound, KindGated:
			ttl = c.negativeTTL
		default:
			return
		}
	}
	if ttl <= 0 {
		return
	}

	c.mu.Lock()
	defer c.mu.Unlock()

	now := c.now()
	if _, replacing := c.entries[key]; !replacing && len(c.entries) >= c.maxEntries {
		c.evict(now)
	}
	c.entries[key] = cacheEntry{value: value, err: err, expires: now.Add(ttl)}
}

// evict drops expired entries, then the entry closest to expiry until there
// is room for one more. The caller holds c.mu.
func (c *cache) evict(now time.Time) {
	for key, entry := range c.entries {
		if !now.Before(entry.expires) {
			delete(c.entries, key)
		}
	}

	for len(c.entries) >= c.maxEntries {
		var oldestKey cacheKey
		var oldest time.Time
		first := true
		for key, entry := range c.entries {
			if first || entry.expires.Before(oldest) {
				oldestKey, oldest, first = key, entry.expires, false
			}
		}
		delete(c.entries, oldestKey)
	}
}
