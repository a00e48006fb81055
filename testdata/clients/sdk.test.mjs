// End-to-end suite: the official TypeScript SDK clients drive every tool of
// `rational-mcp --demo` over stdio and streamable HTTP, in the 2025-11-25
// protocol (SDK v1) and the 2026-07-28 protocol (SDK v2).
//
// Each suite gets its own server process, so the simulator starts from its
// seeded catalog. Guarded tools (deploy, pause, cancel, delete) may run at
// once, run after an elicitation that the client accepts, or return
// approval_required. The suite accepts each outcome and checks its shape.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  EXPECTED_TOOLS,
  assertApprovalRequired,
  assertElicitation,
  assertStructured,
  assertToolError,
  guardedOutcome,
  resultText,
  schemaProblemsOf,
} from './lib/assertions.mjs';
import { CLIENT_VARIANTS, REQUEST_TIMEOUT_MS, connectClient } from './lib/clients.mjs';
import { startHttpServer } from './lib/server.mjs';

/** A Hugging Face repo id, registered under a fresh name per suite. */
const HF_REPO = 'Qwen/Qwen2.5-7B-Instruct';

/** A well-formed model id that the simulator does not hold. */
const UNKNOWN_MODEL_ID = '3f2b8c1e-9a4d-4c2e-8f1a-420f1c9176bc';

/** A well-formed deployment id that the simulator does not hold. */
const UNKNOWN_DEPLOYMENT_ID = 'model-e2e-unknown-0123456789ab';

const TEST_OPTIONS = { timeout: 60_000 };

/**
 * Asserts the flat result of register_model: { modelId, name,
 * alreadyExisted, message }, with no nested model record.
 */
function assertRegistered(output, label) {
  assert.equal(output.model, undefined, `${label}: the record is flat, not nested under model`);
  assert.equal(typeof output.modelId, 'string', `${label}: modelId`);
  assert.equal(typeof output.name, 'string', `${label}: name`);
  assert.equal(typeof output.alreadyExisted, 'boolean', `${label}: alreadyExisted`);
  assert.equal(typeof output.message, 'string', `${label}: message`);
}

for (const variant of CLIENT_VARIANTS) {
  for (const transportKind of ['stdio', 'http']) {
    describe(`${variant.sdk} (${variant.protocol}) over ${transportKind}`, () => {
      let server;
      let connection;
      const state = {};
      const uniqueName = `e2e-${transportKind}-${variant.protocol}-${process.pid}`;

      // Calls a tool with the request timeout and returns its result.
      const call = (name, args) => connection.client.callTool({ name, arguments: args }, undefined, { timeout: REQUEST_TIMEOUT_MS });

      // Calls a guarded tool, checks the shape of whichever outcome came back
      // and reports it as a test diagnostic. Returns { outcome, result }.
      const callGuarded = async (t, name, args) => {
        const seen = connection.elicitations.length;
        const result = await call(name, args);
        const outcome = guardedOutcome(result);
        assert.notEqual(outcome, 'error', `${name}: ${resultText(result)}`);
        if (outcome === 'approval_required') {
          assertApprovalRequired(result, name);
        }
        const elicitations = connection.elicitations.slice(seen);
        for (const params of elicitations) {
          assertElicitation(params, name);
        }
        t.diagnostic(`${name}: ${outcome} after ${elicitations.length} elicitation(s)`);
        return { outcome, result };
      };

      before(async () => {
        if (transportKind === 'http') {
          server = await startHttpServer();
        }
        try {
          connection = await connectClient(variant, transportKind, server?.url);
        } catch (error) {
          await server?.stop();
          throw new Error(`connect failed: ${error.message}\nserver output:\n${server?.stderr() ?? ''}`);
        }
      });

      after(async () => {
        await connection?.close().catch(() => {});
        await server?.stop();
      });

      test('negotiates the protocol version', TEST_OPTIONS, () => {
        if (connection.protocolVersion !== undefined) {
          assert.equal(connection.protocolVersion, variant.protocol);
        }
        const info = connection.client.getServerVersion();
        assert.equal(info?.name, 'rational-mcp');
      });

      test('tools/list returns the ten tools', TEST_OPTIONS, async () => {
        const { tools } = await connection.client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
        state.tools = tools;
        assert.deepEqual(tools.map((tool) => tool.name).sort(), Object.keys(EXPECTED_TOOLS).sort());
      });

      test('tool schemas are portable', TEST_OPTIONS, () => {
        assert.ok(state.tools, 'tools/list did not run');
        const problems = [];
        for (const tool of state.tools) {
          problems.push(...schemaProblemsOf(tool.inputSchema, true, `${tool.name} inputSchema`));

          problems.push(...schemaProblemsOf(tool.outputSchema, true, `${tool.name} outputSchema`));
        }
        assert.deepEqual(problems, []);
      });

      test('register_model declares a flat output', TEST_OPTIONS, () => {
        assert.ok(state.tools, 'tools/list did not run');
        const tool = state.tools.find((entry) => entry.name === 'register_model');
        assert.ok(tool, 'register_model is listed');
        const properties = Object.keys(tool.outputSchema?.properties ?? {});
        for (const name of ['modelId', 'name', 'alreadyExisted', 'message']) {
          assert.ok(properties.includes(name), `register_model outputSchema declares ${name}: ${properties}`);
        }
        assert.ok(!properties.includes('model'), `register_model outputSchema has no nested model: ${properties}`);
      });

      test('tools carry titles, descriptions and annotations', TEST_OPTIONS, () => {
        assert.ok(state.tools, 'tools/list did not run');
        for (const tool of state.tools) {
          assert.ok(tool.title?.length > 0, `${tool.name}: title`);
          assert.ok(tool.description?.length > 0, `${tool.name}: description`);
          const [readOnly, destructive, idempotent, openWorld] = EXPECTED_TOOLS[tool.name];
          assert.deepEqual(
            {
              readOnlyHint: tool.annotations?.readOnlyHint,
              destructiveHint: tool.annotations?.destructiveHint,
              idempotentHint: tool.annotations?.idempotentHint,
              openWorldHint: tool.annotations?.openWorldHint,
            },
            { readOnlyHint: readOnly, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: openWorld },
            `${tool.name}: annotations`,
          );
        }
      });

      test('list_models returns the seeded catalog', TEST_OPTIONS, async () => {
        const page = assertStructured(await call('list_models', {}), 'list_models');
        assert.ok(Array.isArray(page.models), 'models is an array');
        assert.ok(page.models.length > 0, 'the demo catalog is seeded');
        // Rows are [id, name, type, params, ready, huggingFaceId when it differs from name].
        for (const row of page.models) {
          assert.ok(Array.isArray(row) && row.length >= 5 && row.length <= 6, `row ${JSON.stringify(row)}`);
          const [id, name, type, params, ready] = row;
          assert.equal(typeof id, 'string');
          assert.equal(typeof name, 'string');
          assert.equal(typeof type, 'string');
          assert.equal(typeof params, 'string');
          assert.ok(ready === null || Number.isInteger(ready), `ready ${ready}`);
        }
        assert.equal(typeof page.hasMore, 'boolean');
      });

      test('list_models filters by type', TEST_OPTIONS, async () => {
        const page = assertStructured(await call('list_models', { type: 'gguf' }), 'list_models type=gguf');
        for (const row of page.models) {
          assert.equal(row[2], 'gguf', `row ${row[0]}`);
        }
      });

      test('list_models accepts a numeric string', TEST_OPTIONS, async () => {
        const page = assertStructured(await call('list_models', { size: '2' }), 'list_models size="2"');
        assert.ok(page.models.length <= 2, `got ${page.models.length} rows`);
        assert.equal(page.size, 2);
      });

      test('seeded deployment reports ready', TEST_OPTIONS, async () => {
        const listed = assertStructured(await call('list_deployments', {}), 'list_deployments');
        const ready = listed.deployments.find((row) => row.ready);
        assert.ok(ready, `the demo seeds a ready deployment: ${JSON.stringify(listed.deployments)}`);
        const status = assertStructured(await call('get_deployment_status', { deploymentId: ready.deploymentId }), 'get_deployment_status');
        assert.equal(status.ready, true);
        assert.ok(status.gpuCount >= 1, `gpuCount ${status.gpuCount}`);
        assert.match(status.serviceUrl, /^https?:\/\/.+\/v1\/?$/);
      });

      test('register_model adds a record', TEST_OPTIONS, async () => {
        const registered = assertStructured(
          await call('register_model', { huggingFaceId: HF_REPO, type: 'base', name: uniqueName }),
          'register_model',
        );
        assertRegistered(registered, 'register_model');
        assert.equal(registered.alreadyExisted, false);
        assert.equal(registered.name, uniqueName);
        assert.match(registered.modelId, /^[0-9a-f-]{36}$/);
        assert.ok(registered.message.includes('deploy_model'), `message says what to call next: ${registered.message}`);
        state.modelId = registered.modelId;
      });

      test('register_model returns a taken name', TEST_OPTIONS, async () => {
        assert.ok(state.modelId, 'register_model did not run');
        const again = assertStructured(
          await call('register_model', { huggingFaceId: HF_REPO, type: 'base', name: uniqueName }),
          'register_model again',
        );
        assertRegistered(again, 'register_model again');
        assert.equal(again.alreadyExisted, true);
        assert.equal(again.modelId, state.modelId);
        assert.ok(again.message.includes(state.modelId), `message names the existing id: ${again.message}`);
      });

      test('list_models finds the new model', TEST_OPTIONS, async () => {
        assert.ok(state.modelId, 'register_model did not run');
        const page = assertStructured(await call('list_models', { text: uniqueName }), 'list_models text');
        assert.deepEqual(page.models.map((row) => row[0]), [state.modelId]);
      });

      test('get_model returns the record', TEST_OPTIONS, async () => {
        assert.ok(state.modelId, 'register_model did not run');
        const model = assertStructured(await call('get_model', { modelId: state.modelId }), 'get_model');
        assert.equal(model.id, state.modelId);
        assert.equal(model.name, uniqueName);
        assert.equal(model.type, 'base');
        assert.equal(model.huggingFaceId, HF_REPO);
        assert.ok(Array.isArray(model.deployments), 'deployments is an array');
        assert.equal(model.deployments.length, 0);
      });

      test('update_model changes only the given field', TEST_OPTIONS, async () => {
        assert.ok(state.modelId, 'register_model did not run');
        const description = `changed by ${uniqueName}`;
        const updated = assertStructured(await call('update_model', { modelId: state.modelId, description }), 'update_model');
        assert.deepEqual(updated.updatedFields, ['description']);
        const model = assertStructured(await call('get_model', { modelId: state.modelId }), 'get_model after update');
        assert.equal(model.description, description);
        assert.equal(model.name, uniqueName);
        assert.equal(model.huggingFaceId, HF_REPO);
      });

      test('deploy_model starts a deployment or asks approval', TEST_OPTIONS, async (t) => {
        assert.ok(state.modelId, 'register_model did not run');
        const { outcome, result } = await callGuarded(t, 'deploy_model', { modelId: state.modelId });
        state.deployOutcome = outcome;
        if (outcome === 'done') {
          const deployed = assertStructured(result, 'deploy_model');
          assert.equal(deployed.modelId, state.modelId);
          assert.match(deployed.deploymentId, /^[a-z0-9][a-z0-9-]*$/);
          assert.equal(deployed.reconciled, false);
          assert.ok(deployed.message.includes('get_deployment_status'), `message says what to call next: ${deployed.message}`);
          state.deploymentId = deployed.deploymentId;
        }
      });

      test('get_deployment_status reports a deployment', TEST_OPTIONS, async () => {
        // Without a new deployment, the seeded ready one is checked.
        if (!state.deploymentId) {
          const listed = assertStructured(await call('list_deployments', {}), 'list_deployments');
          assert.ok(listed.deployments.length > 0, 'the demo seeds a deployment');
          state.deploymentId = listed.deployments[0].deploymentId;
        }
        const status = assertStructured(await call('get_deployment_status', { deploymentId: state.deploymentId }), 'get_deployment_status');
        assert.equal(status.deploymentId, state.deploymentId);
        assert.equal(typeof status.status, 'string');
        assert.ok(status.status.length > 0, 'status is set');
        assert.equal(typeof status.ready, 'boolean');
        assert.ok(Number.isInteger(status.gpuCount), `gpuCount ${status.gpuCount} is an integer`);
        assert.equal(typeof status.next, 'string');
        assert.ok(Number.isInteger(status.elapsedSeconds), `elapsedSeconds ${status.elapsedSeconds} is an integer`);
        if (status.ready) {
          assert.match(status.serviceUrl, /\/v1\/?$/);
        }
      });

      test('list_deployments filters by model', TEST_OPTIONS, async () => {
        assert.ok(state.modelId, 'register_model did not run');
        const listed = assertStructured(await call('list_deployments', { modelId: state.modelId }), 'list_deployments modelId');
        for (const row of listed.deployments) {
          assert.equal(row.modelId, state.modelId);
        }
        if (state.deployOutcome === 'done') {
          assert.deepEqual(listed.deployments.map((row) => row.deploymentId), [state.deploymentId]);
        }
      });

      test('pause_deployment pauses or asks approval', TEST_OPTIONS, async (t) => {
        assert.ok(state.deploymentId, 'no deployment to pause');
        const { outcome, result } = await callGuarded(t, 'pause_deployment', { deploymentId: state.deploymentId });
        if (outcome === 'done') {
          const paused = assertStructured(result, 'pause_deployment');
          assert.equal(paused.deploymentId, state.deploymentId);
          assert.equal(typeof paused.message, 'string');
          const status = assertStructured(await call('get_deployment_status', { deploymentId: state.deploymentId }), 'status after pause');
          assert.equal(status.ready, false);
        }
      });

      test('cancel_deployment cancels or asks approval', TEST_OPTIONS, async (t) => {
        assert.ok(state.deploymentId, 'no deployment to cancel');
        const { outcome, result } = await callGuarded(t, 'cancel_deployment', { deploymentId: state.deploymentId });
        if (outcome === 'done') {
          const cancelled = assertStructured(result, 'cancel_deployment');
          assert.equal(cancelled.deploymentId, state.deploymentId);
          const status = assertStructured(await call('get_deployment_status', { deploymentId: state.deploymentId }), 'status after cancel');
          assert.equal(status.ready, false);
          assert.match(status.status, /cancel/i);
        }
      });

      test('delete_model deletes or asks approval', TEST_OPTIONS, async (t) => {
        assert.ok(state.modelId, 'register_model did not run');
        const { outcome, result } = await callGuarded(t, 'delete_model', { modelId: state.modelId });
        if (outcome === 'done') {
          const deleted = assertStructured(result, 'delete_model');
          assert.equal(deleted.modelId, state.modelId);
          assert.equal(deleted.deleted, true);
          assertToolError(await call('get_model', { modelId: state.modelId }), [state.modelId, 'not found'], 'get_model after delete');
        }
      });

      test('unknown model id is a tool error', TEST_OPTIONS, async () => {
        assertToolError(await call('get_model', { modelId: UNKNOWN_MODEL_ID }), [UNKNOWN_MODEL_ID, 'not found', 'list_models'], 'get_model');
      });

      test('unknown deployment id is a tool error', TEST_OPTIONS, async () => {
        assertToolError(
          await call('get_deployment_status', { deploymentId: UNKNOWN_DEPLOYMENT_ID }),
          [UNKNOWN_DEPLOYMENT_ID, 'not found', 'list_deployments'],
          'get_deployment_status',
        );
      });

      test('missing required argument is a tool error', TEST_OPTIONS, async () => {
        assertToolError(await call('get_model', {}), ['modelId'], 'get_model without modelId');
      });

      test('out-of-range argument is a tool error', TEST_OPTIONS, async () => {
        assertToolError(await call('list_models', { size: 1000 }), ['size', '100'], 'list_models size=1000');
      });

      test('invalid enum changes nothing upstream', TEST_OPTIONS, async () => {
        const name = `${uniqueName}-bad-type`;
        assertToolError(await call('register_model', { huggingFaceId: HF_REPO, type: 'safetensors', name }), ['type'], 'register_model type=safetensors');
        const page = assertStructured(await call('list_models', { text: name }), 'list_models after rejected register');
        assert.deepEqual(page.models, []);
      });

      test('unknown tool is a protocol error', TEST_OPTIONS, async () => {
        await assert.rejects(call('no_such_tool', {}), /no_such_tool/);
      });
    });
  }
}

// Without the elicitation capability, a guarded call returns approval_required
// with a link to the loopback approval page, and nothing runs until a human
// approves there.
for (const variant of CLIENT_VARIANTS) {
  describe(`${variant.sdk} (${variant.protocol}) without elicitation`, () => {
    let server;
    let connection;
    const state = {};

    const call = (name, args) => connection.client.callTool({ name, arguments: args }, undefined, { timeout: REQUEST_TIMEOUT_MS });

    before(async () => {
      server = await startHttpServer();
      try {
        connection = await connectClient(variant, 'http', server.url, { elicitation: false });
      } catch (error) {
        await server.stop();
        throw new Error(`connect failed: ${error.message}\nserver output:\n${server.stderr()}`);
      }
    });

    after(async () => {
      await connection?.close().catch(() => {});
      await server?.stop();
    });

    test('deploy_model returns approval_required', TEST_OPTIONS, async () => {
      const page = assertStructured(await call('list_models', { type: 'base' }), 'list_models');
      state.modelId = page.models[0][0];
      const result = await call('deploy_model', { modelId: state.modelId });
      assert.equal(guardedOutcome(result), 'approval_required', resultText(result));
      assertApprovalRequired(result, 'deploy_model');
      assert.match(result.structuredContent.approvalUrl, /^http:\/\/127\.0\.0\.1:\d+\//);
      state.approvalId = result.structuredContent.approvalId;
    });

    test('pending approval runs nothing', TEST_OPTIONS, async () => {
      assert.ok(state.approvalId, 'deploy_model did not return an approvalId');
      const listedBefore = assertStructured(await call('list_deployments', { modelId: state.modelId }), 'list_deployments');
      const result = await call('deploy_model', { modelId: state.modelId, approvalId: state.approvalId });
      assertToolError(result, ['not approved'], 'deploy_model with a pending approvalId');
      const listedAfter = assertStructured(await call('list_deployments', { modelId: state.modelId }), 'list_deployments');
      assert.deepEqual(listedAfter.deployments, listedBefore.deployments);
    });

    test('approvalId cannot change the arguments', TEST_OPTIONS, async () => {
      assert.ok(state.approvalId, 'deploy_model did not return an approvalId');
      const result = await call('deploy_model', { modelId: state.modelId, approvalId: state.approvalId, forceDeployment: true });
      assert.equal(result.isError, true, `reusing an approvalId with other arguments must fail: ${resultText(result)}`);
    });

    test('read-only tools need no approval', TEST_OPTIONS, async () => {
      assertStructured(await call('list_deployments', {}), 'list_deployments');
      assertStructured(await call('get_model', { modelId: state.modelId }), 'get_model');
    });
  });
}

// --read-only and --toolsets filter tools/list by the registry's data.
describe('tool filters over stdio', () => {
  const listed = async (serverArgs) => {
    const connection = await connectClient(CLIENT_VARIANTS[0], 'stdio', undefined, { serverArgs });
    try {
      const { tools } = await connection.client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
      return tools.map((tool) => tool.name).sort();
    } finally {
      await connection.close();
    }
  };
  const readOnlyTools = Object.keys(EXPECTED_TOOLS).filter((name) => EXPECTED_TOOLS[name][0]).sort();

  test('--read-only lists read-only tools', TEST_OPTIONS, async () => {
    assert.deepEqual(await listed(['--read-only']), readOnlyTools);
  });

  test('--toolsets splits the tools', TEST_OPTIONS, async () => {
    const models = await listed(['--toolsets', 'models']);
    const deployments = await listed(['--toolsets', 'deployments']);
    assert.ok(models.includes('list_models'), `models toolset: ${models}`);
    assert.ok(models.includes('register_model'), `models toolset: ${models}`);
    assert.ok(deployments.includes('get_deployment_status'), `deployments toolset: ${deployments}`);
    assert.ok(deployments.includes('cancel_deployment'), `deployments toolset: ${deployments}`);
    assert.deepEqual(models.filter((name) => deployments.includes(name)), [], 'toolsets overlap');
    assert.deepEqual([...models, ...deployments].sort(), Object.keys(EXPECTED_TOOLS).sort());
  });

  test('--read-only beats --toolsets', TEST_OPTIONS, async () => {
    const tools = await listed(['--toolsets', 'models', '--read-only']);
    assert.deepEqual(tools, readOnlyTools.filter((name) => ['list_models', 'get_model', 'inspect_model'].includes(name)));
  });
});

// SDK v2 in 'auto' mode probes with server/discover and must pick 2026-07-28.
describe('sdk v2 auto negotiation', () => {
  for (const transportKind of ['stdio', 'http']) {
    test(`auto picks 2026-07-28 over ${transportKind}`, TEST_OPTIONS, async () => {
      const server = transportKind === 'http' ? await startHttpServer() : undefined;
      let connection;
      try {
        connection = await connectClient(CLIENT_VARIANTS[1], transportKind, server?.url, { negotiation: 'auto' });
        assert.equal(connection.protocolVersion, '2026-07-28');
        const { tools } = await connection.client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
        assert.equal(tools.length, Object.keys(EXPECTED_TOOLS).length);
      } finally {
        await connection?.close().catch(() => {});
        await server?.stop();
      }
    });
  }
});
