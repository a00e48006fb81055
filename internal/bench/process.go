package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// stdioServer is the binary serving MCP over stdio in demo mode.
type stdioServer struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	nextID int
}

// startStdio starts binary in demo stdio mode. Logs on stderr are
// discarded; only warnings and errors are written, as a quiet IDE setup
// would configure it.
func startStdio(ctx context.Context, binary string) (*stdioServer, error) {
	return startStdioCommand(exec.CommandContext(ctx, binary, "stdio", "--demo", "--log-level", "warn"))
}

// startStdioUpstream starts binary in stdio mode against the Control Room
// at baseURL, a loopback server of the harness.
func startStdioUpstream(ctx context.Context, binary, baseURL, token string) (*stdioServer, error) {
	cmd := exec.CommandContext(ctx, binary, "stdio", "--log-level", "warn")
	cmd.Env = upstreamEnvironment(baseURL, token)
	return startStdioCommand(cmd)
}

// upstreamEnvironment returns the harness's environment without the
// variables that configure a Control Room, plus those that point the
// server at baseURL, so the server can reach nothing else.
func upstreamEnvironment(baseURL, token string) []string {
	var env []string
	for _, variable := range os.Environ() {
		if !strings.HasPrefix(variable, "RATIONAL_") {
			env = append(env, variable)
		}
	}
	return append(env, controlroom.EnvBaseURL+"="+baseURL, controlroom.EnvToken+"="+token)
}

func startStdioCommand(cmd *exec.Cmd) (*stdioServer, error) {
	binary := cmd.Path
	cmd.Stderr = io.Discard
	cmd.WaitDelay = 5 * time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	return &stdioServer{cmd: cmd, stdin: stdin, stdout: bufio.NewReaderSize(stdout, 1<<20), nextID: 1}, nil
}

// roundTrip writes one request line and returns the next response line.
// The server sends no notifications to this client, so the next line is the
// response.
func (s *stdioServer) roundTrip(message []byte) ([]byte, error) {
	if _, err := s.stdin.Write(append(message, '\n')); err != nil {
		return nil, fmt.Errorf("write to the server's stdin: %w", err)
	}
	line, err := s.stdout.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("read the server's stdout: %w", err)
	}
	return bytes.TrimSpace(line), nil
}

// id returns a fresh request id.
func (s *stdioServer) id() int {
	s.nextID++
	return s.nextID
}

// initialize runs the initialize handshake.
func (s *stdioServer) initialize() error {
	line, err := s.roundTrip(initializeRequest(s.id()))
	if err != nil {
		return err
	}
	if _, err := checkResponse(line); err != nil {
		return fmt.Errorf("initialize: %w", err)
	}
	_, err = s.stdin.Write(append(initializedNotification(), '\n'))
	return err
}

// call runs one tools/call and returns its latency and result.
func (s *stdioServer) call(tool string, arguments map[string]any) (time.Duration, []byte, error) {
	message := callRequest(s.id(), tool, arguments)
	started := time.Now()
	line, err := s.roundTrip(message)
	elapsed := time.Since(started)
	if err != nil {
		return 0, nil, err
	}
	if _, err := checkResponse(line); err != nil {
		return 0, nil, fmt.Errorf("%s: %w", tool, err)
	}
	return elapsed, line, nil
}

// ping runs one ping, the cheapest request, and returns its latency.
func (s *stdioServer) ping() (time.Duration, error) {
	message := pingRequest(s.id())
	started := time.Now()
	line, err := s.roundTrip(message)
	elapsed := time.Since(started)
	if err != nil {
		return 0, err
	}
	if _, err := checkResponse(line); err != nil {
		return 0, fmt.Errorf("ping: %w", err)
	}
	return elapsed, nil
}

// stop closes stdin, which ends the server, and waits for it.
func (s *stdioServer) stop() {
	_ = s.stdin.Close()
	done := make(chan struct{})
	go func() {
		_ = s.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// httpServerProcess is the binary serving streamable HTTP in demo mode on a
// loopback port chosen by the kernel.
type httpServerProcess struct {
	cmd      *exec.Cmd
	endpoint string
}

// startHTTP starts binary in demo HTTP mode on 127.0.0.1:0 and reads the
// MCP endpoint from the line the server prints on stderr.
func startHTTP(ctx context.Context, binary string) (*httpServerProcess, error) {
	cmd := exec.CommandContext(ctx, binary, "http", "--demo", "--addr", "127.0.0.1:0", "--log-level", "warn")
	return startHTTPCommand(cmd)
}

// startHTTPUpstream starts binary in HTTP mode against the Control Room at
// baseURL, a loopback server of the harness.
func startHTTPUpstream(ctx context.Context, binary, baseURL, token string) (*httpServerProcess, error) {
	cmd := exec.CommandContext(ctx, binary, "http", "--addr", "127.0.0.1:0", "--log-level", "warn")
	cmd.Env = upstreamEnvironment(baseURL, token)
	return startHTTPCommand(cmd)
}

func startHTTPCommand(cmd *exec.Cmd) (*httpServerProcess, error) {
	binary := cmd.Path
	cmd.WaitDelay = 5 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}

	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stderr)
		for scanner.Scan() {
			line := scanner.Text()
			if _, rest, ok := strings.Cut(line, "MCP endpoint "); ok {
				endpoint, _, _ := strings.Cut(rest, " ")
				found <- endpoint
			}
		}
		close(found)
	}()

	select {
	case endpoint, ok := <-found:
		if !ok || !strings.HasPrefix(endpoint, "http://127.0.0.1:") {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return nil, fmt.Errorf("%s http did not print a 127.0.0.1 MCP endpoint line on stderr", binary)
		}
		return &httpServerProcess{cmd: cmd, endpoint: endpoint}, nil
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("%s http printed no MCP endpoint within 10s", binary)
	}
}

// stop sends SIGINT, which starts a graceful shutdown, and waits.
func (p *httpServerProcess) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() {
		_ = p.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// residentMegabytes reads VmRSS of process pid from /proc, in MiB.
func residentMegabytes(pid int) (float64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read the RSS of process %d: %w", pid, err)
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		value, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) != 2 || fields[1] != "kB" {
			break
		}
		kilobytes, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			break
		}
		return kilobytes / 1024, nil
	}
	return 0, errors.New("no VmRSS line in /proc/" + strconv.Itoa(pid) + "/status")
}

// userHZ is the unit of the CPU times in /proc/PID/stat: clock ticks of
// 1/100 s on Linux, whatever the kernel's own tick rate.
const userHZ = 100

// processCPU reads the user plus system CPU time that process pid has used.
func processCPU(pid int) (time.Duration, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read the CPU time of process %d: %w", pid, err)
	}
	// The command name in parentheses may contain spaces, so fields are
	// counted after its closing parenthesis: utime and stime are the 12th
	// and 13th fields there (14th and 15th of the whole line).
	closing := bytes.LastIndexByte(stat, ')')
	if closing < 0 {
		return 0, fmt.Errorf("/proc/%d/stat has no command name", pid)
	}
	fields := strings.Fields(string(stat[closing+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat has %d fields after the command name, want at least 13", pid, len(fields))
	}
	var ticks int64
	for _, field := range fields[11:13] {
		value, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: CPU time %q is not an integer", pid, field)
		}
		ticks += value
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}
