import type { Client } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PendingApproval } from '../workflows/messages.js';
import { continuedRunId, HistoryLines, isCloseEvent } from './history-lines.js';
import { querySession } from './session-outcome.js';

const NO_WORKER_WARNING_AFTER_MS = 15_000;

export interface ProgressOptions {
  /** Keep following new events until the session ends (or `stop()`); otherwise print what happened so far. */
  follow: boolean;
  /** How often to ask a running session what it waits for. */
  approvalsIntervalMs?: number;
}

export interface ProgressFollower {
  /** Settles when the history has been printed (up to the session's end when following). */
  done: Promise<void>;
  stop(): Promise<void>;
}

function clock(time: number | undefined): string {
  return new Date(time ?? Date.now()).toTimeString().slice(0, 8);
}

export function describeApproval(approval: PendingApproval): string {
  const asks = approval.asks.map((ask) => `${ask.permission} ${ask.patterns.map((pattern) => `"${pattern}"`).join(', ')}`).join('; ');
  return `⏸ waiting for approval: ${approval.summary}${asks ? ` (${asks})` : ''} — orca approve ${approval.id}  |  orca deny ${approval.id}`;
}

/**
 * Prints a session's progress from its history: the activities with their summaries as they are
 * scheduled and finish, child sessions, answers, the end; and, from the status query, the tool calls
 * that wait for a person.
 */
export function followSession(client: Client, workflowId: string, print: (line: string) => void, options: ProgressOptions): ProgressFollower {
  const abort = new AbortController();
  // Wakes the approvals watcher when the session ends or the caller stops looking.
  const finished = new AbortController();
  abort.signal.addEventListener('abort', () => finished.abort(), { once: true });
  const lines = new HistoryLines(client.options.loadedDataConverter);
  const announced = new Set<string>();
  let closed = false;

  const printApprovals = (pending: PendingApproval[]) => {
    for (const approval of pending) {
      if (announced.has(approval.id)) continue;
      announced.add(approval.id);
      print(`${clock(undefined)}  ${describeApproval(approval)}`);
    }
    // An answered approval may come back with the same id only if asked again.
    for (const id of [...announced]) if (!pending.some((approval) => approval.id === id)) announced.delete(id);
  };

  const readHistory = async () => {
    let runId: string | undefined;
    let nextPageToken: Uint8Array | undefined;
    for (;;) {
      // One signal per call: the client adds a listener to it for every request it makes.
      const call = new AbortController();
      const cancelCall = () => call.abort();
      abort.signal.addEventListener('abort', cancelCall, { once: true });
      const response = await client
        .withAbortSignal(call.signal, () =>
          client.workflowService.getWorkflowExecutionHistory({
            namespace: client.options.namespace,
            execution: { workflowId, runId },
            nextPageToken,
            waitNewEvent: options.follow,
            skipArchival: true,
          }),
        )
        .finally(() => abort.signal.removeEventListener('abort', cancelCall));
      let continued: string | undefined;
      for (const event of response.history?.events ?? []) {
        const line = await lines.line(event);
        if (line) print(`${clock(line.time)}  ${line.text}`);
        if (isCloseEvent(event)) {
          continued = continuedRunId(event);
          closed = continued === undefined;
          if (closed) finished.abort();
        }
      }
      if (continued) {
        runId = continued;
        nextPageToken = undefined;
        continue;
      }
      nextPageToken = response.nextPageToken?.length ? response.nextPageToken : undefined;
      if (!nextPageToken || closed || abort.signal.aborted) return;
    }
  };

  const ended = new Promise<undefined>((resolve) => finished.signal.addEventListener('abort', () => resolve(undefined), { once: true }));
  const watchApprovals = async () => {
    let silentSince = Date.now();
    let warned = false;
    while (!finished.signal.aborted) {
      const status = await Promise.race([querySession(client, client.workflow.getHandle(workflowId), 3_000), ended]);
      if (finished.signal.aborted) return;
      if (status) {
        silentSince = Date.now();
        printApprovals(status.pendingApprovals);
      } else if (!warned && !closed && Date.now() - silentSince > NO_WORKER_WARNING_AFTER_MS) {
        warned = true;
        print(`${clock(undefined)}  ! no worker answers this session's status query: is a worker running on its task queue (\`orca dev\`, \`orca worker\`)?`);
      }
      await sleep(options.approvalsIntervalMs ?? 2_000, undefined, { signal: finished.signal }).catch(() => {});
    }
  };

  const history = readHistory().catch((error: unknown) => {
    if (!abort.signal.aborted) throw error;
  });
  const approvals = options.follow ? watchApprovals() : Promise.resolve();
  const done = (async () => {
    try {
      await history;
    } finally {
      closed = true;
      finished.abort();
      await approvals;
    }
    if (!options.follow && !abort.signal.aborted) {
      // A one-off look at a running session also says what it waits for.
      const description = await client.workflow.getHandle(workflowId).describe();
      if (description.status.name === 'RUNNING') {
        const status = await querySession(client, client.workflow.getHandle(workflowId), 3_000);
        if (status) printApprovals(status.pendingApprovals);
        print(`${clock(undefined)}  … still running${status ? ` (step ${status.step}, ${status.state})` : ''}`);
      }
    }
  })();
  // A caller that only stops the follower must not see its failure as an unhandled rejection.
  done.catch(() => {});
  return {
    done,
    stop: async () => {
      abort.abort();
      await done.catch(() => {});
    },
  };
}
