import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { messageText, systemPrompt, toolResults, type RecordedRequest, type ScriptedReply } from '../../client/scripted-model-server.js';
import { SUMMARY_PREFIX } from '../../activities/compact-conversation.js';
import { compactionPrompt } from '../../agents/prompts/compaction.js';
import { buildPrompt } from '../../agents/prompts/build.js';
import type { InvokeModelResult } from '../../workflows/session-types.js';
import { activityResults } from './support/activity-results.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';

// A 4,000-token window with 1,000 tokens of output: older turns are summarised from 3,000 tokens on.
const CONTEXT_LIMIT = { context: 4_000, output: 1_000 };
const BIG_LOG = Array.from({ length: 100 }, (_, line) => `BIGLOG line ${line + 1} ${'x'.repeat(60)}`).join('\n');
const FILES = { 'logs/big.log': BIG_LOG, 'notes/a.txt': 'recent note A\n', 'notes/b.txt': 'recent note B\n' };

/** What the conversation is about: the prompt, or after a compaction the summary, which repeats it. */
function scenarioOf(request: RecordedRequest): string {
  const text = messageText(request.body.messages.find((message) => message.role === 'user'));
  return /scenario ([\w-]+)/.exec(text)?.[1] ?? '';
}

const scriptedFailures = new Map<string, number>();
const isSummaryRequest = (request: RecordedRequest) => systemPrompt(request) === compactionPrompt;

/**
 * Reads big.log, then a.txt, then b.txt, then answers. The model reports few tokens, except where a
 * scenario claims the conversation has grown near the limit.
 */
function respond(request: RecordedRequest): ScriptedReply {
  const scenario = scenarioOf(request);
  if (isSummaryRequest(request)) return { content: `The user asked for scenario ${scenario}; big.log was read and looked fine.`, usage: { prompt_tokens: 900, completion_tokens: 40 } };
  const results = toolResults(request).map((result) => result.content).join('\n');
  const usage = { prompt_tokens: 150, completion_tokens: 20 };
  if (results.includes('recent note B')) {
    if (scenario === 'overflow' && !request.body.messages.some((message) => messageText(message).startsWith(SUMMARY_PREFIX))) {
      return { status: 400, errorMessage: "This model's maximum context length is 4000 tokens. However, your messages resulted in 5120 tokens." };
    }
    if (scenario === 'flaky-after-summary' && scriptedFailures.get(scenario) === undefined) {
      scriptedFailures.set(scenario, 1);
      return { status: 500 };
    }
    return { content: 'Finished.', usage };
  }
  if (results.includes('recent note A')) {
    // The reply after this one starts near the limit: 3,200 + 20 tokens counted, plus b.txt's result.
    return { toolCalls: [{ name: 'read', arguments: { filePath: 'notes/b.txt' } }], usage: scenario === 'overflow' ? usage : { prompt_tokens: 3_200, completion_tokens: 20 } };
  }
  if (results.includes('BIGLOG')) return { toolCalls: [{ name: 'read', arguments: { filePath: 'notes/a.txt' } }], usage };
  return { toolCalls: [{ name: 'read', arguments: { filePath: 'logs/big.log' } }], usage };
}
describe('compaction', () => {
  let harness: SessionHarness;
  const requestsOf = (scenario: string) => harness.model.requests.filter((request) => scenarioOf(request) === scenario);

  beforeAll(async () => {
    harness = await startHarness({ respond, files: FILES, model: { contextLimits: { scripted: CONTEXT_LIMIT } } });
  });
  afterAll(() => harness?.close());

  test('summarises older turns near the context limit and keeps the last two verbatim', async () => {
    const handle = await harness.start({ prompt: 'Run scenario basic: read the logs and notes.' });
    const result = await handle.result();
    expect(result).toMatchObject({ text: 'Finished.', stopReason: 'final-answer', steps: 4 });
    const replies = await activityResults<InvokeModelResult>(handle, 'invokeModel');
    expect(replies.map((reply) => reply.compacted ?? false)).toEqual([false, false, false, true]);
    // The summary call is paid for too.
    expect(replies[3]?.usage).toEqual({ inputTokens: 900 + 150, outputTokens: 40 + 20, cachedTokens: 0 });

    const requests = requestsOf('basic');
    expect(requests.map((request) => (isSummaryRequest(request) ? 'summary' : 'step'))).toEqual(['step', 'step', 'step', 'summary', 'step']);
    const [summary, next] = requests.slice(3) as [RecordedRequest, RecordedRequest];

    // The summary call offers no tools and sees the old turns, with tool outputs cut to 2,000 characters.
    expect(summary.body.tools ?? []).toEqual([]);
    const sent = messageText(summary.body.messages.at(-1));
    expect(sent).toContain('Run scenario basic: read the logs and notes.');
    expect(sent).toContain('BIGLOG line 1 ');
    expect(sent).not.toContain('BIGLOG line 99 ');
    expect(sent).toMatch(/\[\.\.\. \d+ more characters cut\]/);
    expect(sent).not.toContain('recent note A');

    // The next request: the agent's system prompt, the summary, then the last two turns as they were.
    const roles = next.body.messages.map((message) => message.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(messageText(next.body.messages[0])).toBe(buildPrompt);
    expect(messageText(next.body.messages[1])).toBe(`${SUMMARY_PREFIX}\n\nThe user asked for scenario basic; big.log was read and looked fine.`);
    const body = JSON.stringify(next.body.messages);
    expect(body).toContain('recent note A');
    expect(body).toContain('recent note B');
    expect(body).not.toContain('BIGLOG');
    expect(body).not.toContain('Run scenario basic');
    expect(next.body.tools?.length).toBeGreaterThan(0);
  });

  test('compacts and tries again when the endpoint says the context overflowed', async () => {
    const result = await harness.run({ prompt: 'Run scenario overflow: read the logs and notes.' });
    expect(result).toMatchObject({ text: 'Finished.', stopReason: 'final-answer' });
    const kinds = requestsOf('overflow').map((request) => (isSummaryRequest(request) ? 'summary' : messageText(request.body.messages[1]).startsWith(SUMMARY_PREFIX) ? 'compacted' : 'step'));
    expect(kinds).toEqual(['step', 'step', 'step', 'step', 'summary', 'compacted']);
  });

  test('a retried model call reuses the summary of the attempt before', async () => {
    const result = await harness.run({ prompt: 'Run scenario flaky-after-summary: read the logs and notes.' });
    expect(result.text).toBe('Finished.');
    const kinds = requestsOf('flaky-after-summary').map((request) => (isSummaryRequest(request) ? 'summary' : 'step'));
    expect(kinds).toEqual(['step', 'step', 'step', 'summary', 'step', 'step']);
  });
});
