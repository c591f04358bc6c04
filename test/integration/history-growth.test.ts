import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RecordedRequest, ScriptedReply } from '../../client/scripted-model-server.js';
import { fetchAllRuns, stepHistories } from '../../bench/history-bytes.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';

// Not timed: this guards the shape of history, so a change that carries the conversation (or any
// growing state) through workflow history again fails here. `npm run bench -- history` measures more.

const PROMPT = 'Read a.txt and b.txt, again and again.';
const TOOL_STEPS = 12;
/** About 1 KB each, so a step adds about 2 KB of tool output. */
const FILE = `${'0123456789abcdef'.repeat(5)}\n`.repeat(12);
/** Per-step bookkeeping (references, tool call arguments, previews, summaries) that does not grow with the content. */
const SLACK_BYTES = 2048;

function isThisSession(request: RecordedRequest): boolean {
  return request.body.messages.find((message) => message.role === 'user')?.content === PROMPT;
}

function respond(request: RecordedRequest): ScriptedReply {
  const steps = request.body.messages.filter((message) => message.role === 'assistant').length;
  if (steps >= TOOL_STEPS) return { content: 'Read them all.' };
  return { toolCalls: [{ name: 'read', arguments: { filePath: 'a.txt' } }, { name: 'read', arguments: { filePath: 'b.txt' } }] };
}

describe('workflow history of a session', () => {
  let harness: SessionHarness;
  beforeAll(async () => {
    harness = await startHarness({ respond, files: { 'a.txt': FILE, 'b.txt': FILE } });
  });
  afterAll(() => harness?.close());

  test('grows per step by at most twice what is new in the step, not by the conversation', async () => {
    const handle = await harness.start({ prompt: PROMPT, maxSteps: TOOL_STEPS + 2 });
    const result = await handle.result();
    expect(result.steps).toBe(TOOL_STEPS + 1);

    // What each step added to the conversation: the model's reply and the two tool results.
    const sizes = harness.model.requests.filter(isThisSession).map((request) => Buffer.byteLength(JSON.stringify(request.body.messages)));
    expect(sizes).toHaveLength(TOOL_STEPS + 1);
    const newBytes = sizes.slice(1).map((size, index) => size - sizes[index]!);
    for (const bytes of newBytes) expect(bytes).toBeGreaterThan(2000);

    const steps = stepHistories(await fetchAllRuns(harness.client, handle.workflowId), 'invokeModel').slice(0, TOOL_STEPS);
    expect(steps).toHaveLength(TOOL_STEPS);
    const perStep = steps.map((step, index) => ({ step: index + 1, historyBytes: step.payloadBytes, newBytes: newBytes[index]! }));
    for (const { step, historyBytes, newBytes: fresh } of perStep) {
      expect(historyBytes, `step ${step}: ${historyBytes} bytes of history for ${fresh} new bytes`).toBeLessThanOrEqual(2 * fresh + SLACK_BYTES);
    }
    // And the last step costs about what the second did: nothing accumulates from step to step.
    expect(perStep.at(-1)!.historyBytes).toBeLessThanOrEqual(perStep[1]!.historyBytes * 1.25 + 256);
  });
});
