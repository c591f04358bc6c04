import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { messageText, systemPrompt, type RecordedRequest } from '../../../client/scripted-model-server.js';
import { startWorkerProcess, type WorkerProcess, type WorkerProcessOptions } from '../support/worker-process.js';

const { EventType } = temporal.api.enums.v1;
const decoder = new TextDecoder();

/** A fresh real (symlink-free) temporary directory. */
export async function temporaryRoot(prefix: string): Promise<string> {
  return realpath(await mkdtemp(path.join(tmpdir(), prefix)));
}

export async function writeFiles(directory: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(directory, file)), { recursive: true });
    await writeFile(path.join(directory, file), content);
  }
}

export async function connectClient(address: string): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address }) });
}

/** Polls until `probe` returns a value other than undefined/false; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Lines of a workspace log file, [] when it does not exist yet. */
export async function logLines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '');
}

export function countOf<T>(items: T[], item: T): number {
  return items.filter((candidate) => candidate === item).length;
}

/** The first user message: the test's scripts put the session's key in it. */
export function firstUserText(request: RecordedRequest): string {
  return messageText(request.body.messages.find((message) => message.role === 'user'));
}

/** Markdown agents in these tests say who they are with a `ROLE: name` line. */
export function roleOf(request: RecordedRequest): string {
  return systemPrompt(request).match(/ROLE: (\S+)/)?.[1] ?? 'builtin';
}

/** Which model step of its session a request is: one more than the assistant messages before it. */
export function stepOf(request: RecordedRequest): number {
  return request.body.messages.filter((message) => message.role === 'assistant').length + 1;
}

export interface ActivityAttempt {
  workflowId: string;
  type: string;
  summary?: string;
  /** The attempt that completed (1 unless the activity was retried). */
  attempt: number;
}

/** Every completed activity of a workflow with the attempt that completed it. */
export async function completedActivities(handle: WorkflowHandle): Promise<ActivityAttempt[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const byId = new Map(events.map((event) => [String(event.eventId), event]));
  return events
    .filter((event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
    .map((event) => {
      const attributes = event.activityTaskCompletedEventAttributes!;
      const scheduled = byId.get(String(attributes.scheduledEventId));
      const started = byId.get(String(attributes.startedEventId));
      const summary = scheduled?.userMetadata?.summary?.data;
      return {
        workflowId: handle.workflowId,
        type: scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
        ...(summary ? { summary: JSON.parse(decoder.decode(summary)) as string } : {}),
        attempt: started?.activityTaskStartedEventAttributes?.attempt ?? 0,
      };
    });
}

/** Ids of the child workflows a workflow started. */
export async function childWorkflowIds(handle: WorkflowHandle): Promise<string[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events
    .filter((event) => event.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)
    .map((event) => event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId ?? '');
}

/** A workflow and every workflow below it, depth first. */
export async function workflowTree(client: Client, workflowId: string): Promise<string[]> {
  const children = await childWorkflowIds(client.workflow.getHandle(workflowId));
  const below = await Promise.all([...new Set(children)].map((child) => workflowTree(client, child)));
  return [workflowId, ...below.flat()];
}

/**
 * The whole history as text with every payload decoded (by `codecs` first, e.g. decrypted), so a
 * search finds what a payload holds (inputs, results, failures, memos, headers), not only what
 * the proto's JSON form shows.
 */
export async function historyText(handle: WorkflowHandle, codecs: PayloadCodec[] = []): Promise<string> {
  const history = await handle.fetchHistory();
  const parts: string[] = [];
  const visit = async (value: unknown): Promise<void> => {
    if (value instanceof Uint8Array) {
      parts.push(decoder.decode(value), Buffer.from(value).toString('base64'));
    } else if (Array.isArray(value)) {
      for (const item of value) await visit(item);
    } else if (value && typeof value === 'object') {
      if ('data' in value && 'metadata' in value && codecs.length > 0) {
        let decoded = [value as Payload];
        for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
        if (decoded[0] !== value) await visit(decoded[0]);
      }
      for (const [key, item] of Object.entries(value)) {
        parts.push(key);
        await visit(item);
      }
    } else if (value !== null && value !== undefined) {
      parts.push(String(value));
    }
  };
  await visit(history);
  return parts.join('\n');
}

/** A worker process whose store, user config and working directory all live under the test's root. */
export function startWorkerInRoot(
  root: string,
  options: Omit<WorkerProcessOptions, 'storeDir' | 'configHome' | 'cwd'>,
): WorkerProcess {
  return startWorkerProcess({ ...options, storeDir: path.join(root, 'store'), configHome: path.join(root, 'config'), cwd: root });
}

/** Stops what a fault test started, in the order that leaves nothing waiting on something gone. */
export async function stopAll(parts: { worker?: WorkerProcess; model?: { close(): Promise<void> }; client?: Client; root?: string }): Promise<void> {
  await parts.worker?.stop();
  await parts.model?.close();
  await parts.client?.connection.close();
  if (parts.root) await rm(parts.root, { recursive: true, force: true });
}
