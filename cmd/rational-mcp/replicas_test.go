package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/simulator"
	"github.com/rational-ai/rational-mcp/tools"
)

const replicaSimulatorToken = "replica-sim-token-51c0aa"

// replica is one "rational-mcp http" process on a loopback port.
type replica struct {
	base   string // http://127.0.0.1:PORT
	stderr *lockedBuffer
	// stop sends SIGTERM and waits until the process has written all of
	// its stderr.
	stop func()
}

// startReplica runs the server against the Control Room at baseURL with
// args, and stops it when the test ends.
func startReplica(t *testing.T, baseURL string, args ...string) *replica {
	t.Helper()
	cmd := serverCommand(t, append([]string{"http", "--addr", "127.0.0.1:0", "--confirmation", "elicitation"}, args...),
		"RATIONAL_BASE_URL="+baseURL, "RATIONAL_API_TOKEN="+replicaSimulatorToken)
	pipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	process := &replica{stderr: &lockedBuffer{}}
	done := make(chan struct{})
	process.stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("the replica did not stop within 20s of SIGTERM")
		}
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		_ = cmd.Wait()
	})
	endpoint := readEndpoint(t, pipe, process.stderr, done)
	process.base = strings.TrimSuffix(endpoint, "/mcp")
	return process
}

// hop is one request that the load balancer forwarded.
type hop struct {
	backend int
	method  string // the JSON-RPC method, or the HTTP method when there is none
	status  int
}

// loadBalancer is a reverse proxy on 127.0.0.1 that sends each request to
// the next replica in turn. With sticky set, a request that carries an
// Mcp-Session-Id goes to the replica that issued it.
type loadBalancer struct {
	url      string
	proxies  []*httputil.ReverseProxy
	sticky   bool
	mu       sync.Mutex
	next     int
	sessions map[string]int
	hops     []hop
}

func newLoadBalancer(t *testing.T, sticky bool, replicas ...*replica) *loadBalancer {
	t.Helper()
	lb := &loadBalancer{sticky: sticky, sessions: map[string]int{}}
	for i, r := range replicas {
		target, err := url.Parse(r.base)
		require.NoError(t, err)
		proxy := httputil.NewSingleHostReverseProxy(target)
		proxy.FlushInterval = -1
		proxy.ModifyResponse = func(response *http.Response) error {
			if session := response.Header.Get("Mcp-Session-Id"); session != "" {
				lb.mu.Lock()
				lb.sessions[session] = i
				lb.mu.Unlock()
			}
			return nil
		}
		lb.proxies = append(lb.proxies, proxy)
	}
	server := httptest.NewServer(lb)
	t.Cleanup(server.Close)
	lb.url = server.URL + "/mcp"
	return lb
}

func (lb *loadBalancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	method := r.Method
	var message struct {
		Method string `json:"method"`
	}
	if json.Unmarshal(body, &message) == nil && message.Method != "" {
		method = message.Method
	}

	// The hop is recorded before forwarding and its status before the
	// response goes out, so a client that has its response finds the hop.
	lb.mu.Lock()
	backend, known := lb.sessions[r.Header.Get("Mcp-Session-Id")]
	if !lb.sticky || !known {
		backend = lb.next
		lb.next = (lb.next + 1) % len(lb.proxies)
	}
	lb.hops = append(lb.hops, hop{backend: backend, method: method})
	index := len(lb.hops) - 1
	lb.mu.Unlock()

	lb.proxies[backend].ServeHTTP(&statusRecorder{ResponseWriter: w, lb: lb, index: index}, r)
}

// toolCalls returns the tools/call requests forwarded so far.
func (lb *loadBalancer) toolCalls() []hop {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	var calls []hop
	for _, h := range lb.hops {
		if h.method == "tools/call" {
			calls = append(calls, h)
		}
	}
	return calls
}

// statusRecorder stores the response status in the load balancer's hop.
type statusRecorder struct {
	http.ResponseWriter
	lb    *loadBalancer
	index int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.lb.mu.Lock()
	s.lb.hops[s.index].status = code
	s.lb.mu.Unlock()
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// approver accepts every elicitation and counts them.
type approver struct {
	mu           sync.Mutex
	elicitations int
}

func (a *approver) Elicit(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	a.mu.Lock()
	a.elicitations++
	a.mu.Unlock()
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{
		Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"approve": true},
	}}, nil
}

// connectThrough returns an mcp-go client in era that talks to url, and
// the error of its initialization.
func connectThrough(t *testing.T, url, era string, user *approver) (*client.Client, error) {
	t.Helper()
	httpTransport, err := transport.NewStreamableHTTP(url)
	require.NoError(t, err)
	options := []client.ClientOption{client.WithProtocolVersion(era)}
	if user != nil {
		options = append(options, client.WithElicitationHandler(user))
	}
	mcpClient := client.NewClient(httpTransport, options...)
	t.Cleanup(func() { _ = mcpClient.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, mcpClient.Start(ctx))
	_, err = mcpClient.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: era,
		ClientInfo:      mcp.Implementation{Name: "replicas-test", Version: "1"},
	}})
	return mcpClient, err
}

// tryTool calls a tool and returns the result or the error.
func tryTool(mcpClient *client.Client, name string, arguments map[string]any) (*mcp.CallToolResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	request := mcp.CallToolRequest{}
	request.Params.Name = name
	request.Params.Arguments = arguments
	return mcpClient.CallTool(ctx, request)
}

func resultText(result *mcp.CallToolResult) string {
	var parts []string
	for _, content := range result.Content {
		if text, ok := content.(mcp.TextContent); ok {
			parts = append(parts, text.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// metricValue scrapes base's /metrics and returns the value of series, or
// 0 when the series is absent.
func metricValue(t *testing.T, base, series string) float64 {
	t.Helper()
	response, err := (&http.Client{Timeout: 10 * time.Second}).Get(base + "/metrics")
	require.NoError(t, err)
	defer response.Body.Close()
	require.Equal(t, http.StatusOK, response.StatusCode)
	body, err := io.ReadAll(response.Body)
	require.NoError(t, err)
	for _, line := range strings.Split(string(body), "\n") {
		if value, ok := strings.CutPrefix(line, series+" "); ok {
			parsed, err := strconv.ParseFloat(value, 64)
			require.NoError(t, err, line)
			return parsed
		}
	}
	return 0
}

// writeStateKey writes a random 32-byte hex key to a 0600 file.
func writeStateKey(t *testing.T) string {
	t.Helper()
	key := make([]byte, 32)
	_, err := rand.Read(key)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "state-key")
	require.NoError(t, os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600))
	return path
}

// sharedSimulator serves one simulator for every replica of a test.
func sharedSimulator(t *testing.T) (*simulator.Simulator, string) {
	t.Helper()
	sim := simulator.New(simulator.Options{Token: replicaSimulatorToken, Seed: true})
	server := httptest.NewServer(sim)
	t.Cleanup(server.Close)
	return sim, server.URL + "/api"
}

// undeployedModelID returns the id of a catalog model without a deployment.
func undeployedModelID(t *testing.T, mcpClient *client.Client) string {
	t.Helper()
	deployed := map[string]bool{}
	var deployments struct {
		Deployments []struct {
			ModelID string `json:"modelId"`
		} `json:"deployments"`
	}
	decodeTool(t, mcpClient, "list_deployments", &deployments)
	for _, deployment := range deployments.Deployments {
		deployed[deployment.ModelID] = true
	}

	var page struct {
		Models []tools.ModelRow `json:"models"`
	}
	decodeTool(t, mcpClient, "list_models", &page)
	for _, model := range page.Models {
		if !deployed[model.ID] {
			return model.ID
		}
	}
	t.Fatal("every catalog model already has a deployment")
	return ""
}

// decodeTool calls a tool without arguments and decodes its JSON result.
func decodeTool(t *testing.T, mcpClient *client.Client, name string, out any) {
	t.Helper()
	result, err := tryTool(mcpClient, name, map[string]any{})
	require.NoError(t, err)
	require.False(t, result.IsError, resultText(result))
	require.NoError(t, json.Unmarshal([]byte(resultText(result)), out), resultText(result))
}

func TestReplicasBehindRoundRobin(t *testing.T) {
	sim, baseURL := sharedSimulator(t)
	keyFile := writeStateKey(t)
	const burst = 4
	limits := []string{"--state-key-file", keyFile, "--rate-limit-per-minute", "1", "--rate-limit-burst", "4"}
	replicas := []*replica{startReplica(t, baseURL, limits...), startReplica(t, baseURL, limits...)}
	lb := newLoadBalancer(t, false, replicas...)

	// 2026-07-28 requests are stateless: consecutive calls land on both
	// replicas and all succeed.
	user := &approver{}
	modern, err := connectThrough(t, lb.url, mcp.ProtocolVersion20260728, user)
	require.NoError(t, err)
	modelID := undeployedModelID(t, modern)
	calls := lb.toolCalls()
	require.Len(t, calls, 2)
	require.NotEqual(t, calls[0].backend, calls[1].backend, "round robin spreads the calls")

	// The approval state issued by one replica verifies on the other: the
	// client's retry with requestState lands on the other replica.
	result, err := tryTool(modern, "deploy_model", map[string]any{"modelId": modelID})
	require.NoError(t, err)
	require.False(t, result.IsError, resultText(result))
	require.Equal(t, 1, user.elicitations)
	calls = lb.toolCalls()
	require.Len(t, calls, 4)
	require.NotEqual(t, calls[2].backend, calls[3].backend, "the approval round trip crossed replicas")
	require.EqualValues(t, 1, sim.Stats().DeploymentsCreated)

	// Rate limits are per replica: the principal (here the proxy's address,
	// as authentication is off) gets burst calls from each replica.
	for attempt := 0; attempt < 2*burst; attempt++ {
		if _, err = tryTool(modern, "list_deployments", map[string]any{}); err != nil {
			break
		}
	}
	require.ErrorContains(t, err, "rate limit exceeded")
	served := map[int]int{}
	limited := 0
	for _, call := range lb.toolCalls() {
		switch call.status {
		case http.StatusOK:
			served[call.backend]++
		case http.StatusTooManyRequests:
			limited++
		}
	}
	require.Equal(t, map[int]int{0: burst, 1: burst}, served)
	require.Equal(t, 1, limited)

	// Each replica counts what it served; summed, the metrics match.
	sum := func(series string) float64 {
		total := 0.0
		for _, r := range replicas {
			total += metricValue(t, r.base, series)
		}
		return total
	}
	require.Equal(t, 1.0, sum(`rational_mcp_approvals_total{decision="input_required"}`))
	require.Equal(t, 1.0, sum(`rational_mcp_approvals_total{decision="approved"}`))
	require.Equal(t, 1.0, sum(`rational_mcp_rate_limited_total`))
	// Every served call but the one that asked for approval ended ok.
	require.Equal(t, float64(2*burst-1), sum(`rational_mcp_tool_calls_total{outcome="ok",tool="list_deployments"}`)+
		sum(`rational_mcp_tool_calls_total{outcome="ok",tool="list_models"}`)+sum(`rational_mcp_tool_calls_total{outcome="ok",tool="deploy_model"}`))

	// A 2025-era session lives on one replica. Without sticky routing the
	// next request reaches the other replica, which returns 404, and
	// mcp-go reports a terminated session so the caller reconnects.
	_, err = connectThrough(t, lb.url, mcp.ProtocolVersion20251125, nil)
	require.ErrorIs(t, err, transport.ErrSessionTerminated)
	// The replica logs before it responds, but its stderr is read
	// asynchronously.
	require.Eventually(t, func() bool {
		for _, r := range replicas {
			if strings.Contains(r.stderr.String(), "asked the client to reconnect") {
				return true
			}
		}
		return false
	}, 5*time.Second, 10*time.Millisecond, "no replica logged the reconnect response")
}

func TestReplicasStickySessions(t *testing.T) {
	_, baseURL := sharedSimulator(t)
	keyFile := writeStateKey(t)
	replicas := []*replica{startReplica(t, baseURL, "--state-key-file", keyFile), startReplica(t, baseURL, "--state-key-file", keyFile)}
	lb := newLoadBalancer(t, true, replicas...)

	legacy, err := connectThrough(t, lb.url, mcp.ProtocolVersion20251125, nil)
	require.NoError(t, err)
	for range 3 {
		result, err := tryTool(legacy, "list_deployments", map[string]any{})
		require.NoError(t, err)
		require.False(t, result.IsError, resultText(result))
	}
	calls := lb.toolCalls()
	require.Len(t, calls, 3)
	for _, call := range calls {
		require.Equal(t, calls[0].backend, call.backend, "every call of the session reached its replica")
	}
}

func TestReplicasWithoutSharedKeyRejectApproval(t *testing.T) {
	sim, baseURL := sharedSimulator(t)
	replicas := []*replica{startReplica(t, baseURL), startReplica(t, baseURL)}
	lb := newLoadBalancer(t, false, replicas...)

	modern, err := connectThrough(t, lb.url, mcp.ProtocolVersion20260728, &approver{})
	require.NoError(t, err)
	modelID := undeployedModelID(t, modern)
	result, err := tryTool(modern, "deploy_model", map[string]any{"modelId": modelID})
	require.NoError(t, err)
	require.True(t, result.IsError, "a state signed with another replica's random key is rejected")
	require.Contains(t, resultText(result), `"reason":"tampered"`)
	require.Zero(t, sim.Stats().DeploymentsCreated)
}

func TestUpstreamCredentialsFromHeader(t *testing.T) {
	_, baseURL := sharedSimulator(t)
	process := startReplica(t, baseURL, "--upstream-credentials", "header", "--log-level", "debug")

	without, err := connectThrough(t, process.base+"/mcp", mcp.ProtocolVersion20260728, nil)
	require.NoError(t, err)
	result, err := tryTool(without, "list_deployments", map[string]any{})
	require.NoError(t, err)
	require.True(t, result.IsError)
	require.Contains(t, resultText(result), "X-Rational-Api-Token")

	httpTransport, err := transport.NewStreamableHTTP(process.base+"/mcp",
		transport.WithHTTPHeaders(map[string]string{"X-Rational-Api-Token": replicaSimulatorToken}))
	require.NoError(t, err)
	with := client.NewClient(httpTransport, client.WithProtocolVersion(mcp.ProtocolVersion20260728))
	t.Cleanup(func() { _ = with.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, with.Start(ctx))
	_, err = with.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.ProtocolVersion20260728,
		ClientInfo:      mcp.Implementation{Name: "replicas-test", Version: "1"},
	}})
	require.NoError(t, err)
	result, err = tryTool(with, "list_deployments", map[string]any{})
	require.NoError(t, err)
	require.False(t, result.IsError, resultText(result))

	process.stop()
	require.Contains(t, process.stderr.String(), "ignoring the Control Room token in the environment")
	require.NotContains(t, process.stderr.String(), replicaSimulatorToken, "the header value is never logged, even at debug level")
}
