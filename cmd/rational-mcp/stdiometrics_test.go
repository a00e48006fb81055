package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"
)

// freeLoopbackAddr returns a loopback address with a port that was free a
// moment ago.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := listener.Addr().String()
	require.NoError(t, listener.Close())
	return addr
}

func TestStdioMetricsAddr(t *testing.T) {
	addr := freeLoopbackAddr(t)
	mcpClient, _ := stdioClient(t, mcp.ProtocolVersion20251125, []string{"--demo", "--metrics-addr", addr})
	result, text := callTool(t, mcpClient, "list_deployments", nil)
	require.False(t, result.IsError, text)

	response, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + addr + "/metrics")
	require.NoError(t, err)
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, response.StatusCode)
	require.Contains(t, string(body), `rational_mcp_tool_calls_total{outcome="ok",tool="list_deployments"} 1`)
}

func TestStdioMetricsAddrRejectsNonLoopback(t *testing.T) {
	var stdout, stderr strings.Builder
	err := run(context.Background(), []string{"stdio", "--demo", "--metrics-addr", "0.0.0.0:9464"},
		strings.NewReader(""), &stdout, &stderr, noEnv)
	require.ErrorContains(t, err, "not a loopback address")
	require.Empty(t, stdout.String())
}
