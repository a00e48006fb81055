// Package reliability holds the suites that check rational-mcp under
// injected Control Room faults, malformed tool calls, transport abuse and
// secret leaks. It has no production code: every suite is a test that runs
// the real MCP server against the simulator over real HTTP and prints its
// figures with go test -v. docs/reliability.md lists them.
package reliability
