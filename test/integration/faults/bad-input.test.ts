import type { Client } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { messageText, startScriptedModelServer, type RecordedRequest, type ScriptedModelServer, type ScriptedReply } from '../../../client/scripted-model-server.js';
import { MAX_PROMPT_CHARACTERS, type sessionWorkflow } from '../../../workflows/session-workflow.js';
import type { RunToolResult, SessionInput } from '../../../workflows/session-types.js';
import { cliEnvironment, runCli } from '../support/orca-cli.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { activityResults } from '../support/activity-results.js';
import { connectClient, firstUserText, startWorkerInRoot, stopAll, temporaryRoot, writeFiles } from './fault-kit.js';

/**
 * Bad input of every kind, all on one worker process, each followed by a normal session on the
 * same worker: clear errors that name what is wrong, nothing lost, and the worker keeps serving.
 */
const SECRET = 'outside-secret-4711';

type PlannedCall = { name: string; arguments: Record<string, unknown> | string };

/** The prompt is `label` then a JSON array of tool calls to make, all in one step; then the answer lists the results. */
function plan(label: string, ...calls: PlannedCall[]): string {
  return `${label}\n${JSON.stringify(calls)}`;
}

function followPlan(request: RecordedRequest): ScriptedReply {
  const prompt = firstUserText(request);
  if (prompt.startsWith('BIG')) return { content: `big prompt of ${prompt.length} characters` };
  const calls = JSON.parse(prompt.split('\n')[1] ?? '[]') as PlannedCall[];
  const results = request.body.messages.filter((message) => message.role === 'tool').map(messageText);
  if (results.length === 0 && calls.length > 0) return { toolCalls: calls.map((call, index) => ({ id: `call-${index}`, ...call })) };
  return { content: results.map((result, index) => `[${index}] ${result}`).join('\n') || 'no tools' };
}

const read = (filePath: string): PlannedCall => ({ name: 'read', arguments: { filePath } });
const bash = (command: string, workdir?: string): PlannedCall => ({ name: 'bash', arguments: { command, description: 'Runs the planned command', ...(workdir ? { workdir } : {}) } });

describe('bad input on one worker process', () => {
  const address = inject('temporalAddress');
  const taskQueue = `faults-bad-input-${process.pid}-${Date.now()}`;
  let root: string;
  let workspace: string;
  let outside: string;
  let client: Client;
  let model: ScriptedModelServer;
  let worker: WorkerProcess;
  let sequence = 0;
  const env = () => cliEnvironment({ TEMPORAL_ADDRESS: address, ORCA_TASK_QUEUE: taskQueue, XDG_CONFIG_HOME: path.join(root, 'config') });

  const start = (input: Partial<SessionInput> & { prompt: string }) =>
    client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
      taskQueue,
      workflowId: `${taskQueue}-${++sequence}`,
      args: [{ agent: 'build', workspace, model: 'scripted', onAsk: 'deny', ...input }],
    });
  const run = async (input: Partial<SessionInput> & { prompt: string }) => (await start(input)).result();

  /** After each bad input: the same worker still runs an ordinary session to the end. */
  async function expectWorkerServes(): Promise<void> {
    const result = await run({ prompt: plan(`healthy ${sequence}`, read('README.md')) });
    expect(result.text).toContain('# Sample project');
  }

  beforeAll(async () => {
    root = await temporaryRoot('orca-faults-bad-input-');
    workspace = path.join(root, 'workspace');
    outside = path.join(root, 'outside');
    await writeFiles(outside, { 'secret.txt': `${SECRET}\n` });
    await writeFiles(workspace, {
      'README.md': '# Sample project\n',
      '.orca/agents/broken-yaml.md': '---\ndescription: [unclosed\nmode: primary\n---\nBroken YAML.\n',
      '.orca/agents/bad-field.md': '---\ndescription: Bad temperature\ntemperature: hot\n---\nBad field.\n',
      '.orca/agents/fine.md': '---\ndescription: Loads fine next to broken files\nmode: primary\n---\nROLE: fine\n',
      'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3, 0xff, 0xfe]),
    });
    await symlink(outside, path.join(workspace, 'outside-link'));
    await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'secret-link.txt'));

    model = await startScriptedModelServer({ respond: followPlan });
    worker = startWorkerInRoot(root, { temporalAddress: address, taskQueue, modelBaseURL: model.baseURL });
    client = await connectClient(address);
    await worker.ready;
  });

  afterAll(() => stopAll({ worker, model, client, root }));

  test('malformed agent files are reported by file and line; the other agents still run', async () => {
    const result = await run({ agent: 'fine', prompt: plan('fine agent') });
    expect(result).toMatchObject({ agent: 'fine', text: 'no tools' });
    expect(worker.output()).toContain('Skipped agent file: .orca/agents/broken-yaml.md:');
    expect(worker.output()).toMatch(/Skipped agent file: \.orca\/agents\/bad-field\.md:3: field "temperature": /);

    const agents = await runCli(['agents', '--json', '--workspace', workspace], { env: env(), cwd: root });
    expect(agents.code, agents.stderr).toBe(0);
    const listed = lastJsonObject<{ agents: { name: string }[]; errors: { file: string; line?: number; field?: string; message: string }[] }>(agents.stdout);
    expect(listed.agents.map((agent) => agent.name)).toContain('fine');
    expect(listed.errors.map((error) => error.file).sort()).toEqual(['.orca/agents/bad-field.md', '.orca/agents/broken-yaml.md']);
    expect(listed.errors.find((error) => error.file.endsWith('bad-field.md'))).toMatchObject({ line: 3, field: 'temperature' });
    expect(agents.stderr).toContain('orca: skipped 2 agent files that could not be loaded:');

    // A session of a broken agent fails at once, naming the agent and why its file did not load.
    const failure = await run({ agent: 'broken-yaml', prompt: 'hello' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toMatchObject({
      type: 'UnknownAgent',
      message: expect.stringMatching(/^Unknown agent "broken-yaml"\. Available: .*fine.*\. Its file failed to load: \.orca\/agents\/broken-yaml\.md:\d+: /),
    });
    await expectWorkerServes();
  });

  test('unknown agents: a session fails with UnknownAgent, a task to an unknown subagent is an error for the model', async () => {
    const failure = await run({ agent: 'no-such-agent', prompt: 'hello' }).catch((error: unknown) => error);
    expect((failure as WorkflowFailedError).cause).toMatchObject({ type: 'UnknownAgent', message: expect.stringContaining('Unknown agent "no-such-agent". Available: ') });

    const result = await run({ prompt: plan('unknown subagent', { name: 'task', arguments: { description: 'x', prompt: 'y', subagent_type: 'no-such-agent' } }) });
    expect(result.text).toMatch(/^\[0\] Unknown subagent "no-such-agent"\. Available subagents: .*general/);
    await expectWorkerServes();
  });

  test('paths outside the workspace (.., absolute, symlinks) ask for external_directory; with on-ask deny nothing outside is read or written', async () => {
    const calls: PlannedCall[] = [
      read('../outside/secret.txt'),
      read(path.join(outside, 'secret.txt')),
      read('outside-link/secret.txt'),
      read('secret-link.txt'),
      { name: 'list', arguments: { path: 'outside-link' } },
      { name: 'glob', arguments: { pattern: '**/*.txt', path: '..' } },
      { name: 'glob', arguments: { pattern: '../outside/*.txt' } },
      { name: 'grep', arguments: { pattern: 'outside-secret', path: '../outside' } },
      { name: 'write', arguments: { filePath: '../outside/planted.txt', content: 'planted' } },
      { name: 'write', arguments: { filePath: 'outside-link/planted-through-link.txt', content: 'planted' } },
      { name: 'edit', arguments: { filePath: 'secret-link.txt', oldString: 'outside', newString: 'edited' } },
      bash('pwd', '..'),
    ];
    const prompt = plan('escapes', ...calls);
    const handle = await start({ prompt });
    const result = await handle.result();
    const results = result.text.split(/\n(?=\[\d+\] )/);
    expect(results).toHaveLength(calls.length);
    for (const [index, text] of results.entries()) {
      const refused = /did not allow|Permission denied|leaves the search directory/.test(text);
      expect([index, calls[index]!.name, refused ? 'refused' : text]).toEqual([index, calls[index]!.name, 'refused']);
    }
    expect(results[0]).toMatch(/^\[0\] The user did not allow read \.\.\/outside\/secret\.txt \(it needs external_directory ".+\/\*"\)\. The user said: This session runs without a person to approve it \(on-ask: deny\)\.$/);
    expect(results[6]).toContain('The pattern "../outside/*.txt" leaves the search directory');
    // Each refusal was an external_directory ask for the real directory outside (glob's pattern is refused by the tool itself).
    const asks = (await activityResults<RunToolResult>(handle, 'runTool')).flatMap((toolResult) => (toolResult.status === 'ask' ? [toolResult.asks] : []));
    expect(asks).toHaveLength(calls.length - 1);
    for (const ask of asks) expect(ask).toContainEqual(expect.objectContaining({ permission: 'external_directory', patterns: [expect.stringMatching(new RegExp(`^(${outside}|${root})/\\*$`))] }));
    expect(JSON.stringify(model.requests.map((request) => request.body))).not.toContain(SECRET);
    expect(existsSync(path.join(outside, 'planted.txt'))).toBe(false);
    expect(existsSync(path.join(outside, 'planted-through-link.txt'))).toBe(false);
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe(`${SECRET}\n`);
    await expectWorkerServes();
  });

  test('grep inside the workspace does not follow symlinks out of it, nor include patterns that leave it', async () => {
    const prompt = plan(
      'grep escapes',
      { name: 'grep', arguments: { pattern: 'outside-secret' } },
      { name: 'grep', arguments: { pattern: 'outside-secret', include: '../outside/*.txt' } },
    );
    const result = await run({ prompt });
    expect(result.text).not.toContain(SECRET);
    expect(result.text).toMatch(/^\[0\] No matches found\n\[1\] The include "\.\.\/outside\/\*\.txt" leaves the search directory\./);
    await expectWorkerServes();
  });

  test('bash arguments that name files outside the workspace ask for external_directory', async () => {
    const result = await run({ prompt: plan('bash escape', bash(`cat ${path.join(outside, 'secret.txt')}`), bash('cat ../outside/secret.txt')) });
    expect(result.text).not.toContain(SECRET);
  });

  test('huge tool output is cut for the model and saved in full outside the workspace; history stays small', async () => {
    const handle = await start({ prompt: plan('huge output', bash('seq 1 300000'), bash("head -c 20000000 /dev/zero | tr '\\0' a")) });
    const result = await handle.result();
    const [many, wide] = result.text.split(/\n(?=\[\d+\] )/);
    expect(many).toMatch(/^\[0\] 1\n2\n3\n/);
    const saved = many!.match(/Full output saved to (\S+)/)?.[1];
    expect(saved, many?.slice(-500)).toBeDefined();
    expect(saved!.startsWith(workspace)).toBe(false);
    const full = (await readFile(saved!, 'utf8')).split('\n');
    expect([full.length, full[0], full[299_999], full[300_000]]).toEqual([300_001, '1', '300000', '<exit code: 0>']);
    expect(many!.length).toBeLessThan(60_000);
    expect(wide!.length).toBeLessThan(60_000);
    expect(wide).toMatch(/more bytes of output were discarded|truncated/);
    // History keeps a 300-character preview of each tool result; the full text is in the content store.
    const toolResults = await activityResults<RunToolResult>(handle, 'runTool');
    expect(toolResults.map((toolResult) => JSON.stringify(toolResult).length)).toEqual([expect.any(Number), expect.any(Number)]);
    for (const toolResult of toolResults) expect(JSON.stringify(toolResult).length).toBeLessThan(1_000);
    await expectWorkerServes();
  });

  test('binary files: read refuses them by name; binary bash output does not break the session', async () => {
    const result = await run({ prompt: plan('binary', read('image.png'), bash('head -c 4096 /dev/urandom; printf "\\0\\0\\0"; echo; echo after-binary')) });
    expect(result.text).toContain('[0] Cannot read binary file: image.png.');
    expect(result.text).toMatch(/after-binary\n<exit code: 0>/);
    await expectWorkerServes();
  });

  test('the CLI refuses a prompt over the limit itself with a usage error (exit 2) naming size and limit', async () => {
    const started = await runCli(['start', '--json', '--workspace', workspace, '--task-queue', taskQueue, '-'], { env: env(), cwd: root, input: `BIG ${'x'.repeat(3 * 1024 * 1024)}` });
    expect(started.code).toBe(2);
    expect(started.stderr).toContain(`the limit is ${MAX_PROMPT_CHARACTERS}`);
    expect(started.stdout).toBe('');
    await expectWorkerServes();
  });

  test('a prompt over the limit but under 2 MB fails the session at once with PromptTooLarge; no model call', async () => {
    const prompt = `BIG ${'x'.repeat(1024 * 1024)}`;
    const failure = await run({ prompt }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toMatchObject({
      type: 'PromptTooLarge',
      message: `The prompt has ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARACTERS}. Put long material in a file in the workspace and ask the agent to read it.`,
    });
    expect(model.requests.filter((request) => firstUserText(request).startsWith('BIG'))).toEqual([]);
    await expectWorkerServes();
  });

  test.each([
    ['status'],
    ['result'],
    ['logs'],
    ['cancel'],
  ])('`orca %s` of an unknown session exits 1 and names it', async (command) => {
    const id = 'orca-build-00000000';
    const result = await runCli([command, id], { env: env(), cwd: root });
    expect([result.code, result.stderr]).toEqual([1, expect.stringContaining(`No session "${id}" in namespace "default"`)]);
  });

  test.each([['approve'], ['deny']])('`orca %s` of an approval of an unknown session exits 1 and names it', async (command) => {
    const id = 'orca-build-00000000:1';
    const result = await runCli([command, id, '--timeout', '5'], { env: env(), cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('orca: Session orca-build-00000000 is not running (it finished, or the id is wrong), so nothing waits for orca-build-00000000:1.');
    await expectWorkerServes();
  });
});

/** `orca agents --json` pretty-prints one object over several lines. */
function lastJsonObject<T>(stdout: string): T {
  return JSON.parse(stdout.slice(stdout.indexOf('{'))) as T;
}
