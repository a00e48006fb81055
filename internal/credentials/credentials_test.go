package credentials_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/credentials"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

const callerToken = "caller-controlroom-token-9f3e"

func newPerRequest(t *testing.T, maxClients int) (*credentials.PerRequest, *simulator.Simulator) {
	t.Helper()
	sim := simulator.New(simulator.Options{Token: callerToken, Seed: true})
	server := httptest.NewServer(sim)
	t.Cleanup(server.Close)
	api, err := credentials.NewPerRequest(controlroom.Config{BaseURL: server.URL + "/api", Token: "ignored"}, credentials.DefaultHeader, maxClients)
	require.NoError(t, err)
	return api, sim
}

func totalRequests(sim *simulator.Simulator) int64 {
	var total int64
	for _, n := range sim.Stats().Requests {
		total += n
	}
	return total
}

func TestMissingTokenSendsNothing(t *testing.T) {
	api, sim := newPerRequest(t, 0)

	_, err := api.ListModels(context.Background(), 1, 10)
	require.Error(t, err)
	require.Equal(t, controlroom.KindUnauthorized, controlroom.KindOf(err))
	require.Contains(t, err.Error(), credentials.DefaultHeader)
	require.Contains(t, err.Error(), "not in Authorization")

	err = api.DeleteModel(context.Background(), "some-model")
	require.Equal(t, controlroom.KindUnauthorized, controlroom.KindOf(err))
	require.Zero(t, totalRequests(sim))
}

func TestCallUsesTheRequestToken(t *testing.T) {
	api, sim := newPerRequest(t, 0)

	// The header travels from the HTTP request into the call's context.
	request := httptest.NewRequest(http.MethodPost, "/mcp", nil)
	request.Header.Set(credentials.DefaultHeader, " "+callerToken+" ")
	ctx := credentials.ContextFunc(credentials.DefaultHeader)(context.Background(), request)

	page, err := api.ListModels(ctx, 1, 10)
	require.NoError(t, err)
	require.NotEmpty(t, page.Content)

	_, err = api.ListDeployments(credentials.WithToken(context.Background(), "someone-elses-wrong-token"))
	require.Equal(t, controlroom.KindUnauthorized, controlroom.KindOf(err))
	require.Contains(t, err.Error(), credentials.DefaultHeader, "a rejected caller token names the header to fix")
	require.NotContains(t, err.Error(), "someone-elses-wrong-token")

	_, err = api.ListDeployments(credentials.WithToken(context.Background(), "bad token"))
	require.Equal(t, controlroom.KindUnauthorized, controlroom.KindOf(err))
	require.NotContains(t, err.Error(), "bad token")
	var callerErr *credentials.CallerTokenError
	require.ErrorAs(t, err, &callerErr)
	require.EqualValues(t, 2, totalRequests(sim), "the malformed token sent nothing")
}

func TestClientCacheIsBounded(t *testing.T) {
	api, _ := newPerRequest(t, 2)
	for _, token := range []string{"token-a", "token-b", "token-a", "token-c", "token-d"} {
		_, _ = api.ListDeployments(credentials.WithToken(context.Background(), token))
		require.LessOrEqual(t, api.Len(), 2)
	}
	require.Equal(t, 2, api.Len())
}

func TestNewPerRequestChecksTheBaseURL(t *testing.T) {
	_, err := credentials.NewPerRequest(controlroom.Config{BaseURL: "ftp://example.invalid"}, "", 0)
	require.Error(t, err)
}
