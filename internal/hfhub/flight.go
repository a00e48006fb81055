package hfhub

import (
	"context"
	"sync"
)

// flights merges concurrent lookups of the same key into one request. The
// request runs detached from any one caller's context and is canceled only
// when every caller waiting for it has gone, so one caller's cancellation
// does not fail the others (TestFlightsOneCancelDoesNotFailOthers).
type flights struct {
	mu      sync.Mutex
	pending map[cacheKey]*flight
}

type flight struct {
	done    chan struct{}
	value   any
	err     error
	waiters int
	cancel  context.CancelFunc
}

// do returns the result of fetch for key, sharing one call among concurrent
// callers. It stores the result in store before waking the callers. A
// caller whose ctx ends gets a KindCanceled error at once.
func (fs *flights) do(ctx context.Context, key cacheKey, fetch func(context.Context) (any, error), store func(any, error)) (any, error) {
	fs.mu.Lock()
	if fs.pending == nil {
		fs.pending = map[cacheKey]*flight{}
	}

	f, ok := fs.pending[key]
	if !ok {
		fetchCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight{done: make(chan struct{}), cancel: cancel}
		fs.pending[key] = f
		go fs.run(key, f, fetchCtx, fetch, store)
	}
	f.waiters++
	fs.mu.Unlock()

	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		fs.leave(key, f)
		return nil, &Error{
			Kind: KindCanceled, RepoID: key.repoID, Revision: key.revision,
			Message: "the lookup was canceled: " + ctx.Err().Error(), Err: ctx.Err(),
		}
	}
}

func (fs *flights) run(key cacheKey, f *flight, ctx context.Context, fetch func(context.Context) (any, error), store func(any, error)) {
	defer f.cancel()

	value, err := fetch(ctx)
	store(value, err)

	fs.mu.Lock()
	if fs.pending[key] == f {
		delete(fs.pending, key)
	}
	fs.mu.Unlock()

	f.value, f.err = value, err
	close(f.done)
}

// leave drops one waiter and cancels the request when none is left.
func (fs *flights) leave(key cacheKey, f *flight) {
	fs.mu.Lock()
	defer fs.mu.Unlock()

	f.waiters--
	if f.waiters > 0 {
		return
	}
	f.cancel()
	if fs.pending[key] == f {
		delete(fs.pending, key)
	}
}
