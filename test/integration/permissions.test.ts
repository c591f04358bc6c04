import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { messageText, toolResults, type RecordedRequest, type ScriptedReply } from '../../client/scripted-model-server.js';
import { statusQuery, type PendingApproval } from '../../workflows/messages.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';
import { activityEvents } from './support/history.js';

const cliPath = fileURLToPath(new URL('../../dist/client/cli.js', import.meta.url));
const SECRET = 'launch code 0451-SECRET';

const carefulAgent = `---
description: Runs "echo safe" commands freely and asks before anything else
mode: primary
permission:
  bash:
    "*": ask
    "echo safe*": allow
---
You are careful. Run exactly the commands you are asked to run.
`;

const guardedAgent = `---
description: May run any command except rm
permission:
  bash:
    "*": allow
    "rm *": deny
---
Run exactly the commands you are asked to run.
`;

type PlannedCall = { name: string; arguments: Record<string, unknown> };

/** A prompt the scripted model follows: one planned tool call per step, then a final answer. */
function plan(label: string, ...calls: PlannedCall[]): string {
  return `${label}\n${JSON.stringify(calls)}`;
}

const bash = (command: string): PlannedCall => ({ name: 'bash', arguments: { command, description: 'Runs the planned command' } });

function firstUserText(request: RecordedRequest): string {
  return messageText(request.body.messages.find((message) => message.role === 'user'));
}

function followPlan(request: RecordedRequest): ScriptedReply {
  const calls = JSON.parse(firstUserText(request).split('\n')[1] ?? '[]') as PlannedCall[];
  const results = request.body.messages.filter((message) => message.role === 'tool').map(messageText);
  const next = calls[results.length];
  if (next) return { toolCalls: [next] };
  return { content: `Done. Tool results:\n${results.join('\n---\n')}` };
}

/** Runs the built CLI against the test server, as a person answering an approval would. */
function runCli(harness: SessionHarness, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: harness.workspace, env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), ORCA_TASK_QUEUE: harness.taskQueue }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Polls the status query until an approval other than those in `seen` is pending. */
async function nextApproval(handle: WorkflowHandle, seen: string[] = []): Promise<PendingApproval> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    // The query handler is registered only once the agents are loaded.
    const status = await handle.query(statusQuery).catch((error: Error) => {
      if (error.name === 'QueryNotRegisteredError') return undefined;
      throw error;
    });
    const approval = status?.pendingApprovals.find((candidate) => !seen.includes(candidate.id));
    if (status?.state === 'waiting-for-approval' && approval) return approval;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${handle.workflowId} never waited for approval`);
}

const workspaceFiles = { 'secret.txt': `${SECRET}\n`, '.orca/agents/careful.md': carefulAgent, '.orca/agents/guarded.md': guardedAgent };

describe('permissions as the control plane, on the real dev server', () => {
  let harness: SessionHarness;
  beforeAll(async () => {
    harness = await startHarness({
      respond: followPlan,
      files: workspaceFiles,
    });
  });
  afterAll(() => harness?.close());

  const requestsOf = (prompt: string) => harness.model.requests.filter((request) => firstUserText(request) === prompt);
  const inWorkspace = (file: string) => path.join(harness.workspace, file);
  const orca = (...args: string[]) => runCli(harness, ...args);

  test('the orchestrator is never offered read, and a read it asks for anyway is refused by the activity', async () => {
    const prompt = plan('orchestrator reads', { name: 'read', arguments: { filePath: 'secret.txt' } });
    const handle = await harness.start({ agent: 'orchestrator', prompt });
    const result = await handle.result();

    const [first, second] = requestsOf(prompt);
    const offered = (first?.body.tools ?? []).map((tool) => tool.function?.name ?? tool.type);
    expect(offered.filter((tool) => ['read', 'list', 'glob', 'grep', 'bash', 'edit', 'write'].includes(tool))).toEqual([]);
    const [refusal] = toolResults(second!);
    expect(refusal).toMatchObject({ toolName: 'read' });
    expect(refusal?.content).toMatch(/^Permission denied: read "secret\.txt" is not allowed for this agent \(rule \* "\*": deny\)/);
    expect(result.text).toContain('Permission denied');
    expect(JSON.stringify(requestsOf(prompt).map((request) => request.body))).not.toContain(SECRET);
    expect((await activityEvents(handle)).filter((event) => event.type === 'runTool')).toEqual([{ type: 'runTool', summary: 'read secret.txt' }]);
  });

  test('an ask waits for `orca approve`, then the session runs the command and completes', async () => {
    const prompt = plan('careful approve', bash('echo safe to run'), bash('touch approved.txt'));
    const handle = await harness.start({ agent: 'careful', prompt });

    const approval = await nextApproval(handle);
    expect(approval).toMatchObject({
      id: `${handle.workflowId}:1`,
      sessionId: handle.workflowId,
      tool: 'bash',
      summary: 'bash: touch approved.txt',
      asks: [{ permission: 'bash', patterns: ['touch approved.txt'], always: ['touch *'] }],
    });
    expect(existsSync(inWorkspace('approved.txt'))).toBe(false);
    // `echo safe*` is allowed: it ran before the session stopped to ask.
    expect(toolResults(requestsOf(prompt)[1]!)[0]?.content).toBe('safe to run\n<exit code: 0>');

    const approved = await orca('approve', approval.id);
    expect(approved).toMatchObject({ code: 0, stdout: expect.stringContaining('Approved') });
    const result = await handle.result();
    expect(result.stopReason).toBe('final-answer');
    expect(existsSync(inWorkspace('approved.txt'))).toBe(true);
    expect((await handle.query(statusQuery)).pendingApprovals).toEqual([]);

    const late = await orca('approve', approval.id);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain(`orca: Session ${handle.workflowId} is not running (it finished, or the id is wrong), so nothing waits for ${approval.id}.`);
  });

  test('`orca deny --message` returns the refusal and the message to the model', async () => {
    const prompt = plan('careful deny', bash('touch denied.txt'));
    const handle = await harness.start({ agent: 'careful', prompt });
    const approval = await nextApproval(handle);

    const wrongId = await orca('approve', `${handle.workflowId}:99`);
    expect(wrongId.code).toBe(1);
    expect(wrongId.stderr).toContain(`No approval "${handle.workflowId}:99" is waiting in ${handle.workflowId}. Waiting: ${approval.id}`);

    const denied = await orca('deny', approval.id, '--message', 'use echo safe instead');
    expect(denied).toMatchObject({ code: 0, stdout: expect.stringContaining('Rejected') });
    await handle.result();
    const refusal = toolResults(requestsOf(prompt).at(-1)!)[0]?.content;
    expect(refusal).toContain('did not allow bash: touch denied.txt');
    expect(refusal).toContain('use echo safe instead');
    expect(existsSync(inWorkspace('denied.txt'))).toBe(false);
  });

  test('`orca approve --always` lets an identical command run again without asking', async () => {
    const prompt = plan('careful always', bash('touch always.txt'), bash('touch always.txt'));
    const handle = await harness.start({ agent: 'careful', prompt });
    const approval = await nextApproval(handle);
    expect((await orca('approve', approval.id, '--always')).code).toBe(0);

    const askedAgain = nextApproval(handle, [approval.id]).then((next) => `asked again: ${next.id}`, () => 'never asked again');
    const result = await Promise.race([handle.result(), askedAgain]);
    expect(result).toMatchObject({ stopReason: 'final-answer' });
    const secondRun = toolResults(requestsOf(prompt).at(-1)!).map((entry) => entry.content);
    expect(secondRun).toEqual(['(no output)\n<exit code: 0>']);
    expect(requestsOf(prompt)).toHaveLength(3);
  });

  test('on-ask deny refuses the call without waiting', async () => {
    const prompt = plan('careful on-ask deny', bash('touch never.txt'));
    const result = await harness.run({ agent: 'careful', prompt, onAsk: 'deny' });
    expect(result.stopReason).toBe('final-answer');
    expect(toolResults(requestsOf(prompt).at(-1)!)[0]?.content).toMatch(/did not allow bash: touch never\.txt.*on-ask: deny/);
    expect(existsSync(inWorkspace('never.txt'))).toBe(false);
  });

  test('on-ask fail fails the session with ApprovalRequired', async () => {
    const prompt = plan('careful on-ask fail', bash('touch never.txt'));
    const failure = await harness.run({ agent: 'careful', prompt, onAsk: 'fail' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toMatchObject({ type: 'ApprovalRequired' });
    expect(cause?.message).toBe('bash: touch never.txt needs approval for bash "touch never.txt", and this session fails instead of waiting (on-ask: fail).');
    expect(existsSync(inWorkspace('never.txt'))).toBe(false);
  });

  test('`orca approve` gives up after --timeout when no worker runs the session', async () => {
    // Only a worker can take an answer; a session on a task queue nobody polls stands for a stopped `orca run`.
    const handle = await harness.client.workflow.start('sessionWorkflow', {
      taskQueue: `${harness.taskQueue}-without-worker`,
      workflowId: `${harness.taskQueue}-without-worker`,
      args: [{ agent: 'careful', prompt: 'never runs', workspace: harness.workspace }],
    });
    try {
      const answered = await orca('approve', `${handle.workflowId}:1`, '--timeout', '2');
      expect(answered.code).toBe(1);
      expect(answered.stderr).toContain(`orca: Session ${handle.workflowId} did not take the answer to ${handle.workflowId}:1 within 2 s: no worker seems to be running it.`);
    } finally {
      await handle.terminate('test over');
    }
  });

  test('a denied command inside `a && b` refuses the whole line, though `a` alone is allowed', async () => {
    const prompt = plan('guarded chain', bash('touch marker.txt && rm README.md'));
    await harness.run({ agent: 'guarded', prompt });
    const refusal = toolResults(requestsOf(prompt).at(-1)!)[0]?.content;
    expect(refusal).toMatch(/^Permission denied: bash "rm README\.md" is not allowed for this agent \(rule bash "rm \*": deny\)/);
    expect(existsSync(inWorkspace('marker.txt'))).toBe(false);
    expect(existsSync(inWorkspace('README.md'))).toBe(true);
  });
});

