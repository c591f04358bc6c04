import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { agentAttribute, ciRunAttribute, parentSessionAttribute, rootSessionAttribute, statusAttribute } from '../workflows/search-attributes.js';
import { EXIT, UsageError } from './exit-codes.js';
import { withSessions, type ConnectionFlags } from './session-lookup.js';
import { statusName } from './status-command.js';
import { workflowUrl } from './temporal-target.js';

/** What `--status` accepts, and the visibility query each one means. */
export const LIST_STATUSES = {
  running: "ExecutionStatus = 'Running'",
  'waiting-for-approval': `ExecutionStatus = 'Running' AND ${statusAttribute.name} = 'waiting-for-approval'`,
  completed: "ExecutionStatus = 'Completed'",
  failed: "ExecutionStatus = 'Failed'",
  cancelled: "ExecutionStatus = 'Canceled'",
  terminated: "ExecutionStatus = 'Terminated'",
  'timed-out': "ExecutionStatus = 'TimedOut'",
} as const;
export type ListStatus = keyof typeof LIST_STATUSES;

export interface ListOptions extends ConnectionFlags {
  agent?: string;
  ciRunId?: string;
  status?: ListStatus;
  root?: string;
  limit?: number;
  json?: boolean;
}

function quoted(flag: string, value: string): string {
  if (/['"\\]/.test(value)) throw new UsageError(`${flag} cannot contain quotes or backslashes (got ${value}).`);
  return `'${value}'`;
}

/** The visibility query behind `orca list`: Orca sessions, filtered on their search attributes. */
export function listQuery(filters: Pick<ListOptions, 'agent' | 'ciRunId' | 'status' | 'root'>): string {
  const clauses = ["WorkflowType = 'sessionWorkflow'"];
  if (filters.agent) clauses.push(`${agentAttribute.name} = ${quoted('--agent', filters.agent)}`);
  if (filters.ciRunId) clauses.push(`${ciRunAttribute.name} = ${quoted('--ci-run-id', filters.ciRunId)}`);
  if (filters.root) clauses.push(`${rootSessionAttribute.name} = ${quoted('--root', filters.root)}`);
  if (filters.status) clauses.push(LIST_STATUSES[filters.status]);
  return clauses.join(' AND ');
}

export interface ListedSession {
  workflowId: string;
  runId: string;
  status: string;
  state?: string;
  agent?: string;
  ciRunId?: string;
  parentSession?: string;
  rootSession?: string;
  startTime: string;
  closeTime?: string;
  summary?: string;
  url: string;
}

async function summaries(client: Client, sessions: ListedSession[]): Promise<void> {
  // The list does not carry the static summary; a few describes in parallel fetch it.
  const queue = [...sessions];
  const worker = async () => {
    for (let session = queue.shift(); session; session = queue.shift()) {
      session.summary = await client.workflow.getHandle(session.workflowId, session.runId).describe()
        .then((description) => description.staticSummary())
        .catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function listed(info: WorkflowExecutionInfo, url: string): ListedSession {
  const attributes = info.typedSearchAttributes;
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    status: statusName(info),
    state: attributes.get(statusAttribute),
    agent: attributes.get(agentAttribute),
    ciRunId: attributes.get(ciRunAttribute),
    parentSession: attributes.get(parentSessionAttribute),
    rootSession: attributes.get(rootSessionAttribute),
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString(),
    url,
  };
}

function printTable(sessions: ListedSession[]): void {
  const rows = sessions.map((session) => [
    session.workflowId,
    session.agent ?? '',
    session.state === 'waiting-for-approval' && session.status === 'running' ? 'waiting-for-approval' : session.status,
    session.startTime.replace('T', ' ').slice(0, 19),
    session.ciRunId ?? '',
    session.summary ?? '',
  ]);
  const header = ['SESSION', 'AGENT', 'STATUS', 'STARTED (UTC)', 'CI RUN', 'SUMMARY'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd());
}

/** `orca list`: recent sessions, newest first, filtered by agent, CI run, status or root session. */
export async function listCommand(options: ListOptions): Promise<number> {
  const query = listQuery(options);
  return withSessions(options, async (runtime) => {
    const { client } = runtime.target;
    const limit = options.limit ?? 20;
    const sessions: ListedSession[] = [];
    for await (const info of client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
      sessions.push(listed(info, workflowUrl(runtime.target, info.workflowId)));
      if (sessions.length >= limit) break;
    }
    await summaries(client, sessions);
    if (options.json) console.log(JSON.stringify(sessions));
    else if (sessions.length === 0) console.error(`No sessions match (${query}).`);
    else printTable(sessions);
    return EXIT.success;
  });
}
