import { temporal } from '@temporalio/proto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { explorePrompt } from '../../agents/prompts/explore.js';
import { librarianPrompt } from '../../agents/prompts/librarian.js';
import { orchestratorPrompt } from '../../agents/prompts/orchestrator.js';
import { writerPrompt } from '../../agents/prompts/writer.js';
import { lastUserText, systemPrompt, toolResults, type RecordedRequest, type ScriptedReply } from '../../client/scripted-model-server.js';
import { answerApprovalUpdate, statusQuery } from '../../workflows/messages.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';

const AGENT_PROMPTS: Record<string, string> = {
  orchestrator: orchestratorPrompt,
  explore: explorePrompt,
  librarian: librarianPrompt,
  writer: writerPrompt,
};

function agentOf(request: RecordedRequest): string {
  const system = systemPrompt(request);
  return Object.entries(AGENT_PROMPTS).find(([, prompt]) => prompt === system)?.[0] ?? system.match(/ROLE: (\S+)/)?.[1] ?? 'unknown';
}

function firstUserText(request: RecordedRequest): string {
  const first = request.body.messages.find((message) => message.role === 'user');
  return typeof first?.content === 'string' ? first.content : '';
}

function task(subagent_type: string, prompt: string, extra: Record<string, string> = {}) {
  return { name: 'task', arguments: { description: `${subagent_type} work`, prompt, subagent_type, ...extra } };
}

function taskId(result: string): string {
  return result.match(/<task id="([^"]+)"/)?.[1] ?? 'missing';
}

/** Each scenario is chosen by the root prompt; subagents answer by agent and by their own prompt. */
function respond(request: RecordedRequest): ScriptedReply | Promise<ScriptedReply> {
  const agent = agentOf(request);
  const results = toolResults(request);
  const rootPrompt = firstUserText(request);

  if (agent === 'orchestrator' && rootPrompt.startsWith('Release notes')) {
    if (results.length === 0) return { toolCalls: [task('explore', 'Find the changes'), task('librarian', 'Find the docs')] };
    if (results.length === 2) return { toolCalls: [task('writer', `Draft notes from: ${results.map((result) => result.content).join(' | ')}`)] };
    return { content: `Final notes: ${results[0]?.content}` };
  }
  if (agent === 'orchestrator' && rootPrompt.startsWith('Two-part job')) {
    const all = request.body.messages.filter((message) => message.role === 'tool').length;
    if (all === 0) return { toolCalls: [task('explore', 'Part one: find the README')] };
    if (all === 1) return { toolCalls: [task('explore', 'Part two: what did you find before?', { task_id: taskId(results[0]!.content) })] };
    return { content: `Both parts: ${results[0]?.content}` };
  }
  if (agent === 'orchestrator' && rootPrompt.startsWith('Ask the oracle')) {
    if (results.length === 0) return { toolCalls: [task('oracle', 'Weigh the options')] };
    return { content: `Refused: ${results[0]?.content}` };
  }
  if (agent === 'orchestrator' && rootPrompt.startsWith('Nested approval')) {
    if (results.length === 0) return { toolCalls: [task('middle', 'Have careful make the file')] };
    return { content: `root: ${results[0]?.content}` };
  }
  if (agent === 'orchestrator' && rootPrompt.startsWith('Wait for explore')) {
    if (results.length === 0) return { toolCalls: [task('explore', 'Take your time')] };
    return { content: 'done' };
  }
  if (agent === 'recursive') {
    if (request.body.tools?.some((tool) => tool.function?.name === 'task') && results.length === 0) {
      return { toolCalls: [task('recursive', 'Go one level deeper')] };
    }
    if (results.length === 0) return { toolCalls: [task('recursive', 'Deeper still, even without the tool')] };
    return { content: `level answer: ${results[0]?.content}` };
  }
  if (agent === 'careful') {
    if (results.length === 0) return { toolCalls: [{ name: 'bash', arguments: { command: 'touch approved.txt', description: 'Create a file' } }] };
    return { content: `careful: ${results[0]?.content}` };
  }
  if (agent === 'explore' && lastUserText(request).startsWith('Take your time')) {
    return { content: 'too late', delayMs: 60_000 };
  }
  if (agent === 'explore' && lastUserText(request).startsWith('Part two')) {
    const earlier = request.body.messages.filter((message) => message.role === 'user').map((message) => message.content);
    return { content: `explore remembers: ${earlier.join(' / ')}` };
  }
  if (agent === 'explore') {
    if (results.length === 0) return { toolCalls: [{ name: 'read', arguments: { filePath: 'README.md' } }] };
    return { content: `explore read: ${results[0]?.content.includes('Sample project') ? 'Sample project' : '?'}` };
  }
  if (agent === 'librarian') return { content: 'librarian found the docs' };
  if (agent === 'writer') return { content: `writer drafted (${lastUserText(request).length} chars of input)` };
  return { status: 400, errorMessage: `no script for agent ${agent}` };
}

const RECURSIVE_AGENT = `---
description: Delegates to itself
mode: all
permission:
  task: allow
---
ROLE: recursive
`;

const CAREFUL_AGENT = `---
description: Asks before running commands
mode: subagent
permission:
  bash: ask
  task: allow
---
ROLE: careful
`;

const DELEGATING_AGENT = `---
description: Delegates to careful
mode: all
permission:
  task: allow
---
ROLE: middle
`;

async function childWorkflowIds(harness: SessionHarness, workflowId: string): Promise<string[]> {
  const history = await harness.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .filter((event) => event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)
    .map((event) => event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId ?? '');
}

describe('task delegation on the real dev server', () => {
  let harness: SessionHarness;
  beforeAll(async () => {
    harness = await startHarness({
      respond: (request) => {
        const agent = agentOf(request);
        if (agent === 'middle') {
          const results = toolResults(request);
          if (results.length === 0) return { toolCalls: [task('careful', 'Make the file')] };
          return { content: `middle: ${results[0]?.content}` };
        }
        return respond(request);
      },
      files: {
        '.orca/agents/recursive.md': RECURSIVE_AGENT,
        '.orca/agents/careful.md': CAREFUL_AGENT,
        '.orca/agents/middle.md': DELEGATING_AGENT,
      },
    });
  });
  afterAll(() => harness?.close());

  test('the orchestrator delegates to explore and librarian in parallel, then to writer', async () => {
    const handle = await harness.start({ agent: 'orchestrator', prompt: 'Release notes for v1' });
    const result = await handle.result();

    const parent = handle.workflowId;
    expect((await childWorkflowIds(harness, parent)).sort()).toEqual([`${parent}/explore-1`, `${parent}/librarian-2`, `${parent}/writer-3`]);
    expect(result.text).toContain('<task id="' + `${parent}/writer-3` + '" state="completed">');
    expect(result.text).toContain('writer drafted');
    // The writer saw both parallel results, in call order.
    const writerRequest = harness.model.requests.find((request) => agentOf(request) === 'writer')!;
    expect(lastUserText(writerRequest)).toMatch(/explore read: Sample project.*\|.*librarian found the docs/s);

    // Children carry their summary and their place in the tree.
    const child = await harness.client.workflow.getHandle(`${parent}/explore-1`).describe();
    expect(await child.staticSummary()).toBe('explore: explore work');
    expect(child.searchAttributes).toMatchObject({ OrcaAgent: ['explore'], OrcaParentSession: [parent], OrcaRootSession: [parent], OrcaStatus: ['completed'] });
  });

  test('a task_id resumes the earlier child session with its conversation', async () => {
    const handle = await harness.start({ agent: 'orchestrator', prompt: 'Two-part job' });
    const result = await handle.result();
    const child = `${handle.workflowId}/explore-1`;
    expect(await childWorkflowIds(harness, handle.workflowId)).toEqual([child, child]);
    expect(result.text).toContain('explore remembers: Part one: find the README / Part two: what did you find before?');
  });

  test('a subagent the agent may not use is refused', async () => {
    await harness.start({ agent: 'orchestrator', prompt: 'Ask the oracle', rules: [{ permission: 'task', pattern: 'oracle', action: 'deny' }] }).then(async (handle) => {
      const result = await handle.result();
      expect(result.text).toContain('Permission denied: task "oracle"');
      expect(await childWorkflowIds(harness, handle.workflowId)).toEqual([]);
      const first = harness.model.requests.find((request) => firstUserText(request) === 'Ask the oracle')!;
      const taskTool = first.body.tools?.find((tool) => tool.function?.name === 'task');
      expect(taskTool?.function?.description).toContain('- explore:');
      expect(taskTool?.function?.description).not.toContain('- oracle:');
    });
  });

  test('delegation past the depth limit is refused with a clear message', async () => {
    const handle = await harness.start({ agent: 'recursive', prompt: 'Recurse', maxDepth: 2 });
    const result = await handle.result();
    const level1 = `${handle.workflowId}/recursive-1`;
    const level2 = `${level1}/recursive-1`;
    expect(await childWorkflowIds(harness, level1)).toEqual([level2]);
    expect(await childWorkflowIds(harness, level2)).toEqual([]);
    expect(result.text).toContain('Delegation refused: this session is 2 level(s) below its root and the depth limit is 2');
  });

  test('cancelling the parent cancels its running child', async () => {
    const handle = await harness.start({ agent: 'orchestrator', prompt: 'Wait for explore' });
    const child = harness.client.workflow.getHandle(`${handle.workflowId}/explore-1`);
    await expect.poll(async () => (await child.describe().catch(() => undefined))?.status.name, { timeout: 15_000 }).toBe('RUNNING');
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    await expect.poll(async () => (await child.describe()).status.name, { timeout: 15_000 }).toBe('CANCELLED');
    expect((await handle.describe()).status.name).toBe('CANCELLED');
  });

  test('an ask in a grandchild surfaces on the root and is approved there', async () => {
    const root = await harness.start({ agent: 'orchestrator', prompt: 'Nested approval' });
    const grandchild = `${root.workflowId}/middle-1/careful-1`;
    let approvalId = '';
    await expect
      .poll(async () => {
        const status = await root.query(statusQuery);
        approvalId = status.pendingApprovals[0]?.id ?? '';
        return { state: status.state, session: status.pendingApprovals[0]?.sessionId };
      }, { timeout: 20_000 })
      .toEqual({ state: 'waiting-for-approval', session: grandchild });
    expect(approvalId).toBe(`${grandchild}:1`);

    expect(await root.executeUpdate(answerApprovalUpdate, { args: [{ id: approvalId, reply: 'once' }] })).toContain('Approved');
    const result = await root.result();
    expect(result.text).toContain('<exit code: 0>');
    expect(existsSync(path.join(harness.workspace, 'approved.txt'))).toBe(true);
    expect((await root.query(statusQuery)).pendingApprovals).toEqual([]);
  });
});
