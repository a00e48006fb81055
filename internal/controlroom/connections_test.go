package controlroom_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

func TestConcurrentCallsReuseConnections(t *testing.T) {
	var opened atomic.Int64
	server := httptest.NewUnstartedServer(simulator.New(simulator.Options{Token: simToken, Seed: true}))
	server.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			opened.Add(1)
		}
	}
	server.Start()
	t.Cleanup(server.Close)
	client, err := controlroom.New(controlroom.Config{BaseURL: server.URL + "/api", Token: simToken})
	require.NoError(t, err)

	const concurrent, rounds = 16, 5
	for range rounds {
		var wg sync.WaitGroup
		for range concurrent {
			wg.Go(func() {
				_, err := client.ListModels(context.Background(), 0, 20)
				assert.NoError(t, err)
			})
		}
		wg.Wait()
	}

	// Each round needs at most 16 connections; kept idle, they serve the
	// later rounds. With 2 idle connections per host, most of the 80 calls
	// would open one.
	assert.LessOrEqual(t, opened.Load(), int64(2*concurrent))
}
