package controlroom

import (
	"context"
	"sync"
)

// modelLocks serialises deploys of the same model in one Client, so that
// the reconciliation of one deploy cannot take the deployment that a
// concurrent deploy of the same model started for its own.
//
// NOTE: the lock covers only this process. A deploy of the same model by
// another replica, or by another client of the same tenant, can still
// appear during a reconciliation and be taken as this deploy's. Results
// found that way carry Reconciled.
type modelLocks struct {
	mu    sync.Mutex
	locks map[string]*modelLock
}

type modelLock struct {
	slot chan struct{}
	refs int
}

// lock waits until no other deploy of modelID holds the lock, then returns
// the function that releases it. It returns ctx's error when ctx ends first.
func (l *modelLocks) lock(ctx context.Context, modelID string) (func(), error) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*modelLock{}
	}
	entry := l.locks[modelID]
	if entry == nil {
		entry = &modelLock{slot: make(chan struct{}, 1)}
		l.locks[modelID] = entry
	}
	entry.refs++
	l.mu.Unlock()

	select {
	case entry.slot <- struct{}{}:
	case <-ctx.Done():
		l.drop(modelID, entry)
		return nil, ctx.Err()
	}

	var once sync.Once
	return func() {
		once.Do(func() {
			<-entry.slot
			l.drop(modelID, entry)
		})
	}, nil
}

// drop removes entry once no deploy holds or waits for it.
func (l *modelLocks) drop(modelID string, entry *modelLock) {
	l.mu.Lock()
	defer l.mu.Unlock()
	entry.refs--
	if entry.refs == 0 {
		delete(l.locks, modelID)
	}
}
