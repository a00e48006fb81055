// End-to-end suite: the guard's approval page in a real browser. A client
// without elicitation (TypeScript SDK v1 over streamable HTTP) calls
// deploy_model on `rational-mcp http --demo`, gets approval_required, and
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// opens the approval URL, checks the plan and clicks Approve or Reject. The
// client then calls deploy_model again with the approvalId, and
// list_deployments shows whether anything was deployed.
//
// Cases: approve deploys exactly once, reusing the id is refused, reject
// deploys nothing, a form POST from a page on another 127.0.0.1 port is
// rejected even with the right CSRF token, and an expired link shows that it expired.
//
// The test writes a screenshot of the plan to a temporary folder and checks
// it is a PNG. With UPDATE_DOCS_SCREENSHOT=1 it also writes
// docs/approval-page.png, the screenshot that the docs show.

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { assertStructured, resultText } from './lib/assertions.mjs';
import { REQUEST_TIMEOUT_MS, connectClient } from './lib/clients.mjs';
import { startHttpServer } from './lib/server.mjs';

/** The Chromium binary of the Debian package (install-chromium.sh). */
const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Chromium flags: headless without a sandbox (CI runs as root), no
 * background traffic, and no host name resolves, so the browser sends
 * nothing but the test's requests to 127.0.0.1.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** Time limit of a browser launch, navigation or click, in milliseconds. */
const BROWSER_TIMEOUT_MS = 20_000;

/** Approval link lifetime of the expiry suite, kept short so the test waits little. */
const SHORT_TTL_SECONDS = 2;

/** Interval between reloads while waiting for a link to expire, in milliseconds. */
const EXPIRY_POLL_MS = 250;

const TEST_OPTIONS = { timeout: 60_000 };

/** Screenshot size bounds, in bytes: a page with text is larger than a blank one. */
const MIN_SCREENSHOT_BYTES = 10_000;
const MAX_SCREENSHOT_BYTES = 5_000_000;

/** The seeded demo models the suite deploys. Gemma has a ready deployment from the start. */
const LLAMA = { id: 'b70b7555-b679-8575-8ce1-2ece7f35c66e', name: 'meta-llama/Llama-3.1-8B-Instruct', params: '8030261248' };
const GEMMA = { id: '0f53373e-5a3b-8673-a22e-f3a059c1f274', name: 'google/gemma-2-9b-it' };
const QWEN = { id: 'b64cbaf9-0c3c-8fb3-b727-0fce1b03e0f7', name: 'Qwen/Qwen2.5-7B-Instruct' };
const MISTRAL = { id: 'd7eec331-dcd9-8fdf-8621-e61487b5d584', name: 'mistralai/Mistral-7B-Instruct-v0.2' };

const suiteDir = dirname(fileURLToPath(import.meta.url));
const DOCS_SCREENSHOT = join(suiteDir, '..', '..', 'docs', 'approval-page.png');

/**
 * Launches headless Chromium. Playwright (playwright-core 1.65.2) gives
 * each launch a fresh temporary profile and removes it on close.
 */
function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: BROWSER_TIMEOUT_MS });
}

/** Opens a page in a new browser context with the suite's timeouts. */
async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(BROWSER_TIMEOUT_MS);
  return context.newPage();
}

/** Returns the facts that the page shows, as [{ label, value }]. */
async function pageFacts(page) {
  const labels = await page.locator('dl dt').allTextContents();
  const values = await page.locator('dl dd').allTextContents();
  assert.equal(labels.length, values.length, 'every fact has a label and a value');
  return labels.map((label, index) => ({ label, value: values[index] }));
}

/** Returns the value of the fact with the given label, or fails. */
function factValue(facts, label) {
  const fact = facts.find((row) => row.label === label);
  assert.ok(fact, `the plan shows "${label}": ${JSON.stringify(facts)}`);
  return fact.value;
}

/**
 * Checks that a PNG file starts with the PNG signature and an IHDR chunk
 * with a positive width and height, and that its size is within bounds.
 * Returns { width, height, bytes }.
 */
function assertPng(path) {
  const data = readFileSync(path);
  assert.ok(data.length >= MIN_SCREENSHOT_BYTES, `${path}: ${data.length} bytes, expected at least ${MIN_SCREENSHOT_BYTES}`);
  assert.ok(data.length <= MAX_SCREENSHOT_BYTES, `${path}: ${data.length} bytes, expected at most ${MAX_SCREENSHOT_BYTES}`);
  assert.deepEqual([...data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${path}: PNG signature`);
  assert.equal(data.readUInt32BE(8), 13, `${path}: IHDR length`);
  assert.equal(data.subarray(12, 16).toString('latin1'), 'IHDR', `${path}: first chunk`);
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  assert.ok(width > 0, `${path}: width ${width}`);
  assert.ok(height > 0, `${path}: height ${height}`);
  return { width, height, bytes: data.length };
}

/**
 * Serves one HTML page on 127.0.0.1 with an OS-picked port: a form that
 * posts decision=approve and the given CSRF token to the approval URL and
 * submits itself, as a hostile site would. referrerPolicy sets the page's
 * Referrer-Policy header. Resolves to { url, close() }.
 */
async function startForeignSite(approvalUrl, csrfToken, referrerPolicy) {
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>foreign site</title></head>
<body>
<form method="post" action="${approvalUrl}">
<input type="hidden" name="csrf" value="${csrfToken}">
<input type="hidden" name="decision" value="approve">
</form>
<script>document.forms[0].submit();</script>
</body></html>`;
  const server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Referrer-Policy': referrerPolicy });
    response.end(html);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Starts a server with extraArgs, connects an SDK v1 client without
 * elicitation over HTTP and launches Chromium. Resolves to { server,
 * connection, browser, call, deployments, stop() }, where deployments()
 * resolves to the sorted [{ deploymentId, modelId }] of list_deployments.
 */
async function startSuite(extraArgs = []) {
  const server = await startHttpServer(extraArgs);
  let connection;
  let browser;
  const stop = async () => {
    await browser?.close().catch(() => {});
    await connection?.close().catch(() => {});
    await server.stop();
  };

  try {
    connection = await connectClient({ sdk: 'sdk v1', protocol: '2025-11-25' }, 'http', server.url, { elicitation: false });
    browser = await launchChromium();
  } catch (error) {
    const output = server.stderr();
    await stop();
    throw new Error(`${error.message}\nserver output:\n${output}`);
  }

  const call = (name, args) => connection.client.callTool({ name, arguments: args }, undefined, { timeout: REQUEST_TIMEOUT_MS });
  // The ids and models of the deployments, sorted. Their status moves on
  // while the demo's pods start, so it is left out.
  const deployments = async () =>
    assertStructured(await call('list_deployments', {}), 'list_deployments')
      .deployments.map(({ deploymentId, modelId }) => ({ deploymentId, modelId }))
      .sort((a, b) => a.deploymentId.localeCompare(b.deploymentId));
  return { server, connection, browser, call, deployments, stop };
}

/** Calls deploy_model and checks that it returned approval_required. Returns its output. */
async function requestApproval(suite, args) {
  const result = await suite.call('deploy_model', args);
  assert.notEqual(result.isError, true, `deploy_model: ${resultText(result)}`);
  const output = result.structuredContent;
  assert.equal(output?.status, 'approval_required', `deploy_model: ${resultText(result)}`);
  assert.match(output.approvalId, /^ap_[A-Za-z0-9_-]{43}$/);
  const url = new URL(output.approvalUrl);
  assert.equal(url.protocol, 'http:');
  assert.equal(url.hostname, '127.0.0.1');
  assert.equal(url.pathname, `/approvals/${output.approvalId}`);
  return output;
}

/** Calls deploy_model with approvalId and checks that the guard refused it with reason. Returns the message. */
async function assertRefused(suite, args, reason) {
  const result = await suite.call('deploy_model', args);
  assert.equal(result.isError, true, `deploy_model should be refused: ${resultText(result)}`);
  const output = result.structuredContent;
  assert.equal(output?.status, 'refused', resultText(result));
  assert.equal(output.reason, reason, resultText(result));
  assert.match(output.message, /^deploy_model was not run because .+; .+\.$/, output.message);
  return output.message;
}

describe('approval page in Chromium', () => {
  let suite;
  let screenshotDir;

  before(async () => {
    screenshotDir = mkdtempSync(join(tmpdir(), 'rational-mcp-approval-page-'));
    suite = await startSuite();
  });

  after(async () => {
    await suite?.stop();
    rmSync(screenshotDir, { recursive: true, force: true });
  });

  test('approve deploys exactly once', TEST_OPTIONS, async (t) => {
    const before = await suite.deployments();
    assert.equal(before.filter((row) => row.modelId === LLAMA.id).length, 0, 'the Llama model starts without a deployment');

    const args = { modelId: LLAMA.id };
    const approval = await requestApproval(suite, args);

    const page = await newPage(suite.browser);
    const response = await page.goto(approval.approvalUrl);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('h1').textContent(), 'Approve this action?');
    assert.equal(response.headers()['x-frame-options'], 'DENY');
    assert.equal(response.headers()['access-control-allow-origin'], undefined, 'no CORS header');

    // The page shows the same plan as the tool result, built from the
    // catalog record and not from the agent's arguments.
    assert.equal(await page.locator('.summary').textContent(), approval.plan.summary);
    const facts = await pageFacts(page);
    assert.deepEqual(facts, approval.plan.facts);
    assert.ok(factValue(facts, 'Model').includes(LLAMA.name), factValue(facts, 'Model'));
    assert.ok(factValue(facts, 'Model').includes(LLAMA.id), factValue(facts, 'Model'));
    assert.equal(factValue(facts, 'Hugging Face id'), JSON.stringify(LLAMA.name));
    assert.equal(factValue(facts, 'Type'), '"base"');
    assert.ok(factValue(facts, 'Parameters').startsWith(`${LLAMA.params} (8.0 B`), factValue(facts, 'Parameters'));
    assert.equal(
      factValue(facts, 'Existing deployments'),
      'forceDeployment false: the model has no deployment; a new one is started',
    );
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Reject' }).count(), 1);

    const screenshot = join(screenshotDir, 'approval-page.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    const png = assertPng(screenshot);
    t.diagnostic(`screenshot ${png.width}x${png.height}, ${png.bytes} bytes`);
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      copyFileSync(screenshot, DOCS_SCREENSHOT);
      assertPng(DOCS_SCREENSHOT);
      t.diagnostic(`wrote ${DOCS_SCREENSHOT}`);
    }

    const [decision] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url() === approval.approvalUrl && candidate.request().method() === 'POST'),
      page.getByRole('button', { name: 'Approve' }).click(),
    ]);
    assert.equal(
      (await decision.request().allHeaders()).origin,
      new URL(approval.approvalUrl).origin,
      'the page\'s own form POST carries its origin',
    );
    assert.equal(decision.status(), 200);
    assert.equal(await page.locator('h1').textContent(), 'Approved');
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0, 'no buttons after the decision');

    const result = await suite.call('deploy_model', { ...args, approvalId: approval.approvalId });
    const deployed = assertStructured(result, 'deploy_model with approvalId');
    assert.equal(deployed.approvedBy?.kind, 'approval_page', JSON.stringify(deployed));
    assert.equal(typeof deployed.deploymentId, 'string', JSON.stringify(deployed));

    const afterDeploy = await suite.deployments();
    assert.equal(afterDeploy.length, before.length + 1, JSON.stringify(afterDeploy));
    const added = afterDeploy.filter((row) => !before.some((old) => old.deploymentId === row.deploymentId));
    assert.deepEqual(added.map((row) => [row.deploymentId, row.modelId]), [[deployed.deploymentId, LLAMA.id]]);

    await page.reload();
    assert.equal(await page.locator('h1').textContent(), 'Approved and used');
    await page.context().close();

    // A second use of the same approval deploys nothing.
    await assertRefused(suite, { ...args, approvalId: approval.approvalId }, 'replayed');
    assert.deepEqual(await suite.deployments(), afterDeploy);
  });

  test('reject deploys nothing', TEST_OPTIONS, async () => {
    const before = await suite.deployments();
    assert.equal(before.filter((row) => row.modelId === GEMMA.id).length, 1, 'the demo seeds one Gemma deployment');

    const args = { modelId: GEMMA.id, forceDeployment: true };
    const approval = await requestApproval(suite, args);

    const page = await newPage(suite.browser);
    await page.goto(approval.approvalUrl);
    const facts = await pageFacts(page);
    assert.ok(factValue(facts, 'Model').includes(GEMMA.name), factValue(facts, 'Model'));
    assert.match(factValue(facts, 'Existing deployments'), /^forceDeployment true: forces a fresh rollout although the model has /);

    const [decision] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url() === approval.approvalUrl && candidate.request().method() === 'POST'),
      page.getByRole('button', { name: 'Reject' }).click(),
    ]);
    assert.equal(decision.status(), 200);
    assert.equal(await page.locator('h1').textContent(), 'Rejected');
    await page.context().close();

    const message = await assertRefused(suite, { ...args, approvalId: approval.approvalId }, 'rejected');
    assert.match(message, /rejected/);
    assert.deepEqual(await suite.deployments(), before);
  });

  for (const referrerPolicy of ['strict-origin-when-cross-origin', 'no-referrer']) {
    test(`foreign origin post rejected (${referrerPolicy})`, TEST_OPTIONS, async (t) => {
      const before = await suite.deployments();
      const args = { modelId: QWEN.id };
      const approval = await requestApproval(suite, args);

      // The hostile page gets the real CSRF token, so only the origin
      // check stands between it and an approval.
      const ownPage = await newPage(suite.browser);
      await ownPage.goto(approval.approvalUrl);
      const csrfToken = await ownPage.locator('input[name="csrf"]').getAttribute('value');
      assert.ok(csrfToken?.length > 0, 'the form carries a CSRF token');
      await ownPage.context().close();

      const site = await startForeignSite(approval.approvalUrl, csrfToken, referrerPolicy);
      try {
        const page = await newPage(suite.browser);
        const [decision] = await Promise.all([
          page.waitForResponse((candidate) => candidate.url() === approval.approvalUrl && candidate.request().method() === 'POST'),
          page.goto(site.url),
        ]);
        const sent = await decision.request().allHeaders();
        t.diagnostic(`Chromium sent Origin ${sent.origin} and Sec-Fetch-Site ${sent['sec-fetch-site']}`);
        assert.ok(sent.origin !== undefined, 'Chromium sends Origin on a cross-origin form POST');
        assert.notEqual(sent.origin, new URL(approval.approvalUrl).origin, `Chromium sent a foreign Origin: ${JSON.stringify(sent)}`);
        assert.equal(decision.status(), 403);
        assert.equal(decision.headers()['access-control-allow-origin'], undefined, 'no CORS header');
        await page.waitForURL(approval.approvalUrl);
        assert.equal(await page.locator('h1').textContent(), 'Request rejected');
        await page.context().close();
      } finally {
        await site.close();
      }

      // The approval is still pending, so the follow-up call runs nothing.
      const check = await newPage(suite.browser);
      await check.goto(approval.approvalUrl);
      assert.equal(await check.locator('h1').textContent(), 'Approve this action?');
      await check.context().close();

      await assertRefused(suite, { ...args, approvalId: approval.approvalId }, 'pending');
      assert.deepEqual(await suite.deployments(), before);
    });
  }
});

describe('approval page with a short TTL', () => {
  let suite;

  before(async () => {
    suite = await startSuite(['--approval-ttl', `${SHORT_TTL_SECONDS}s`]);
  });

  after(async () => {
    await suite?.stop();
  });

  test('expired link shows expiry', TEST_OPTIONS, async () => {
    const before = await suite.deployments();
    const args = { modelId: MISTRAL.id };
    const approval = await requestApproval(suite, args);

    // A page opened in time, whose Approve click comes too late.
    const page = await newPage(suite.browser);
    await page.goto(approval.approvalUrl);
    assert.equal(await page.locator('h1').textContent(), 'Approve this action?');

    // Reload a second page until the server shows the link as expired. The
    // server keeps an expired record for one more TTL, so the loop stops
    // well before the record is dropped.
    const watcher = await newPage(suite.browser);
    const deadline = Date.now() + (SHORT_TTL_SECONDS + 5) * 1000;
    let title;
    for (;;) {
      await watcher.goto(approval.approvalUrl);
      title = await watcher.locator('h1').textContent();
      if (title !== 'Approve this action?' || Date.now() > deadline) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, EXPIRY_POLL_MS));
    }
    assert.equal(title, 'Approval expired');
    assert.match(await watcher.locator('body').textContent(), /expired without a decision\. Nothing was run\./);
    assert.equal(await watcher.getByRole('button', { name: 'Approve' }).count(), 0, 'an expired page has no buttons');
    await watcher.context().close();

    const [decision] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url() === approval.approvalUrl && candidate.request().method() === 'POST'),
      page.getByRole('button', { name: 'Approve' }).click(),
    ]);
    assert.equal(decision.status(), 410);
    assert.equal(await page.locator('h1').textContent(), 'Approval expired');
    assert.match(await page.locator('body').textContent(), /expired/);
    await page.context().close();

    await assertRefused(suite, { ...args, approvalId: approval.approvalId }, 'expired');
    assert.deepEqual(await suite.deployments(), before);
  });
});
