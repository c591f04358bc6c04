import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { freePort, isServing } from '../../client/dev-server.js';
import { messageText, toolResults, type RecordedRequest, type ScriptedReply } from '../../client/scripted-model-server.js';
import { EMBEDDED_ADDRESS } from '../../client/temporal-target.js';
import { answerApprovalUpdate, statusQuery } from '../../workflows/messages.js';
import { agentAttribute, ciRunAttribute } from '../../workflows/search-attributes.js';
import { cliEnvironment, lastJson, runCli, type CliResult } from './support/orca-cli.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';

/** Reads the file the prompt names, then answers with what it read; "HANG" never answers. */
function respond(request: RecordedRequest): ScriptedReply {
  const prompt = messageText(request.body.messages.find((message) => message.role === 'user'));
  if (prompt.includes('HANG')) return { hang: true };
  if (prompt.includes('OUTAGE')) return { status: 503, errorMessage: 'overloaded' };
  const results = toolResults(request);
  const file = prompt.match(/read (\S+)/)?.[1];
  if (file && results.length === 0) return { toolCalls: [{ name: 'read', arguments: { filePath: file } }] };
  return { content: `Read it: ${results.map((result) => result.content).join('\n').slice(0, 300)}` };
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface RunJson {
  workflowId: string;
  status: string;
  exitCode: number;
  how?: string;
  text?: string;
  error?: string;
  failureType?: string;
  waitingForApproval?: boolean;
  pendingApprovals?: { id: string; summary: string }[];
}

describe('the orca CLI against the dev server', () => {
  let harness: SessionHarness;
  let cwd: string;
  let env: NodeJS.ProcessEnv;
  const unique = `${process.pid}-${Date.now()}`;
  const orca = (args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> =>
    runCli(args, { env: options.env ?? env, cwd: options.cwd ?? cwd, timeoutMs: options.timeoutMs });
  const sessionFlags = () => ['--workspace', harness.workspace, '--task-queue', harness.taskQueue];

  beforeAll(async () => {
    harness = await startHarness({ respond, files: { '.env': 'API_TOKEN=not-for-the-model\n' } });
    // A directory of its own, marked as a repository root so no `.orca/config.json` above it is read.
    cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'orca-cli-')));
    await mkdir(path.join(cwd, '.git'));
    env = cliEnvironment({ TEMPORAL_ADDRESS: inject('temporalAddress'), ORCA_WEB_UI_URL: 'http://localhost:8233' });
  });
  afterAll(async () => {
    await harness?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  test('run --json tags the session (summary, search attributes), list finds it by CI run id, and a re-run attaches', async () => {
    const ciRunId = `ci-${unique}`;
    const id = `orca-cli-${unique}`;
    const run = await orca(['run', '--json', '--id', id, '--ci-run-id', ciRunId, '--on-ask', 'deny', ...sessionFlags(), 'Please read README.md\nand say what it is.']);
    expect(run.code, run.stderr).toBe(0);
    const json = lastJson<RunJson>(run);
    expect(json).toMatchObject({ workflowId: id, status: 'completed', exitCode: 0, how: 'started' });
    expect(json.text).toContain('Sample project');
    // Progress goes to stderr while the session runs, with the activity summaries the Web UI shows.
    expect(run.stderr).toContain('▸ read README.md');
    expect(run.stderr).toContain('■ session completed');

    const description = await harness.client.workflow.getHandle(id).describe();
    expect(await description.staticSummary()).toBe('build: Please read README.md');
    expect(await description.staticDetails()).toContain('and say what it is.');
    expect(description.typedSearchAttributes.get(ciRunAttribute)).toBe(ciRunId);
    expect(description.typedSearchAttributes.get(agentAttribute)).toBe('build');

    const listed = await eventually(async () => {
      const list = await orca(['list', '--ci-run-id', ciRunId, '--json']);
      expect(list.code, list.stderr).toBe(0);
      const sessions = lastJson<{ workflowId: string; status: string; summary?: string; agent?: string }[]>(list);
      return sessions.length > 0 && sessions[0]!.status === 'completed' ? sessions : undefined;
    }, 'the session in `orca list --ci-run-id`');
    expect(listed).toEqual([expect.objectContaining({ workflowId: id, agent: 'build', summary: 'build: Please read README.md', ciRunId })]);

    const again = await orca(['run', '--json', '--id', id, '--ci-run-id', ciRunId, ...sessionFlags(), 'Please read README.md']);
    expect(again.code, again.stderr).toBe(0);
    expect(lastJson<RunJson>(again)).toMatchObject({ workflowId: id, status: 'completed', how: 'completed' });
    expect((await harness.client.workflow.count(`WorkflowId = '${id}'`)).count).toBe(1);

    const table = await orca(['list', '--ci-run-id', ciRunId]);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+build\\s+completed\\s`, 'm'));
  });

  test('a failing run exits 1 (in-process worker, model over HTTP)', async () => {
    const store = await mkdtemp(path.join(tmpdir(), 'orca-cli-store-'));
    try {
      const run = await orca(['run', '--worker', '--json', '--task-queue', `cli-worker-${unique}`, '--workspace', harness.workspace, '--agent', 'no-such-agent', 'hello'], {
        env: { ...env, OPENAI_BASE_URL: harness.model.baseURL, OPENAI_API_KEY: 'test', ORCA_STORE_DIR: store },
      });
      expect(run.code, run.stderr).toBe(1);
      expect(lastJson<RunJson>(run)).toMatchObject({ status: 'failed', exitCode: 1, error: expect.stringMatching(/Unknown agent "no-such-agent"/) });
    } finally {
      await rm(store, { recursive: true, force: true });
    }
  });

  test('with ORCA_ENCRYPTION_KEY the CLI encrypts what it sends and still shows the summaries and the answer', async () => {
    const store = await mkdtemp(path.join(tmpdir(), 'orca-cli-store-'));
    const id = `orca-cli-encrypted-${unique}`;
    try {
      const run = await orca(['run', '--worker', '--json', '--id', id, '--task-queue', `cli-encrypted-${unique}`, '--workspace', harness.workspace, 'Please read README.md'], {
        env: { ...env, OPENAI_BASE_URL: harness.model.baseURL, OPENAI_API_KEY: 'test', ORCA_STORE_DIR: store, ORCA_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(lastJson<RunJson>(run).text).toContain('Sample project');
      expect(run.stderr).toContain('▸ read README.md');
      // Without the key, the server holds only ciphertext.
      const history = await harness.client.workflow.getHandle(id).fetchHistory();
      const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    } finally {
      await rm(store, { recursive: true, force: true });
    }
  });

  test('a session waiting for approval: start returns at once, result exits 4, logs, status and list show it', async () => {
    const ciRunId = `ci-approval-${unique}`;
    const start = await orca(['start', '--json', '--on-ask', 'wait', '--ci-run-id', ciRunId, ...sessionFlags(), 'Please read .env']);
    expect(start.code, start.stderr).toBe(0);
    const { workflowId: id } = lastJson<{ workflowId: string; url: string }>(start);
    expect(lastJson(start)).toMatchObject({ how: 'started', url: `http://localhost:8233/namespaces/default/workflows/${id}` });

    const waiting = await eventually(async () => {
      const result = await orca(['result', id, '--json']);
      return result.code === 4 ? result : undefined;
    }, 'the session to wait for approval');
    expect(lastJson<RunJson>(waiting)).toMatchObject({ status: 'running', exitCode: 4, waitingForApproval: true, pendingApprovals: [{ id: `${id}:1`, summary: 'read .env' }] });

    const logs = await orca(['logs', id]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('▸ read .env');
    expect(logs.stdout).toContain('⏸ read .env');
    expect(logs.stdout).toContain(`waiting for approval: read .env`);
    expect(logs.stdout).toContain(`orca approve ${id}:1`);

    const status = await orca(['status', id]);
    expect(status.stdout).toMatch(/status\s+running \(waiting-for-approval\)/);

    const listed = await eventually(async () => {
      const sessions = lastJson<{ workflowId: string }[]>(await orca(['list', '--status', 'waiting-for-approval', '--ci-run-id', ciRunId, '--json']));
      return sessions.length > 0 ? sessions : undefined;
    }, 'the session in `orca list --status waiting-for-approval`');
    expect(listed.map((session) => session.workflowId)).toEqual([id]);

    // `orca deny` belongs to the approval commands; the update it sends is enough here.
    await harness.client.workflow.getHandle(id).executeUpdate(answerApprovalUpdate, { args: [{ id: `${id}:1`, reply: 'reject', message: 'not the secrets' }] });
    const answered = await orca(['result', id, '--wait', '--timeout', '30s', '--json']);
    expect(answered.code, answered.stderr).toBe(0);
    expect(lastJson<RunJson>(answered)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect((await orca(['logs', id])).stdout).toContain(`✓ ${id}:1 denied: not the secrets`);
  });

  test('cancel ends a session that waits for approval: result exits 3', async () => {
    const start = await orca(['start', '--on-ask', 'wait', ...sessionFlags(), 'Please read .env']);
    const id = start.stdout.trim();
    await eventually(async () => ((await harness.client.workflow.getHandle(id).query(statusQuery)).state === 'waiting-for-approval' ? true : undefined), 'the session waiting for approval');
    const cancel = await orca(['cancel', id, '--wait']);
    expect(cancel.code, cancel.stderr).toBe(0);
    const result = await orca(['result', id, '--json']);
    expect(result.code, result.stderr).toBe(3);
    expect(lastJson<RunJson>(result)).toMatchObject({ status: 'cancelled', exitCode: 3 });
  });

  test('--on-ask fail ends the session for want of approval: exit 4', async () => {
    const run = await orca(['run', '--json', '--on-ask', 'fail', ...sessionFlags(), 'Please read .env']);
    expect(run.code, run.stderr).toBe(4);
    expect(lastJson<RunJson>(run)).toMatchObject({ status: 'failed', exitCode: 4, failureType: 'ApprovalRequired' });
  });

  test('--timeout exits 5 and leaves the session running; cancel --wait stops it', async () => {
    const run = await orca(['run', '--json', '--timeout', '2s', ...sessionFlags(), 'HANG until cancelled']);
    expect(run.code, run.stderr).toBe(5);
    const json = lastJson<RunJson>(run);
    expect(json).toMatchObject({ status: 'running', exitCode: 5, waitingForApproval: false });
    expect((await harness.client.workflow.getHandle(json.workflowId).describe()).status.name).toBe('RUNNING');

    const cancel = await orca(['cancel', json.workflowId, '--wait']);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect((await harness.client.workflow.getHandle(json.workflowId).describe()).status.name).toBe('CANCELLED');
  });

  test('status shows a call that is being retried, its attempt and why the last one failed', async () => {
    const start = await orca(['start', ...sessionFlags(), 'OUTAGE at the model']);
    const id = start.stdout.trim();
    const status = await eventually(async () => {
      const result = await orca(['status', id]);
      return result.stdout.includes('retrying invokeModel') ? result : undefined;
    }, 'orca status to show the retry');
    expect(status.stdout).toMatch(/retrying invokeModel, attempt \d+: .*answered 503 for model "scripted"/);
    expect((await orca(['cancel', id])).code).toBe(0);
  });

  test('logs --follow prints the session as it runs and exits with its outcome', async () => {
    const start = await orca(['start', ...sessionFlags(), 'Please read README.md']);
    const id = start.stdout.trim();
    expect(id).toMatch(/^orca-build-[0-9a-f]{8}$/);
    const logs = await orca(['logs', id, '--follow']);
    expect(logs.code, logs.stderr).toBe(0);
    const lines = logs.stdout.split('\n');
    expect(lines.findIndex((line) => line.includes('▸ read README.md'))).toBeGreaterThan(0);
    expect(lines.findIndex((line) => line.includes('✓ read README.md'))).toBeGreaterThan(lines.findIndex((line) => line.includes('▸ read README.md')));
    expect(lines.at(-2)).toMatch(/■ session completed$/);
  });

  test('bad usage and bad configuration exit 2 and name what is wrong', async () => {
    expect((await orca(['run'])).code).toBe(2);
    expect((await orca(['run', '--on-ask', 'sometimes', 'hi'])).code).toBe(2);
    expect((await orca(['list', '--status', 'sleeping'])).code).toBe(2);

    const badEnv = await orca(['run', 'hi'], { env: { ...env, ORCA_MAX_STEPS: 'ten' } });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('environment variable ORCA_MAX_STEPS: expected a positive whole number (got "ten")');

    const project = await mkdtemp(path.join(tmpdir(), 'orca-cli-config-'));
    try {
      await mkdir(path.join(project, '.orca'));
      await writeFile(path.join(project, '.orca', 'config.json'), JSON.stringify({ agent: 'build', onAsk: 'later' }));
      const badFile = await orca(['start', 'hi'], { cwd: project });
      expect(badFile.code).toBe(2);
      expect(badFile.stderr).toContain(`${path.join(project, '.orca', 'config.json')}: "onAsk": expected "wait", "deny" or "fail"`);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  test('commands that only look never start a server, and say what is missing (exit 1)', async (context) => {
    const closedPort = await freePort();
    const unreachable = await orca(['status', 'orca-build-00000000'], { env: { ...env, TEMPORAL_ADDRESS: `127.0.0.1:${closedPort}` } });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`Cannot reach Temporal at 127.0.0.1:${closedPort}`);

    const unknown = await orca(['result', 'orca-build-00000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No session "orca-build-00000000" in namespace "default"');

    if (await isServing(EMBEDDED_ADDRESS)) return context.skip('an embedded server (orca dev) runs on this machine');
    const withoutAddress = { ...env };
    delete withoutAddress.TEMPORAL_ADDRESS;
    const nothing = await orca(['status', 'orca-build-00000000'], { env: withoutAddress });
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('No Temporal server is running');
    expect(await isServing(EMBEDDED_ADDRESS)).toBe(false);
  });
});
