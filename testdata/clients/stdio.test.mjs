// Raw stdio checks that SDK clients hide. Stdout carries only JSON-RPC
// messages. A message over 64 KiB and a CRLF-terminated line are read. The
// process exits by itself with status 0 when stdin closes. Arguments are
// accepted in the forms models send: 3.0 for an integer, numeric strings,
// null or absent arguments.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

import { STDIO_ARGS, binaryPath, recordPid } from './lib/server.mjs';

/** Time the process gets to respond and exit, in milliseconds. */
const EXIT_TIMEOUT_MS = 15_000;

test('stdio framing and clean exit', { timeout: 30_000 }, async () => {
  const child = spawn(binaryPath(), STDIO_ARGS, { stdio: ['pipe', 'pipe', 'pipe'] });
  recordPid(child.pid);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killTimer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);

  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk.toString();
  });

  // Resolves once responses with every id given have arrived on stdout.
  const responses = new Map();
  const waitFor = (ids) => new Promise((resolve, reject) => {
    const check = () => {
      for (const line of stdout.split('\n')) {
        if (line.trim() === '') {
          continue;
        }
        try {
          const message = JSON.parse(line);
          if (message.id !== undefined) {
            responses.set(message.id, message);
          }
        } catch {
          // A partial line; the assertions below reject non-JSON lines.
        }
      }
      if (ids.every((id) => responses.has(id))) {
        child.stdout.off('data', check);
        resolve();
      }
    };
    child.stdout.on('data', check);
    exited.then(() => reject(new Error(`the server exited before responding to ids ${ids}; stderr:\n${stderr}`)));
    check();
  });

  try {
    const send = (message, terminator = '\n') => child.stdin.write(JSON.stringify(message) + terminator);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'stdio-test', version: '1.0.0' } },
    });
    await waitFor([1]);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });

    // CRLF line ending.
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, '\r\n');

    // About 80 KiB in one line. The argument is longer than the schema
    // allows, so a tool error that names it proves the whole line was read.
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_models', arguments: { text: 'x'.repeat(80 * 1024) } } });

    // A normal call after the large one still works.
    send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'list_models', arguments: { size: 1 } } });
    await waitFor([2, 3, 4]);
    child.stdin.end();

    const { code, signal } = await exited;
    assert.equal(signal, null, `the server was killed (${signal}) because it did not exit after stdin closed; stderr:\n${stderr}`);
    assert.equal(code, 0, `exit status; stderr:\n${stderr}`);

    for (const line of stdout.split('\n').filter((text) => text.trim() !== '')) {
      let message;
      assert.doesNotThrow(() => {
        message = JSON.parse(line);
      }, `stdout line is not JSON: ${line.slice(0, 200)}`);
      assert.equal(message.jsonrpc, '2.0', `stdout line is not JSON-RPC: ${line.slice(0, 200)}`);
    }

    assert.equal(responses.get(1).result?.serverInfo?.name, 'rational-mcp');
    assert.equal(responses.get(2).result?.tools?.length, 11, 'tools/list after a CRLF line');
    assert.equal(responses.get(3).result?.isError, true, `80 KiB call: ${JSON.stringify(responses.get(3)).slice(0, 300)}`);
    assert.match(responses.get(3).result.content[0].text, /text/);
    assert.notEqual(responses.get(4).result?.isError, true, `call after the large one: ${JSON.stringify(responses.get(4)).slice(0, 300)}`);
    assert.equal(responses.get(4).result?.structuredContent?.models?.length, 1);
  } finally {
    clearTimeout(killTimer);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
});

test('arguments as models send them', { timeout: 30_000 }, async () => {
  const child = spawn(binaryPath(), STDIO_ARGS, { stdio: ['pipe', 'pipe', 'pipe'] });
  recordPid(child.pid);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killTimer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  child.stderr.resume();

  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk.toString();
  });

  // Raw lines, because JSON.stringify cannot write 3.0 for an integer.
  const lines = [
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"stdio-test","version":"1.0.0"}}}',
    '{"jsonrpc":"2.0","method":"notifications/initialized"}',
    '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_models","arguments":{"size":3.0}}}',
    '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_models","arguments":{"page":"0","size":"2.0"}}}',
    '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"list_deployments","arguments":null}}',
    '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"list_deployments"}}',
    '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"list_models","arguments":{"size":2.5}}}',
  ];
  try {
    child.stdin.write(lines.join('\n') + '\n');
    const responses = await new Promise((resolve, reject) => {
      const check = () => {
        const byId = new Map();
        for (const line of stdout.split('\n')) {
          try {
            const message = JSON.parse(line);
            byId.set(message.id, message);
          } catch {
            // A partial line.
          }
        }
        if ([2, 3, 4, 5, 6].every((id) => byId.has(id))) {
          resolve(byId);
        }
      };
      child.stdout.on('data', check);
      exited.then(() => reject(new Error(`the server exited early; stdout:\n${stdout}`)));
    });
    child.stdin.end();

    const models = (id) => responses.get(id).result?.structuredContent?.models;
    assert.equal(models(2)?.length, 3, `size 3.0: ${JSON.stringify(responses.get(2)).slice(0, 300)}`);
    assert.equal(models(3)?.length, 2, `size "2.0": ${JSON.stringify(responses.get(3)).slice(0, 300)}`);
    assert.ok(Array.isArray(responses.get(4).result?.structuredContent?.deployments), `null arguments: ${JSON.stringify(responses.get(4)).slice(0, 300)}`);
    assert.ok(Array.isArray(responses.get(5).result?.structuredContent?.deployments), `absent arguments: ${JSON.stringify(responses.get(5)).slice(0, 300)}`);
    assert.equal(responses.get(6).result?.isError, true, `size 2.5 must be rejected: ${JSON.stringify(responses.get(6)).slice(0, 300)}`);
    assert.match(responses.get(6).result.content[0].text, /size/);

    const { code } = await exited;
    assert.equal(code, 0);
  } finally {
    clearTimeout(killTimer);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
});
