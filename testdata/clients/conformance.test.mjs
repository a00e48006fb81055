// The official MCP conformance suite (@modelcontextprotocol/conformance)
// against `rational-mcp http --demo`:
//   - at the 2025-11-25 wire (initialize handshake), the server scenarios that
//     need none of the suite's fixture tools, one run per scenario;
//   - at the 2026-07-28 wire (stateless), the revision's whole server
//     requirement set, in one run with --requirements 2026-07-28.
//
// conformance-baseline.json lists every expected failure with its reason.
// Each scenario is judged on the checks it wrote: a check that failed or
// warned and that the baseline does not excuse fails the test, and so does a
// baseline entry whose check or scenario now passes. Warnings count because
// the suite itself counts them once it is given a baseline. The suite's own
// verdict (its exit status with --expected-failures) is checked as well.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import YAML from 'yaml';

import { startHttpServer } from './lib/server.mjs';

const PACKAGE_DIR = join(import.meta.dirname, 'node_modules', '@modelcontextprotocol', 'conformance');
const CONFORMANCE = join(PACKAGE_DIR, 'dist', 'index.js');
const BASELINE = JSON.parse(readFileSync(join(import.meta.dirname, 'conformance-baseline.json'), 'utf8'));

/** Time limit of one conformance run, in milliseconds. */
const RUN_TIMEOUT_MS = 240_000;

/** Scenario output folders are named server-<scenario>-<ISO time with dashes>. */
const RESULT_DIR_PATTERN = /^server-(.+)-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)$/;

/**
 * Returns the server scenarios that a revision's frozen requirement set scores
 * (its `server` list; the `not_scored` entries run but never count).
 */
function scoredServerScenarios(revision) {
  const text = readFileSync(join(PACKAGE_DIR, 'requirements', `${revision}.yaml`), 'utf8');
  return YAML.parse(text).server;
}

/** Writes the baseline of one revision as the suite's expected-failures YAML. */
function writeExpectedFailures(revision, dir) {
  const path = join(dir, `expected-failures-${revision}.yaml`);
  writeFileSync(path, YAML.stringify({ server: Object.keys(BASELINE[revision].expectedFailures) }));
  return path;
}

/** Runs the conformance CLI and resolves to { code, stdout, stderr }. */
function runConformance(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CONFORMANCE, 'server', ...args], {
      timeout: RUN_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code ?? 'killed' : 0, stdout, stderr });
    });
  });
}

/** Reads every scenario's checks.json under dir into a Map by scenario. */
function readChecks(dir) {
  const checks = new Map();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const match = entry.isDirectory() && RESULT_DIR_PATTERN.exec(entry.name);
    if (match) {
      checks.set(match[1], JSON.parse(readFileSync(join(dir, entry.name, 'checks.json'), 'utf8')));
    }
  }
  return checks;
}

/** Check statuses that a baseline entry must excuse. */
const FAILING_STATUSES = new Set(['FAILURE', 'WARNING']);

/**
 * Judges one scenario's checks against the baseline entries of a revision.
 * Returns { unexpected, stale, excused } as lists of readable lines. A
 * per-check entry is stale only when its check passed: a check that a
 * scenario skipped or never reached is tolerated, as the suite does.
 */
function judgeScenario(scenario, checks, expectedFailures) {
  const wholeScenarioReason = expectedFailures[scenario];
  const failing = checks.filter((check) => FAILING_STATUSES.has(check.status));
  const unexpected = [];
  const stale = [];
  const excused = [];

  for (const check of failing) {
    const line = `${check.status} ${check.id}: ${check.errorMessage ?? 'no message'}`;
    if (wholeScenarioReason || expectedFailures[`${scenario}:${check.id}`]) {
      excused.push(line);
    } else {
      unexpected.push(line);
    }
  }
  if (wholeScenarioReason && failing.length === 0) {
    stale.push(`${scenario} passes now; remove it from conformance-baseline.json`);
  }
  for (const key of Object.keys(expectedFailures)) {
    if (!key.startsWith(`${scenario}:`)) {
      continue;
    }
    const checkId = key.slice(scenario.length + 1);
    if (checks.some((check) => check.id === checkId && check.status === 'SUCCESS')) {
      stale.push(`${key} passes now; remove it from conformance-baseline.json`);
    }
  }
  return { unexpected, stale, excused };
}

/** Asserts a scenario's verdict and reports its excused failures as diagnostics. */
function assertScenario(t, scenario, checks, revision) {
  assert.ok(checks, `scenario ${scenario} wrote no checks.json`);
  const { unexpected, stale, excused } = judgeScenario(scenario, checks, BASELINE[revision].expectedFailures);
  for (const line of excused) {
    t.diagnostic(`expected ${line}`);
  }
  assert.deepEqual(unexpected, [], `unexpected failures in ${scenario}`);
  assert.deepEqual(stale, [], `stale baseline entries for ${scenario}`);
}

/** Formats a conformance run for a failure message. */
function describeRun(run) {
  return `exit ${run.code}\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-2000)}`;
}

/** Returns the scenario that a baseline key names. */
function baselineScenario(key) {
  return key.split(':')[0];
}

describe('conformance 2025-11-25, fixture-free scenarios', () => {
  const revision = '2025-11-25';
  const scenarios = BASELINE[revision].scenarios;
  let server;
  let workDir;
  let expectedFailuresFile;

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'rational-mcp-conformance-'));
    expectedFailuresFile = writeExpectedFailures(revision, workDir);
    server = await startHttpServer();
  });

  after(async () => {
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('baseline names only scenarios that run', () => {
    for (const key of Object.keys(BASELINE[revision].expectedFailures)) {
      assert.ok(scenarios.includes(baselineScenario(key)), `baseline entry ${key} names no scenario of the ${revision} list`);
    }
  });

  for (const scenario of scenarios) {
    test(scenario, { timeout: RUN_TIMEOUT_MS }, async (t) => {
      const outputDir = join(workDir, scenario);
      const run = await runConformance([
        '--url', server.url,
        '--scenario', scenario,
        '--spec-version', revision,
        '--expected-failures', expectedFailuresFile,
        '-o', outputDir,
      ]);
      assertScenario(t, scenario, readChecks(outputDir).get(scenario), revision);
      assert.equal(run.code, 0, `the conformance runner failed: ${describeRun(run)}`);
    });
  }
});

describe('conformance 2026-07-28 requirements', () => {
  const revision = '2026-07-28';
  const scored = scoredServerScenarios(revision);
  let server;
  let workDir;
  let run;
  let checks;

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'rational-mcp-conformance-'));
    const expectedFailuresFile = writeExpectedFailures(revision, workDir);
    const outputDir = join(workDir, 'results');
    server = await startHttpServer();
    run = await runConformance([
      '--url', server.url,
      '--requirements', revision,
      '--expected-failures', expectedFailuresFile,
      '-o', outputDir,
    ]);
    checks = readChecks(outputDir);
  }, { timeout: RUN_TIMEOUT_MS });

  after(async () => {
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('baseline names only required scenarios', () => {
    for (const key of Object.keys(BASELINE[revision].expectedFailures)) {
      assert.ok(scored.includes(baselineScenario(key)), `baseline entry ${key} names no scored server scenario of ${revision}`);
    }
  });

  test('runner accepts the baseline', () => {
    assert.equal(run.code, 0, `the conformance runner failed: ${describeRun(run)}`);
  });

  for (const scenario of scored) {
    test(scenario, (t) => {
      assertScenario(t, scenario, checks.get(scenario), revision);
    });
  }
});
