package guard

import (
	"sync"
	"time"
)

// defaultMaxUsedNonces bounds the used-nonce store. Entries leave it when
// their state expires, so the bound only binds when more states than this are
// used within one state lifetime.
const defaultMaxUsedNonces = 65536

// nonceStore remembers the nonces of used states until the states expire,
// which makes every state single use.
//
// TODO: the store is per process, so behind a load balancer a state can be
// used once on each replica within its lifetime. Single use across replicas
// needs sticky routing or a shared store (for example Redis with SET NX).
type nonceStore struct {
	mu        sync.Mutex
	used      map[string]time.Time // nonce -> expiry of its state
	max       int
	nextSweep time.Time
}

func newNonceStore(maxEntries int) *nonceStore {
	return &nonceStore{used: map[string]time.Time{}, max: maxEntries}
}

// nonceResult is the outcome of consuming a nonce.
type nonceResult int

const (
	nonceConsumed nonceResult = iota // first use, now recorded
	nonceReplayed                    // used before
	nonceFull                        // the store is full; the state is not accepted
)

// consume records nonce as used until expiry. It is atomic: of two
// concurrent calls with one nonce exactly one gets nonceConsumed.
func (s *nonceStore) consume(nonce string, expiry, now time.Time) nonceResult {
	s.mu.Lock()
	defer s.mu.Unlock()

	if _, ok := s.used[nonce]; ok {
		return nonceReplayed
	}

	if len(s.used) >= s.max || !now.Before(s.nextSweep) {
		s.sweep(now)
	}
	if len(s.used) >= s.max {
		return nonceFull
	}

	s.used[nonce] = expiry
	return nonceConsumed
}

// sweep drops nonces whose states have expired: an expired state is refused
// before its nonce is looked up, so forgetting the nonce cannot allow a
// replay.
func (s *nonceStore) sweep(now time.Time) {
	for nonce, expiry := range s.used {
		if !now.Before(expiry) {
			delete(s.used, nonce)
		}
	}
	s.nextSweep = now.Add(time.Minute)
}

// seen reports whether nonce was consumed and has not been swept since.
func (s *nonceStore) seen(nonce string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.used[nonce]
	return ok
}

func (s *nonceStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.used)
}
