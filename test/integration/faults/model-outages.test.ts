import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startScriptedModelServer, toolResults, type RecordedRequest, type ScriptedModelServer, type ScriptedReply } from '../../../client/scripted-model-server.js';
import { startHarness, type SessionHarness } from '../support/session-harness.js';
import { completedActivities, firstUserText, waitFor } from './fault-kit.js';

/** Model faults beyond test/integration/model-faults.test.ts: concurrent bursts, exhausted retries, stalls mid-stream, cuts inside tool calls. */
type Scenario = (attempt: number, request: RecordedRequest) => ScriptedReply;
const scenarios: Record<string, Scenario> = {};
const IDLE_TIMEOUT_MS = 2_000;
/** Temporal's retry policy for invokeModel (workflows/activity-options.ts). */
const MODEL_ATTEMPTS = 8;

const scenarioOf = (request: RecordedRequest) => firstUserText(request).split(':')[0] ?? '';
function define(name: string, scenario: Scenario): string {
  scenarios[name] = scenario;
  return `${name}: please help`;
}

function failureChain(error: unknown): { type?: string; activityType?: string; message: string }[] {
  const chain: { type?: string; activityType?: string; message: string }[] = [];
  for (let current = error as (Error & { type?: string; activityType?: string; cause?: unknown }) | undefined; current; current = current.cause as typeof current) {
    chain.push({ type: current.type, activityType: current.activityType, message: current.message });
  }
  return chain;
}

/** The pending invokeModel activity of a running session, as `orca status` / the Web UI can show it. */
async function pendingModelCall(handle: WorkflowHandle) {
  const description = await handle.client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: handle.workflowId } });
  const pending = description.pendingActivities?.find((activity) => activity.activityType?.name === 'invokeModel');
  return pending ? { attempt: pending.attempt ?? 0, type: pending.lastFailure?.applicationFailureInfo?.type ?? undefined, message: pending.lastFailure?.message ?? '' } : undefined;
}

describe('model faults, on the real dev server', () => {
  let harness: SessionHarness;
  const requestsOf = (name: string) => harness.model.requests.filter((request) => scenarioOf(request) === name);

  beforeAll(async () => {
    harness = await startHarness({
      respond: (request) => {
        const name = scenarioOf(request);
        const scenario = scenarios[name];
        if (!scenario) return { status: 400, errorMessage: `no scenario "${name}"` };
        return scenario(harness.model.requests.filter((earlier) => earlier.index < request.index && scenarioOf(earlier) === name).length, request);
      },
      model: { idleTimeoutMs: IDLE_TIMEOUT_MS },
    });
  });
  afterAll(() => harness?.close());

  test('a burst of 429s with Retry-After across 6 concurrent sessions: each waits as asked, then completes', { timeout: 60_000 }, async () => {
    // The endpoint refuses everything for the first 2.5 s, asking each caller to come back in 1 s.
    let burstStart: number | undefined;
    const names = Array.from({ length: 6 }, (_, index) => `burst-${index}`);
    const prompts = names.map((name) =>
      define(name, (_attempt, request) => {
        burstStart ??= request.receivedAt;
        if (request.receivedAt - burstStart < 2_500) return { status: 429, headers: { 'retry-after': '1' }, errorMessage: 'Rate limit reached for requests' };
        return { content: `${name} done` };
      }),
    );
    const started = Date.now();
    const results = await Promise.all(prompts.map((prompt) => harness.run({ prompt })));
    expect(results.map((result) => result.text)).toEqual(names.map((name) => `${name} done`));
    for (const name of names) {
      const times = requestsOf(name).map((request) => request.receivedAt);
      expect(times.length).toBeGreaterThanOrEqual(2);
      expect(times.length).toBeLessThanOrEqual(4);
      // Never sooner than the endpoint asked, and not much later either (the policy's own backoff would be 2 s, 4 s, ...).
      for (let index = 1; index < times.length; index += 1) expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(1_000);
      for (let index = 1; index < times.length; index += 1) expect(times[index]! - times[index - 1]!).toBeLessThan(1_900);
    }
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test.each([
    [429, 'ModelRateLimited', { 'retry-after-ms': '50' }],
    [503, 'ModelUnavailable', { 'retry-after-ms': '50' }],
  ])('a %i that never ends fails the session after %s retries with a named error', { timeout: 60_000 }, async (status, type, headers) => {
    const prompt = define(`always-${status}`, () => ({ status, headers, errorMessage: `scripted outage ${status}` }));
    const started = Date.now();
    const failure = await harness.run({ prompt }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const deepest = failureChain(failure).at(-1)!;
    expect(deepest.type).toBe(type);
    expect(deepest.message).toContain(`${harness.model.baseURL} answered ${status} for model "scripted"`);
    expect(deepest.message).toContain(`scripted outage ${status}`);
    expect(failureChain(failure).map((link) => link.activityType)).toContain('invokeModel');
    expect(requestsOf(`always-${status}`)).toHaveLength(MODEL_ATTEMPTS);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test('a reply that stalls mid-stream is abandoned after the idle timeout with ModelStalled, then retried', { timeout: 60_000 }, async () => {
    // Sends its first chunk, then nothing for 10 minutes.
    const prompt = define('stall', (attempt) => (attempt === 0 ? { content: 'I will never finish this sentence', chunkDelayMs: 600_000 } : { content: 'Finished.' }));
    const handle = await harness.start({ prompt });
    const failed = await waitFor(async () => {
      const pending = await pendingModelCall(handle);
      return pending?.type ? pending : undefined;
    }, 'the stalled model call to fail its first attempt', 20_000);
    const result = await handle.result();
    expect(result.text).toBe('Finished.');
    expect(requestsOf('stall')).toHaveLength(2);
    const [first, second] = requestsOf('stall');
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS);
    // While it waits to retry (2 s), the session shows why.
    expect(failed).toMatchObject({ type: 'ModelStalled', message: expect.stringMatching(/The model sent nothing for 2 s and was abandoned \(after 1 chunks\)/) });
    expect((await completedActivities(handle)).filter((activity) => activity.type === 'invokeModel').map((activity) => activity.attempt)).toEqual([2]);
  });

  test('a model that never answers keeps the session visibly retrying with ModelStalled until it is cancelled', { timeout: 60_000 }, async () => {
    const prompt = define('never', () => ({ hang: true }));
    const handle = await harness.start({ prompt });
    const pending = await waitFor(async () => {
      const call = await pendingModelCall(handle);
      return call && call.attempt >= 2 && call.type ? call : undefined;
    }, 'a retry of the silent model call', 30_000);
    expect(pending).toMatchObject({ type: 'ModelStalled', message: expect.stringContaining('The model sent nothing for 2 s and was abandoned (after 0 chunks)') });
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(/cancel/i);
    const requests = requestsOf('never').length;
    await new Promise((resolve) => setTimeout(resolve, IDLE_TIMEOUT_MS + 1_000));
    expect(requestsOf('never')).toHaveLength(requests);
  });

  test('a stream cut inside a tool call never runs the half-received call; the retry runs it once', { timeout: 60_000 }, async () => {
    const command = 'echo cut-once >> cut.log && echo ran';
    const call = { id: 'cut-call', name: 'bash', arguments: { command, description: 'Appends to cut.log' } };
    // Chunks: role, the call's header, then three argument fragments: cut after the first fragment.
    const prompt = define('cut-call', (attempt, request) => {
      if (attempt === 0) return { toolCalls: [call], cutAfterChunks: 3 };
      if (toolResults(request).length === 0) return { toolCalls: [call] };
      return { content: `Result: ${toolResults(request)[0]?.content}` };
    });
    const result = await harness.run({ prompt });
    expect(result.text).toBe('Result: ran\n<exit code: 0>');
    expect(await readFile(path.join(harness.workspace, 'cut.log'), 'utf8')).toBe('cut-once\n');
    expect(requestsOf('cut-call')).toHaveLength(3);
  });

  test('a stream cut after its finish chunk, before usage and [DONE], runs the tool call once', { timeout: 60_000 }, async () => {
    const command = 'echo cut-late >> cut-late.log && echo ran';
    const call = { id: 'late-call', name: 'bash', arguments: { command, description: 'Appends to cut-late.log' } };
    // role, header, 3 fragments, finish (position 5): cut before the usage chunk.
    const prompt = define('cut-late', (attempt, request) => {
      if (toolResults(request).length > 0) return { content: `Result: ${toolResults(request)[0]?.content}` };
      return attempt === 0 ? { toolCalls: [call], cutAfterChunks: 6 } : { toolCalls: [call] };
    });
    const result = await harness.run({ prompt });
    expect(result.text).toBe('Result: ran\n<exit code: 0>');
    expect(await readFile(path.join(harness.workspace, 'cut-late.log'), 'utf8')).toBe('cut-late\n');
  });

  test('invalid JSON arguments for task, todowrite and bash come back to the model as errors; nothing runs', { timeout: 60_000 }, async () => {
    const prompt = define('bad-arguments', (attempt, request) => {
      if (attempt > 0) return { content: toolResults(request).map((result) => `${result.toolName}: ${result.content}`).join('\n') };
      return {
        toolCalls: [
          { id: 'task-json', name: 'task', arguments: '{"description": "x", "prompt": "y", "subagent_type": "general"' },
          { id: 'todo-schema', name: 'todowrite', arguments: { todos: [{ content: 'x', status: 'maybe' }] } },
          { id: 'bash-json', name: 'bash', arguments: '{"command": "touch must-not-exist.txt", "description": ' },
          { id: 'empty-name', name: '', arguments: '{}' },
        ],
      };
    });
    const handle = await harness.start({ prompt, agent: 'build' });
    const result = await handle.result();
    const lines = result.text.split('\n');
    expect(lines[0]).toBe('task: Invalid arguments for task: not valid JSON ({"description": "x", "prompt": "y", "subagent_type": "general"). Send a JSON object.');
    expect(lines[1]).toMatch(/^todowrite: Invalid arguments for todowrite: todos\.0\.status: Invalid option: expected one of .*Fix the arguments and call todowrite again\.$/);
    expect(result.text).toMatch(/bash: Invalid arguments for tool "bash":\n- \(arguments\): not valid JSON .*send a JSON object/);
    expect(result.text).toMatch(/Unknown tool ""\. Available tools: /);
    expect(existsSync(path.join(harness.workspace, 'must-not-exist.txt'))).toBe(false);
    expect(result.todos).toEqual([]);
  });
});

describe('a model endpoint that is down for a few seconds', () => {
  let harness: SessionHarness;
  let replacement: ScriptedModelServer | undefined;
  const respond = (request: RecordedRequest): ScriptedReply => ({ content: `back: ${firstUserText(request)}` });

  beforeAll(async () => {
    harness = await startHarness({ respond });
  });
  afterAll(async () => {
    await replacement?.close();
    await harness?.close();
  });

  test('the session shows ModelUnavailable while it retries, and completes once the endpoint is back', { timeout: 60_000 }, async () => {
    const port = Number(new URL(harness.model.baseURL).port);
    await harness.model.close();
    const handle = await harness.start({ prompt: 'outage: anyone there?' });
    const pending = await waitFor(async () => {
      const call = await pendingModelCall(handle);
      return call?.type ? call : undefined;
    }, 'the first failed attempt', 20_000);
    expect(pending).toMatchObject({ type: 'ModelUnavailable', message: expect.stringContaining(`Could not reach ${harness.model.baseURL} for model "scripted"`) });

    replacement = await startScriptedModelServer({ respond, port });
    const result = await handle.result();
    expect(result.text).toBe('back: outage: anyone there?');
    expect(replacement.requests).toHaveLength(1);
  });
});
