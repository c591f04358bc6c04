import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { messageText, toolResults, type RecordedRequest, type ScriptedReply } from '../../client/scripted-model-server.js';
import type { InvokeModelResult } from '../../workflows/session-types.js';
import { activityResults } from './support/activity-results.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';

/** Each test's prompt names its scenario; a scenario answers by its own attempt count. */
type Scenario = (attempt: number, request: RecordedRequest) => ScriptedReply;
const scenarios: Record<string, Scenario> = {};
const IDLE_TIMEOUT_MS = 2_000;

function scenarioOf(request: RecordedRequest): string {
  return messageText(request.body.messages.find((message) => message.role === 'user')).split(':')[0] ?? '';
}

function define(name: string, scenario: Scenario): string {
  scenarios[name] = scenario;
  return `${name}: please help`;
}

const done: ScriptedReply = { content: 'All done.' };

describe('model faults on the real dev server', () => {
  let harness: SessionHarness;
  const requestsOf = (name: string) => harness.model.requests.filter((request) => scenarioOf(request) === name);
  const gaps = (name: string) => requestsOf(name).slice(1).map((request, index) => request.receivedAt - requestsOf(name)[index]!.receivedAt);

  beforeAll(async () => {
    harness = await startHarness({
      respond: (request) => {
        const name = scenarioOf(request);
        const scenario = scenarios[name];
        if (!scenario) return { status: 500, errorMessage: `no scenario "${name}"` };
        return scenario(harness.model.requests.filter((earlier) => earlier.index < request.index && scenarioOf(earlier) === name).length, request);
      },
      files: { 'notes/plan.txt': 'ship the model faults\n' },
      model: { idleTimeoutMs: IDLE_TIMEOUT_MS, prices: { scripted: { input: 2, output: 8, cachedInput: 0.5 } } },
    });
  });
  afterAll(() => harness?.close());

  test.each([429, 500])('retries after a %i and completes', async (status) => {
    const prompt = define(`status-${status}`, (attempt) => (attempt === 0 ? { status } : done));
    const result = await harness.run({ prompt });
    expect(result).toMatchObject({ text: 'All done.', stopReason: 'final-answer' });
    expect(requestsOf(`status-${status}`)).toHaveLength(2);
  });

  test('honours retry-after: 1 on a 429 instead of its own backoff', async () => {
    const prompt = define('retry-after', (attempt) => (attempt === 0 ? { status: 429, headers: { 'retry-after': '1' } } : done));
    await harness.run({ prompt });
    const [gap] = gaps('retry-after');
    expect(gap).toBeGreaterThanOrEqual(1_000);
    // The retry policy's own first interval is 2 s.
    expect(gap).toBeLessThan(1_900);
  });

  test('honours retry-after-ms on a 429, even when longer than its own backoff', async () => {
    const prompt = define('retry-after-ms', (attempt) => (attempt === 0 ? { status: 429, headers: { 'retry-after-ms': '2500' } } : done));
    await harness.run({ prompt });
    expect(gaps('retry-after-ms')[0]).toBeGreaterThanOrEqual(2_500);
  });

  test.each([
    [400, /answered 400 for model "scripted"/],
    [401, /answered 401 for model "scripted".*Check OPENAI_API_KEY\./],
  ])('fails at once on a %i, naming status, endpoint and model', async (status, message) => {
    const prompt = define(`status-${status}`, () => ({ status, errorMessage: `scripted refusal ${status}` }));
    const started = Date.now();
    const failure = await harness.run({ prompt }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = deepestCause(failure as Error);
    expect(cause.message).toMatch(message);
    expect(cause.message).toContain(harness.model.baseURL);
    expect(cause.message).toContain(`scripted refusal ${status}`);
    expect(requestsOf(`status-${status}`)).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('returns malformed tool calls to the model as errors it can act on, and goes on', async () => {
    const prompt = define('malformed', (attempt, request) => {
      if (attempt > 0) return { content: `Noted: ${toolResults(request).map((result) => result.content).join(' | ')}` };
      return {
        toolCalls: [
          { id: 'bad-json', name: 'read', arguments: '{"filePath": "README.md"' },
          { id: 'bad-type', name: 'read', arguments: { filePath: 42 } },
          { id: 'missing', name: 'grep', arguments: {} },
          { id: 'unknown', name: 'delete_everything', arguments: { really: true } },
        ],
      };
    });
    const result = await harness.run({ prompt });
    expect(result).toMatchObject({ stopReason: 'final-answer', steps: 2 });
    const results = Object.fromEntries(toolResults(requestsOf('malformed')[1]!).map((item) => [item.toolCallId, item.content]));
    expect(results['bad-json']).toMatch(/Invalid arguments for tool "read":\n- \(arguments\): not valid JSON .*send a JSON object/);
    expect(results['bad-type']).toMatch(/Invalid arguments for tool "read":\n- filePath: .*expected string/i);
    expect(results['missing']).toMatch(/Invalid arguments for tool "grep":\n- pattern: /);
    expect(results['unknown']).toMatch(/Unknown tool "delete_everything"\. Available tools: .*read/);
  });

  test('streams the reply and reassembles tool-call arguments from their fragments', async () => {
    const args = { filePath: 'notes/plan.txt', offset: 1, limit: 50 };
    const prompt = define('streaming', (attempt) => (attempt === 0 ? { toolCalls: [{ id: 'read-plan', name: 'read', arguments: args }] } : done));
    await harness.run({ prompt });
    const [first, second] = requestsOf('streaming');
    expect(first!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const assistant = second!.body.messages.find((message) => message.role === 'assistant');
    expect(JSON.parse(assistant!.tool_calls![0]!.function.arguments)).toEqual(args);
    expect(toolResults(second!)[0]?.content).toContain('ship the model faults');
  });

  test('abandons a model that hangs after the idle timeout, and completes on the next attempt', async () => {
    const prompt = define('hang', (attempt) => (attempt === 0 ? { hang: true } : done));
    const result = await harness.run({ prompt });
    expect(result.text).toBe('All done.');
    expect(requestsOf('hang')).toHaveLength(2);
    expect(gaps('hang')[0]).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS);
  });

  test('retries a reply cut mid-stream', async () => {
    const prompt = define('cut', (attempt) => (attempt === 0 ? { content: 'This answer will never be finished at all', cutAfterChunks: 4 } : done));
    const result = await harness.run({ prompt });
    expect(result.text).toBe('All done.');
    expect(requestsOf('cut')).toHaveLength(2);
  });

  test('prices each model call when the model has a price', async () => {
    const usage = { prompt_tokens: 1_000_000, completion_tokens: 100_000, cached_tokens: 200_000 };
    const prompt = define('priced', () => ({ ...done, usage }));
    const handle = await harness.start({ prompt });
    const result = await handle.result();
    const [reply] = await activityResults<InvokeModelResult>(handle, 'invokeModel');
    const expected = 0.8 * 2 + 0.2 * 0.5 + 0.1 * 8;
    expect(reply?.usage).toEqual({ inputTokens: 1_000_000, outputTokens: 100_000, cachedTokens: 200_000, costUsd: expect.closeTo(expected, 9) });
    expect(result.usage).toMatchObject({ inputTokens: 1_000_000, outputTokens: 100_000, cachedTokens: 200_000 });
  });
});

function deepestCause(error: Error): Error {
  let current = error;
  while (current.cause instanceof Error) current = current.cause;
  return current;
}
