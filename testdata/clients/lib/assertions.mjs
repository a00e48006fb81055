// Checks shared by the client suites: the tool catalog the server must
// announce, schema portability rules, and the shapes of tool results.

import assert from 'node:assert/strict';

/**
 * The eleven tools and their annotations: readOnly, destructive, idempotent,
 * openWorld.
 */
export const EXPECTED_TOOLS = {
  list_models: [true, false, true, false],
  get_model: [true, false, true, false],
  inspect_model: [true, false, true, true],
  register_model: [false, false, true, false],
  update_model: [false, false, true, false],
  delete_model: [false, true, true, false],
  deploy_model: [false, false, false, false],
  get_deployment_status: [true, false, true, false],
  list_deployments: [true, false, true, false],
  pause_deployment: [false, false, true, false],
  cancel_deployment: [false, true, true, false],
};

/** Schema keywords that some clients or model providers reject. */
const FORBIDDEN_KEYWORDS = ['$ref', '$defs', 'definitions', '$schema', '$id', 'anyOf', 'oneOf', 'allOf', 'not'];

/**
 * Returns the portability problems of a JSON schema, each as "path: problem".
 * Rules: no keyword of FORBIDDEN_KEYWORDS at any level, `type` is a string,
 * `required` is an array, enums hold strings only, and, with
 * requireDescriptions, every property has a description.
 */
export function schemaProblems(schema, requireDescriptions, path = '') {
  const problems = [];
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return [`${path || '/'}: is not an object`];
  }

  for (const keyword of FORBIDDEN_KEYWORDS) {
    if (keyword in schema) {
      problems.push(`${path || '/'}: uses ${keyword}`);
    }
  }
  if ('type' in schema && typeof schema.type !== 'string') {
    problems.push(`${path || '/'}: type is ${JSON.stringify(schema.type)}, not a single string`);
  }
  if ('required' in schema && !Array.isArray(schema.required)) {
    problems.push(`${path || '/'}: required is ${JSON.stringify(schema.required)}, not an array`);
  }
  if ('enum' in schema && !(Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === 'string'))) {
    problems.push(`${path || '/'}: enum ${JSON.stringify(schema.enum)} is not a list of strings`);
  }

  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const propertyPath = `${path}/properties/${name}`;
    if (requireDescriptions && (typeof property?.description !== 'string' || property.description.trim() === '')) {
      problems.push(`${propertyPath}: has no description`);
    }
    problems.push(...schemaProblems(property, requireDescriptions, propertyPath));
  }
  if (schema.items !== undefined) {
    problems.push(...schemaProblems(schema.items, requireDescriptions, `${path}/items`));
  }
  if (schema.additionalProperties !== undefined && typeof schema.additionalProperties === 'object') {
    problems.push(...schemaProblems(schema.additionalProperties, requireDescriptions, `${path}/additionalProperties`));
  }
  return problems;
}

/**
 * Returns the problems of a tool's input or output schema, each prefixed with
 * label: a root that is not of type object with a properties object, and
 * everything schemaProblems finds.
 */
export function schemaProblemsOf(schema, requireDescriptions, label) {
  if (schema?.type !== 'object') {
    return [`${label}: root type is ${JSON.stringify(schema?.type)}, not "object"`];
  }
  const problems = [];
  if (!schema.properties || typeof schema.properties !== 'object' || Array.isArray(schema.properties)) {
    problems.push(`${label}: properties must be an object, also for a tool without arguments; got ${JSON.stringify(schema.properties)}`);
  }
  for (const problem of schemaProblems(schema, requireDescriptions)) {
    problems.push(`${label} ${problem}`);
  }
  return problems;
}

/** Returns the text of a tool result's first text content block. */
export function resultText(result) {
  const block = (result.content ?? []).find((item) => item.type === 'text');
  return block?.text ?? '';
}

/**
 * Asserts that a successful tool result carries structuredContent and the
 * same JSON as its text content.
 */
export function assertStructured(result, label) {
  assert.notEqual(result.isError, true, `${label}: unexpected tool error: ${resultText(result)}`);
  assert.ok(result.structuredContent, `${label}: structuredContent is missing`);
  assert.equal(typeof result.structuredContent, 'object', `${label}: structuredContent is not an object`);
  let parsed;
  try {
    parsed = JSON.parse(resultText(result));
  } catch (error) {
    assert.fail(`${label}: text content is not JSON (${error.message}): ${resultText(result).slice(0, 200)}`);
  }
  assert.deepEqual(parsed, result.structuredContent, `${label}: text content and structuredContent differ`);
  return result.structuredContent;
}

/**
 * Asserts that a tool result is an error whose message contains every
 * fragment given.
 */
export function assertToolError(result, fragments, label) {
  const text = resultText(result);
  assert.equal(result.isError, true, `${label}: expected isError, got ${JSON.stringify(result).slice(0, 300)}`);
  for (const fragment of fragments) {
    assert.ok(text.includes(fragment), `${label}: message ${JSON.stringify(text)} does not mention ${JSON.stringify(fragment)}`);
  }
}

/**
 * Classifies the result of a guarded tool call: 'error' (isError),
 * 'approval_required' (the call waits for a human approval, nothing ran) or
 * 'done' (the call ran, after an elicitation round trip when the server asked
 * for one).
 */
export function guardedOutcome(result) {
  if (result.isError) {
    return 'error';
  }
  const structured = result.structuredContent ?? {};
  if (structured.status === 'approval_required' || typeof structured.approvalId === 'string') {
    return 'approval_required';
  }
  return 'done';
}

/**
 * Asserts the shape of an approval_required result: status, an approvalId
 * string that the message repeats, a future expiry, a plan summary, and any
 * approval URL on the loopback interface.
 */
export function assertApprovalRequired(result, label) {
  const structured = result.structuredContent ?? {};
  assert.equal(structured.status, 'approval_required', `${label}: status`);
  assert.equal(typeof structured.approvalId, 'string', `${label}: approvalId must be a string: ${JSON.stringify(structured)}`);
  assert.ok(structured.approvalId.length > 0, `${label}: approvalId is empty`);
  assert.ok(structured.message?.includes(structured.approvalId), `${label}: message does not repeat the approvalId: ${structured.message}`);
  assert.ok(Date.parse(structured.expiresAt) > Date.now(), `${label}: expiresAt ${structured.expiresAt} is not a future time`);
  assert.equal(typeof structured.plan?.summary, 'string', `${label}: plan.summary`);
  assert.ok(resultText(result).length > 0, `${label}: no text content tells the agent what to do`);
  const urls = JSON.stringify(result).match(/https?:\/\/[^\s"'\\)]+/g) ?? [];
  for (const url of urls) {
    assert.match(url, /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/, `${label}: approval URL ${url} is not on loopback`);
  }
}

/** Asserts the shape of an elicitation request that the server sent. */
export function assertElicitation(params, label) {
  assert.equal(typeof params.message, 'string', `${label}: elicitation message`);
  assert.ok(params.message.length > 0, `${label}: elicitation message is empty`);
  assert.equal(params.requestedSchema?.type, 'object', `${label}: elicitation requestedSchema type`);
}
