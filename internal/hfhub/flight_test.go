package hfhub

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitForWaiters yields until n callers wait on key.
func waitForWaiters(fs *flights, key cacheKey, n int) {
	for {
		fs.mu.Lock()
		f := fs.pending[key]
		joined := f != nil && f.waiters == n
		fs.mu.Unlock()
		if joined {
			return
		}
		runtime.Gosched()
	}
}

func TestFlightsMergeConcurrentCalls(t *testing.T) {
	var fs flights
	key := cacheKey{kind: "info", repoID: "a/b"}
	release := make(chan struct{})
	var fetches, stores atomic.Int32

	fetch := func(context.Context) (any, error) {
		fetches.Add(1)
		<-release
		return "value", nil
	}
	store := func(any, error) { stores.Add(1) }

	const callers = 5
	var wg sync.WaitGroup
	results := make([]any, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			value, err := fs.do(context.Background(), key, fetch, store)
			assert.NoError(t, err)
			results[i] = value
		}()
	}

	waitForWaiters(&fs, key, callers)
	close(release)
	wg.Wait()

	assert.Equal(t, int32(1), fetches.Load())
	assert.Equal(t, int32(1), stores.Load())
	for _, value := range results {
		assert.Equal(t, "value", value)
	}
	assert.Empty(t, fs.pending)
}

func TestFlightsOneCancelDoesNotFailOthers(t *testing.T) {
	var fs flights
	key := cacheKey{kind: "info", repoID: "a/b"}
	release := make(chan struct{})
	fetchCanceled := make(chan bool, 1)

	fetch := func(ctx context.Context) (any, error) {
		select {
		case <-release:
			fetchCanceled <- false
			return "value", nil
		case <-ctx.Done():
			fetchCanceled <- true
			return nil, ctx.Err()
		}
	}
	store := func(any, error) {}

	patient := make(chan any, 1)
	go func() {
		value, err := fs.do(context.Background(), key, fetch, store)
		assert.NoError(t, err)
		patient <- value
	}()

	ctx, cancel := context.WithCancel(context.Background())
	impatient := make(chan error, 1)
	go func() {
		_, err := fs.do(ctx, key, fetch, store)
		impatient <- err
	}()

	waitForWaiters(&fs, key, 2)
	cancel()
	err := <-impatient
	assert.Equal(t, KindCanceled, KindOf(err))

	close(release)
	assert.Equal(t, "value", <-patient)
	assert.False(t, <-fetchCanceled, "the request went on for the remaining caller")
}

func TestFlightsCancelWhenAllLeave(t *testing.T) {
	var fs flights
	key := cacheKey{kind: "info", repoID: "a/b"}
	fetchCanceled := make(chan struct{})

	fetch := func(ctx context.Context) (any, error) {
		<-ctx.Done()
		close(fetchCanceled)
		return nil, ctx.Err()
	}
	store := func(any, error) {}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := fs.do(ctx, key, fetch, store)
		done <- err
	}()

	waitForWaiters(&fs, key, 1)
	cancel()
	require.Equal(t, KindCanceled, KindOf(<-done))
	<-fetchCanceled

	fs.mu.Lock()
	_, pending := fs.pending[key]
	fs.mu.Unlock()
	assert.False(t, pending, "a later caller starts a fresh request")
}
