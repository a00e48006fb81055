// Package bench measures rational-mcp as users run it: start-up, per-call
// latency over stdio and streamable HTTP, throughput, memory, the size of
// replies in tokens, and list_models over large catalogs. Run drives the
// built binary through its real transports, in demo mode or configured for a
// simulator in this process, and drives the simulator, the Control Room
// client and the MCP server in process where the binary cannot be used. It
// returns a Report whose rows carry the median and spread over repeated runs
// and the target each figure is held to. Every server it starts listens on
// 127.0.0.1 and stops when Run returns.
package bench
