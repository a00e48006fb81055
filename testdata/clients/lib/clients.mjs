// Connects the official TypeScript MCP clients to the binary under test.
//
// Two SDK lines are covered: @modelcontextprotocol/sdk v1 speaks the
// 2025-11-25 protocol (initialize handshake, sessions), and
// @modelcontextprotocol/client v2 pinned to 2026-07-28 speaks the stateless
// protocol (server/discover, per-request _meta). By default both declare the
// elicitation capability and respond to every elicitation with "accept",
// recording it, so a guarded tool can run through its approval round trip.

import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';

import { binaryPath, recordPid, STDIO_ARGS } from './server.mjs';

/** Client identity sent to the server. */
const CLIENT_INFO = { name: 'rational-mcp-e2e', version: '1.0.0' };

/** Time limit of one request, in milliseconds. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Maximum stderr kept per stdio server for failure messages, in characters. */
const STDERR_KEEP_CHARS = 20_000;

/** The client variants that the end-to-end suite runs, by SDK and protocol. */
export const CLIENT_VARIANTS = [
  { sdk: 'sdk v1', protocol: '2025-11-25' },
  { sdk: 'sdk v2', protocol: '2026-07-28' },
];

/**
 * Builds the content of an "accept" response to an elicitation: true for
 * booleans, the approving option of an enum (or its first), "yes" for
 * strings and the minimum (or 0) for numbers.
 */
export function acceptContent(requestedSchema) {
  const content = {};
  for (const [name, property] of Object.entries(requestedSchema?.properties ?? {})) {
    if (property.type === 'boolean') {
      content[name] = true;
    } else if (Array.isArray(property.enum) && property.enum.length > 0) {
      content[name] = property.enum.find((option) => /approve|accept|confirm|yes|allow/i.test(option)) ?? property.enum[0];
    } else if (property.type === 'string') {
      content[name] = 'yes';
    } else if (property.type === 'number' || property.type === 'integer') {
      content[name] = property.minimum ?? 0;
    }
  }
  return content;
}

/**
 * Connects a client of the given variant over 'stdio' (spawning the binary
 * with `stdio --demo` and serverArgs) or 'http' (to serverUrl). With
 * elicitation false the client declares no elicitation capability. For SDK
 * v2, negotiation replaces the pinned version negotiation mode. Resolves to
 * { client, protocolVersion, elicitations, stderr(), close() }, where
 * protocolVersion is the negotiated version (v2 only, undefined for v1).
 */
export async function connectClient(variant, transportKind, serverUrl, { elicitation = true, serverArgs = [], negotiation } = {}) {
  const elicitations = [];
  const onElicit = (params) => {
    elicitations.push(params);
    return { action: 'accept', content: acceptContent(params.requestedSchema) };
  };

  let stderr = '';
  const keepStderr = (transport) => {
    transport.stderr?.on('data', (chunk) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_KEEP_CHARS);
    });
  };
  const stdioParams = { command: binaryPath(), args: [...STDIO_ARGS, ...serverArgs], stderr: 'pipe' };

  let client;
  let transport;
  if (variant.sdk === 'sdk v1') {
    client = new ClientV1(CLIENT_INFO, { capabilities: elicitation ? { elicitation: {} } : {} });
    if (elicitation) {
      client.setRequestHandler(ElicitRequestSchema, async (request) => onElicit(request.params));
    }
    transport = transportKind === 'stdio' ? new StdioV1(stdioParams) : new HttpV1(new URL(serverUrl));
  } else {
    client = new ClientV2(CLIENT_INFO, {
      capabilities: elicitation ? { elicitation: {} } : {},
      versionNegotiation: { mode: negotiation ?? { pin: variant.protocol } },
    });
    if (elicitation) {
      client.setRequestHandler('elicitation/create', async (request) => onElicit(request.params));
    }
    transport = transportKind === 'stdio' ? new StdioV2(stdioParams) : new HttpV2(new URL(serverUrl));
  }
  if (transportKind === 'stdio') {
    keepStderr(transport);
  }

  await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
  if (transportKind === 'stdio') {
    recordPid(transport.pid);
  }

  // The v1 SDK keeps the negotiated version to itself; v2 reports it.
  const protocolVersion = variant.sdk === 'sdk v1' ? undefined : client.getNegotiatedProtocolVersion();

  return {
    client,
    protocolVersion,
    elicitations,
    stderr: () => stderr,
    close: () => client.close(),
  };
}
