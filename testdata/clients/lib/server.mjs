// Starts and stops the rational-mcp binary for the client suites.
//
// The binary comes from RATIONAL_MCP_BIN (run.sh builds it). Every server
// runs with --demo on 127.0.0.1 with a port picked by the OS, and its pid is
// appended to RATIONAL_MCP_PID_FILE when set, so run.sh can stop anything a
// crashed test left behind.

import { spawn } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';

/** Maximum time for the HTTP server to report its address, in milliseconds. */
const START_TIMEOUT_MS = 15_000;

/** Maximum time a stopped server gets to exit after SIGTERM, in milliseconds. */
const STOP_TIMEOUT_MS = 5_000;

/** Maximum stderr kept per server for failure messages, in characters. */
const STDERR_KEEP_CHARS = 20_000;

/**
 * Returns the path of the binary under test, or throws with what to set.
 */
export function binaryPath() {
  const path = process.env.RATIONAL_MCP_BIN;
  if (!path) {
    throw new Error('RATIONAL_MCP_BIN is not set; run testdata/clients/run.sh, or build the binary and point RATIONAL_MCP_BIN at it');
  }
  if (!existsSync(path)) {
    throw new Error(`RATIONAL_MCP_BIN=${path} does not exist; build it with go build -o ${path} ./cmd/rational-mcp`);
  }
  return path;
}

/** The arguments that serve MCP over stdio on the embedded simulator. */
export const STDIO_ARGS = ['stdio', '--demo'];

/**
 * Records the pid of a server this process started, for run.sh's cleanup.
 */
export function recordPid(pid) {
  const file = process.env.RATIONAL_MCP_PID_FILE;
  if (file && pid) {
    appendFileSync(file, `${pid}\n`);
  }
}

/**
 * Starts `rational-mcp http --demo` on 127.0.0.1 with an OS-picked port and
 * resolves once the server has logged its address. Resolves to
 * { url, origin, stderr(), stop() }; stop() sends SIGTERM, waits for the exit
 * and falls back to SIGKILL.
 */
export async function startHttpServer(extraArgs = []) {
  const child = spawn(binaryPath(), ['http', '--demo', '--addr', '127.0.0.1:0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordPid(child.pid);

  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const collect = (chunk) => {
    output = (output + chunk.toString()).slice(-STDERR_KEEP_CHARS);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  // The server logs `serving MCP over streamable HTTP ... addr=127.0.0.1:PORT`
  // once it accepts connections.
  const addressPattern = /serving MCP over streamable HTTP.*?\baddr=(127\.0\.0\.1:\d+)/;
  try {
    const addr = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the HTTP server logged no address within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const check = () => {
        const match = addressPattern.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the HTTP server exited before serving (code ${code}, signal ${signal})`));
      });
    });
    const origin = `http://${addr}`;
    return { url: `${origin}/mcp`, origin, stderr: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error.message}; server output:\n${output}`);
  }
}

/**
 * Runs fn with a fresh HTTP server and always stops the server afterwards.
 */
export async function withHttpServer(fn, extraArgs = []) {
  const server = await startHttpServer(extraArgs);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}
