import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { demoModelScript } from '../../client/demo-model-script.js';
import { toolResults, type RecordedRequest, type ScriptedReply } from '../../client/scripted-model-server.js';
import { answerApprovalUpdate, statusQuery } from '../../workflows/messages.js';
import { startHarness, type SessionHarness } from '../integration/support/session-harness.js';

// One folder per version of the workflow code: ORCA_RECORD_HISTORIES=v2 records into histories/v2.
const VERSION = process.env.ORCA_RECORD_HISTORIES ?? 'v1';
const FIXTURES = fileURLToPath(new URL(`../fixtures/histories/${VERSION}/`, import.meta.url));

const CAREFUL_AGENT = `---
description: Asks before running commands
mode: primary
permission:
  bash: ask
---
ROLE: careful
`;

function firstUserText(request: RecordedRequest): string {
  const first = request.body.messages.find((message) => message.role === 'user');
  return typeof first?.content === 'string' ? first.content : '';
}

function respond(request: RecordedRequest): ScriptedReply | Promise<ScriptedReply> {
  const prompt = firstUserText(request);
  const results = toolResults(request);
  const toolMessages = request.body.messages.filter((message) => message.role === 'tool').length;
  if (prompt === 'Read the README') {
    return results.length === 0 ? { toolCalls: [{ name: 'read', arguments: { filePath: 'README.md' } }] } : { content: 'It is a sample project.' };
  }
  if (prompt === 'Make a file') {
    return results.length === 0
      ? { toolCalls: [{ name: 'bash', arguments: { command: 'touch made.txt', description: 'Make the file' } }] }
      : { content: 'Made it.' };
  }
  if (prompt === 'Long job') {
    if (toolMessages === 0) return { toolCalls: [{ name: 'todowrite', arguments: { todos: [{ content: 'look around', status: 'in_progress' }] } }] };
    return toolMessages < 4 ? { toolCalls: [{ name: 'glob', arguments: { pattern: toolMessages === 2 ? 'docs/*.md' : '**/*.md' } }] } : { content: 'Looked around.' };
  }
  return demoModelScript(request);
}

let harness: SessionHarness;
beforeAll(async () => {
  harness = await startHarness({ respond, files: { '.orca/agents/careful.md': CAREFUL_AGENT, 'docs/guide.md': '# Guide\n' } });
  await rm(FIXTURES, { recursive: true, force: true });
  await mkdir(FIXTURES, { recursive: true });
});
afterAll(() => harness?.close());

/** Saves every run of the session and of each child below it. */
async function save(name: string, handle: WorkflowHandle): Promise<void> {
  const ids = new Set([handle.workflowId]);
  for await (const execution of harness.client.workflow.list({ query: `OrcaRootSession = "${handle.workflowId}"` })) ids.add(execution.workflowId);
  let index = 0;
  for (const workflowId of [...ids].sort()) {
    for await (const execution of harness.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      const history = await harness.client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
      const file = path.join(FIXTURES, `${name}-${++index}.json`);
      const encoded = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('base64');
      await writeFile(file, JSON.stringify({ workflowId, events: history.events?.length, history: encoded }, null, 1));
    }
  }
}

test('a plain session', async () => {
  const handle = await harness.start({ prompt: 'Read the README' });
  await handle.result();
  await save('plain-session', handle);
});

test('a delegation tree', async () => {
  const handle = await harness.start({ agent: 'orchestrator', prompt: 'What is this project? Read its README and name its top-level folders.' });
  expect((await handle.result()).text).toContain('top-level folders');
  await expect.poll(async () => (await harness.client.workflow.count(`OrcaRootSession = "${handle.workflowId}"`)).count, { timeout: 15_000 }).toBe(4);
  await save('delegation-tree', handle);
});

test('an approval', async () => {
  const handle = await harness.start({ agent: 'careful', prompt: 'Make a file' });
  let id = '';
  await expect.poll(async () => (id = (await handle.query(statusQuery)).pendingApprovals[0]?.id ?? '')).not.toBe('');
  await handle.executeUpdate(answerApprovalUpdate, { args: [{ id, reply: 'once' }] });
  await handle.result();
  await save('approval', handle);
});

test('a session that continues as new', async () => {
  const handle = await harness.start({ prompt: 'Long job', continueAsNewAfterSteps: 2 });
  await handle.result();
  await save('continue-as-new', handle);
});
