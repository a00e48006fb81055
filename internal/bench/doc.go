// Package bench measures rational-mcp as users run it: start-up, per-call
// latency over stdio and streamable HTTP, throughput, memory, the size of
// replies in tokens, and list_models over large catalogs. Run drives the
// built binary in demo mode through its real transports, and the embedded
// simulator in process, and returns a Report whose rows carry the median and
// spread over repeated runs and the target each figure is held to. Every
// server it starts listens on 127.0.0.1 and stops when Run returns.
package bench
