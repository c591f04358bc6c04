import { WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { lastUserText, toolResults, type RecordedRequest } from '../../client/scripted-model-server.js';
import { MAX_PROMPT_CHARACTERS, STEP_LIMIT_MESSAGE } from '../../workflows/session-workflow.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';
import { activityEvents } from './support/history.js';

/** Reads the file the prompt names, then answers with what it found. */
function readThenAnswer(request: RecordedRequest) {
  const results = toolResults(request);
  if (results.length === 0) {
    const file = lastUserText(request).match(/read (\S+)/)?.[1] ?? 'README.md';
    return { toolCalls: [{ name: 'read', arguments: { filePath: file } }] };
  }
  return { content: `The file says: ${results.map((result) => result.content).join('\n')}` };
}

describe('a session on the real dev server', () => {
  let harness: SessionHarness;
  beforeAll(async () => {
    harness = await startHarness({ respond: readThenAnswer, files: { 'notes/plan.txt': 'ship the foundation\n' } });
  });
  afterAll(() => harness?.close());

  test('calls a tool, feeds its result back, and returns the final answer with usage', async () => {
    const handle = await harness.start({ prompt: 'Please read notes/plan.txt' });
    const result = await handle.result();

    expect(result.text).toContain('ship the foundation');
    expect(result).toMatchObject({ agent: 'build', steps: 2, stopReason: 'final-answer', sessionId: handle.workflowId });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    const [first, second] = harness.model.requests.filter((request) => lastUserText(request).includes('notes/plan.txt'));
    expect(first?.body.stream).toBe(true);
    expect(first?.body.tools?.map((tool) => tool.function?.name)).toContain('read');
    expect(toolResults(second!)[0]?.content).toContain('ship the foundation');

    expect((await handle.describe()).memo).toEqual({ agent: 'build', prompt: 'Please read notes/plan.txt' });
    const events = await activityEvents(handle);
    expect(events.map((event) => event.type)).toEqual(['loadAgents', 'invokeModel', 'runTool', 'invokeModel']);
    expect(events.map((event) => event.summary)).toEqual(['load agents', 'model scripted step 1', 'read notes/plan.txt', 'model scripted step 2']);
  });

  test('replays its recorded history against the current workflow code', async () => {
    const handle = await harness.start({ prompt: 'Please read README.md' });
    await handle.result();
    const history = await handle.fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, handle.workflowId)).resolves.toBeUndefined();
  });

  test('fails clearly for an unknown agent', async () => {
    const failure = await harness.run({ prompt: 'hello', agent: 'no-such-agent' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toMatch(/Unknown agent "no-such-agent"\. Available: .*build/);
  });
});

describe('the step limit', () => {
  let harness: SessionHarness;
  beforeAll(async () => {
    harness = await startHarness({
      respond: (request) =>
        request.body.tools?.length ? { toolCalls: [{ name: 'glob', arguments: { pattern: '**/*.md' } }] } : { content: 'Summary: listed files; nothing else done.' },
    });
  });
  afterAll(() => harness?.close());

  test('tells the model tools are off at the last step and returns its summary', async () => {
    const result = await harness.run({ prompt: 'List everything, forever', maxSteps: 3 });
    expect(result).toMatchObject({ steps: 3, stopReason: 'step-limit', text: 'Summary: listed files; nothing else done.' });
    const last = harness.model.requests.at(-1)!;
    expect(last.body.tools ?? []).toEqual([]);
    expect(lastUserText(last)).toBe(STEP_LIMIT_MESSAGE);
  });
});

describe('an oversized prompt', () => {
  let harness: SessionHarness;
  beforeAll(async () => {
    harness = await startHarness({ respond: [] });
  });
  afterAll(() => harness?.close());

  test('fails at once with the size and the limit, before any model call', async () => {
    const failure = await harness.run({ prompt: 'x'.repeat(MAX_PROMPT_CHARACTERS + 1) }).catch((error: unknown) => error);
    expect((failure as WorkflowFailedError).cause?.message).toBe(
      `The prompt has ${MAX_PROMPT_CHARACTERS + 1} characters; the limit is ${MAX_PROMPT_CHARACTERS}. Put long material in a file in the workspace and ask the agent to read it.`,
    );
    expect(harness.model.requests).toHaveLength(0);
  });
});
