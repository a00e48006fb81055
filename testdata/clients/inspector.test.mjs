// Smoke run of the MCP Inspector CLI (v2, `--cli`) against the binary over
// stdio and streamable HTTP, in both protocol eras: `--protocol-era legacy`
// (2025-11-25 initialize handshake) and `--protocol-era modern` (2026-07-28).
// The HTTP runs share one server, so they only read or ask for approval.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { EXPECTED_TOOLS } from './lib/assertions.mjs';
import { STDIO_ARGS, binaryPath, startHttpServer } from './lib/server.mjs';

const INSPECTOR = join(import.meta.dirname, 'node_modules', '.bin', 'inspector');

/** Time limit of one Inspector run, in milliseconds. */
const RUN_TIMEOUT_MS = 60_000;

/** Time limit of a run that starts the server with `go run`, in milliseconds. */
const CONFIG_RUN_TIMEOUT_MS = 300_000;

const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The Inspector's exit status when a tool result has isError: true. */
const EXIT_TOOL_IS_ERROR = 5;

/** A well-formed model id that the simulator does not hold. */
const UNKNOWN_MODEL_ID = '3f2b8c1e-9a4d-4c2e-8f1a-420f1c9176bc';

/** A seeded demo model without a deployment. */
const UNDEPLOYED_MODEL = 'meta-llama/Llama-3.1-70B-Instruct';

/** Key under which a 2026-07-28 server identifies itself in result _meta. */
const SERVER_INFO_META = 'io.modelcontextprotocol/serverInfo';

// The Inspector keeps its catalog and secrets under HOME, so a private HOME
// keeps the runs from reading or writing the user's. `go run` from mcp.json
// still finds the Go caches, which run.sh exports as GOPATH, GOMODCACHE and
// GOCACHE.
const home = mkdtempSync(join(tmpdir(), 'rational-mcp-inspector-'));

/**
 * Runs the Inspector CLI with a target ({ url } for HTTP, { config, server }
 * for an entry of a client configuration file run from the repository root,
 * or {} for the stdio binary) and options, and resolves to
 * { code, stdout, stderr, json }.
 */
function runInspector(target, options) {
  const args = [INSPECTOR, '--cli', '--format', 'json', ...options];
  if (target.url) {
    args.push('--server-url', target.url, '--transport', 'http');
  } else if (target.config) {
    // MCP clients pass only a few variables (HOME, PATH, ...) to a stdio
    // server, so the Go caches are passed explicitly.
    args.push('--config', target.config, '--server', target.server);
    for (const name of ['GOPATH', 'GOMODCACHE', 'GOCACHE', 'GOFLAGS']) {
      if (process.env[name] !== undefined) {
        args.push('-e', `${name}=${process.env[name]}`);
      }
    }
  } else {
    args.push('--', binaryPath(), ...STDIO_ARGS);
  }
  return new Promise((resolve) => {
    execFile(process.execPath, args, {
      cwd: target.config ? REPO_ROOT : undefined,
      timeout: target.config ? CONFIG_RUN_TIMEOUT_MS : RUN_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      maxBuffer: 16 * 1024 * 1024,
      env: {
        ...process.env,
        HOME: home,
        MCP_INSPECTOR_SECRET_STORE: 'memory',
      },
    }, (error, stdout, stderr) => {
      let json;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code: error ? error.code ?? 'killed' : 0, stdout, stderr, json });
    });
  });
}

/** Formats a run for a failure message. */
function describeRun(run) {
  return `exit ${run.code}\nstdout: ${run.stdout.slice(0, 1500)}\nstderr: ${run.stderr.slice(-1500)}`;
}

let server;

before(async () => {
  server = await startHttpServer();
});

after(async () => {
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
});

for (const transportKind of ['stdio', 'http']) {
  for (const era of ['legacy', 'modern']) {
    describe(`inspector --cli over ${transportKind}, ${era} era`, () => {
      const target = () => (transportKind === 'http' ? { url: server.url } : {});

      test('tools/list passes --strict', { timeout: RUN_TIMEOUT_MS }, async () => {
        const run = await runInspector(target(), ['--protocol-era', era, '--method', 'tools/list', '--strict']);
        assert.equal(run.code, 0, describeRun(run));
        const names = (run.json?.result?.tools ?? []).map((tool) => tool.name).sort();
        assert.deepEqual(names, Object.keys(EXPECTED_TOOLS).sort(), describeRun(run));
      });

      test('tools/call list_models returns rows', { timeout: RUN_TIMEOUT_MS }, async () => {
        const run = await runInspector(target(), ['--protocol-era', era, '--method', 'tools/call', '--tool-name', 'list_models', '--tool-arg', 'size=2']);
        assert.equal(run.code, 0, describeRun(run));
        const result = run.json?.result;
        assert.notEqual(result?.isError, true, describeRun(run));
        assert.equal(result?.structuredContent?.models?.length, 2, describeRun(run));

        // Only the 2026-07-28 protocol puts serverInfo into result _meta, so
        // its presence shows which era the Inspector negotiated.
        const serverInfo = result?._meta?.[SERVER_INFO_META];
        if (era === 'modern') {
          assert.equal(serverInfo?.name, 'rational-mcp', `no ${SERVER_INFO_META} in a modern-era result: ${describeRun(run)}`);
        } else {
          assert.equal(serverInfo, undefined, `a legacy-era result carries ${SERVER_INFO_META}: ${describeRun(run)}`);
        }
      });

      test('tools/call deploy_model needs approval', { timeout: 2 * RUN_TIMEOUT_MS }, async () => {
        // The Inspector CLI does not handle elicitations, so a guarded call
        // returns approval_required and runs nothing.
        const listed = await runInspector(target(), ['--protocol-era', era, '--method', 'tools/call', '--tool-name', 'list_models', '--tool-arg', `text=${UNDEPLOYED_MODEL}`]);
        assert.equal(listed.code, 0, describeRun(listed));
        const modelId = listed.json?.result?.structuredContent?.models?.[0]?.[0];
        assert.ok(modelId, `list_models found no ${UNDEPLOYED_MODEL}: ${describeRun(listed)}`);

        const run = await runInspector(target(), ['--protocol-era', era, '--method', 'tools/call', '--tool-name', 'deploy_model', '--tool-arg', `modelId=${modelId}`]);
        assert.equal(run.code, 0, describeRun(run));
        const structured = run.json?.result?.structuredContent;
        assert.equal(structured?.status, 'approval_required', describeRun(run));
        assert.match(structured.approvalUrl, /^http:\/\/127\.0\.0\.1:\d+\//);
      });

      test('tools/call error sets isError', { timeout: RUN_TIMEOUT_MS }, async () => {
        const run = await runInspector(target(), ['--protocol-era', era, '--method', 'tools/call', '--tool-name', 'get_model', '--tool-arg', `modelId=${UNKNOWN_MODEL_ID}`]);
        assert.equal(run.code, EXIT_TOOL_IS_ERROR, describeRun(run));
        const result = run.json?.result;
        assert.equal(result?.isError, true, describeRun(run));
        assert.match(result.content[0].text, new RegExp(`${UNKNOWN_MODEL_ID}.*not found`), describeRun(run));
      });
    });
  }
}

test('mcp.json starts the demo server', { timeout: CONFIG_RUN_TIMEOUT_MS }, async () => {
  const run = await runInspector({ config: join(REPO_ROOT, 'mcp.json'), server: 'rational' }, [
    '--method', 'tools/call', '--tool-name', 'list_models', '--tool-arg', 'size=1',
  ]);
  assert.equal(run.code, 0, describeRun(run));
  assert.equal(run.json?.result?.structuredContent?.models?.length, 1, describeRun(run));
});
