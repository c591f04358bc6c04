import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lastUserText, toolResults, type RecordedRequest, type ScriptedReply } from '../../client/scripted-model-server.js';
import { sendPromptUpdate, todosQuery } from '../../workflows/messages.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';

const TOOL_STEPS = 5;

function firstUserText(request: RecordedRequest): string {
  const first = request.body.messages.find((message) => message.role === 'user');
  return typeof first?.content === 'string' ? first.content : '';
}

function respond(request: RecordedRequest): ScriptedReply {
  const toolMessages = request.body.messages.filter((message) => message.role === 'tool').length;
  if (firstUserText(request).startsWith('Long job')) {
    if (toolMessages === 0) {
      return { toolCalls: [{ name: 'todowrite', arguments: { todos: [{ content: 'count files', status: 'in_progress' }] } }] };
    }
    if (toolMessages < TOOL_STEPS) return { toolCalls: [{ name: 'glob', arguments: { pattern: `**/*.md`, path: toolMessages % 2 ? '.' : undefined } }] };
    return { content: `finished after ${toolMessages} tool results; first was ${JSON.stringify(toolResults(request).length)}` };
  }
  if (firstUserText(request).startsWith('Slow first answer')) {
    const last = lastUserText(request);
    if (last === 'And one more thing?') return { content: `second answer (saw ${request.body.messages.filter((m) => m.role === 'assistant').length} earlier replies)` };
    return { content: 'first answer', delayMs: 1_500 };
  }
  return { status: 400, errorMessage: 'unscripted' };
}

describe('long sessions', () => {
  let harness: SessionHarness;
  beforeAll(async () => {
    harness = await startHarness({ respond });
  });
  afterAll(() => harness?.close());

  test('continue-as-new carries the conversation, todos and usage into the next run', async () => {
    const handle = await harness.start({ prompt: 'Long job', continueAsNewAfterSteps: 2 });
    const firstRunId = (await handle.describe()).runId;
    const result = await handle.result();

    expect(result.text).toBe(`finished after ${TOOL_STEPS} tool results; first was 1`);
    expect(result.steps).toBe(TOOL_STEPS + 1);
    expect(result.todos).toEqual([{ content: 'count files', status: 'in_progress' }]);
    const firstRun = await harness.client.workflow.getHandle(handle.workflowId, firstRunId).fetchHistory();
    const lastEvent = firstRun.events?.at(-1)?.eventType;
    expect(lastEvent).toBe(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    // Every model request of the session saw the whole conversation, across runs.
    const requests = harness.model.requests.filter((request) => firstUserText(request) === 'Long job');
    expect(requests.map((request) => request.body.messages.length)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(await harness.client.workflow.getHandle(handle.workflowId).query(todosQuery)).toEqual(result.todos);
  });

  test('a follow-up prompt sent while the session runs is answered in the same conversation', async () => {
    const handle = await harness.start({ prompt: 'Slow first answer' });
    await expect.poll(() => harness.model.requests.some((request) => firstUserText(request) === 'Slow first answer')).toBe(true);
    const answer = await handle.executeUpdate(sendPromptUpdate, { args: ['And one more thing?'] });
    expect(answer).toBe('second answer (saw 1 earlier replies)');
    expect((await handle.result()).text).toBe(answer);
  });

  test('an ended session refuses follow-ups clearly', async () => {
    const handle = await harness.start({ prompt: 'Long job' });
    await handle.result();
    await expect(handle.executeUpdate(sendPromptUpdate, { args: ['more'] })).rejects.toThrow(/completed|ended/);
  });
});
