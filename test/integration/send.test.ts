import { mkdir, mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { messageText, type RecordedRequest, type ScriptedReply } from '../../client/scripted-model-server.js';
import { cliEnvironment, lastJson, runCli } from './support/orca-cli.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';

/** Answers with every user message the conversation holds, so a continued conversation is visible. */
function respond(request: RecordedRequest): ScriptedReply {
  const prompts = request.body.messages.filter((message) => message.role === 'user').map((message) => messageText(message));
  const last = prompts.at(-1) ?? '';
  return { content: `heard: ${prompts.join(' / ')}`, ...(last.startsWith('slow') ? { delayMs: 4_000 } : {}) };
}

describe('orca send', () => {
  let harness: SessionHarness;
  let env: NodeJS.ProcessEnv;
  let cwd: string;
  beforeAll(async () => {
    harness = await startHarness({ respond });
    cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'orca-send-')));
    await mkdir(path.join(cwd, '.git'));
    env = cliEnvironment({ TEMPORAL_ADDRESS: inject('temporalAddress') });
  });
  afterAll(() => harness?.close());

  test('continues a completed session in a new run of the same id, with its conversation', async () => {
    const handle = await harness.start({ prompt: 'first question' });
    expect((await handle.result()).text).toBe('heard: first question');

    const sent = await runCli(['send', handle.workflowId, 'second question', '--json'], { env, cwd });
    expect(sent.code, sent.stderr).toBe(0);
    expect(lastJson(sent)).toMatchObject({ workflowId: handle.workflowId, status: 'completed', text: 'heard: first question / second question' });
    const runs: string[] = [];
    for await (const execution of harness.client.workflow.list({ query: `WorkflowId = "${handle.workflowId}"` })) runs.push(execution.runId);
    expect(runs).toHaveLength(2);
  });

  test('a running session answers the follow-up in the same run', async () => {
    const handle = await harness.start({ prompt: 'slow first question' });
    await expect.poll(() => harness.model.requests.some((request) => messageText(request.body.messages.at(-1)) === 'slow first question')).toBe(true);
    const sent = await runCli(['send', handle.workflowId, 'follow-up'], { env, cwd });
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout.trim()).toBe('heard: slow first question / follow-up');
  });

  test('an unknown session is a clear error', async () => {
    const sent = await runCli(['send', 'orca-build-00000000', 'hello'], { env, cwd });
    expect(sent.code).toBe(1);
    expect(sent.stderr).toContain('No session "orca-build-00000000"');
  });
});
