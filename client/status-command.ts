import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { SessionStatus } from '../workflows/messages.js';
import { agentAttribute, ciRunAttribute, parentSessionAttribute, rootSessionAttribute, statusAttribute } from '../workflows/search-attributes.js';
import { EXIT } from './exit-codes.js';
import { formatDuration } from './duration.js';
import { describeApproval } from './session-progress.js';
import { describeSession, withSessions, type ConnectionFlags } from './session-lookup.js';
import { awaitOutcome, querySession, type SessionOutcome } from './session-outcome.js';
import { workflowUrl } from './temporal-target.js';

export interface SessionOverview {
  workflowId: string;
  runId: string;
  status: string;
  summary?: string;
  agent?: string;
  ciRunId?: string;
  parentSession?: string;
  rootSession?: string;
  /** The session's own state (OrcaStatus), e.g. waiting-for-approval. */
  state?: string;
  taskQueue: string;
  startTime: string;
  closeTime?: string;
  historyLength: number;
  url: string;
  /** From the status query while the session runs and a worker answers. */
  session?: SessionStatus;
  /** Calls being retried: which attempt, and why the last one failed. */
  retrying?: { activity: string; attempt: number; lastFailure?: string }[];
  /** How a closed session ended. */
  outcome?: SessionOutcome;
}

export function statusName(description: Pick<WorkflowExecutionDescription, 'status'>): string {
  return description.status.name.toLowerCase().replaceAll('_', '-');
}

export async function sessionOverview(description: WorkflowExecutionDescription, url: string): Promise<Omit<SessionOverview, 'session' | 'outcome'>> {
  const attributes = description.typedSearchAttributes;
  return {
    workflowId: description.workflowId,
    runId: description.runId,
    status: statusName(description),
    summary: await description.staticSummary(),
    agent: attributes.get(agentAttribute),
    ciRunId: attributes.get(ciRunAttribute),
    parentSession: attributes.get(parentSessionAttribute),
    rootSession: attributes.get(rootSessionAttribute),
    state: attributes.get(statusAttribute),
    taskQueue: description.taskQueue,
    startTime: description.startTime.toISOString(),
    closeTime: description.closeTime?.toISOString(),
    historyLength: description.historyLength,
    url,
    retrying: (description.raw.pendingActivities ?? [])
      .filter((activity) => (activity.attempt ?? 1) > 1)
      .map((activity) => ({
        activity: activity.activityType?.name ?? 'activity',
        attempt: activity.attempt ?? 1,
        lastFailure: activity.lastFailure?.message ?? undefined,
      })),
  };
}

function printOverview(overview: SessionOverview): void {
  const rows: [string, string | undefined][] = [
    ['summary', overview.summary],
    ['agent', overview.agent],
    ['status', [overview.status, overview.state && overview.state !== overview.status ? `(${overview.state})` : undefined].filter(Boolean).join(' ')],
    ['started', `${overview.startTime} (${formatDuration(Date.now() - Date.parse(overview.startTime))} ago)`],
    ['closed', overview.closeTime],
    ['CI run', overview.ciRunId],
    ['parent', overview.parentSession],
    ['root', overview.rootSession !== overview.workflowId ? overview.rootSession : undefined],
    ['queue', overview.taskQueue],
  ];
  const session = overview.session;
  if (session) {
    rows.push(['step', `${session.step} · tokens ${session.usage.inputTokens} in, ${session.usage.outputTokens} out`]);
    for (const task of session.tasks) rows.push(['task', `${task.id} (${task.agent}: ${task.description})`]);
  }
  const outcome = overview.outcome;
  if (outcome?.status === 'completed') rows.push(['result', `${outcome.result.steps} step(s), ${outcome.result.stopReason}; tokens ${outcome.result.usage.inputTokens} in, ${outcome.result.usage.outputTokens} out`]);
  if (outcome?.status === 'failed' || outcome?.status === 'terminated') rows.push(['error', outcome.error]);
  console.log(`Session ${overview.workflowId}`);
  for (const [label, value] of rows) if (value) console.log(`  ${label.padEnd(8)} ${value}`);
  for (const approval of session?.pendingApprovals ?? []) console.log(`  ${describeApproval(approval)}`);
  for (const retry of overview.retrying ?? []) console.log(`  retrying ${retry.activity}, attempt ${retry.attempt}${retry.lastFailure ? `: ${retry.lastFailure}` : ''}`);
  if (overview.status === 'running' && !session) console.log('  (no worker answered the status query: is a worker running on its task queue?)');
  console.log(`  ${overview.url}`);
}

/** `orca status ID`: what a session is doing, or how it ended. */
export async function statusCommand(workflowId: string, options: ConnectionFlags & { json?: boolean }): Promise<number> {
  return withSessions(options, async (runtime) => {
    const { client } = runtime.target;
    const handle = client.workflow.getHandle(workflowId);
    const description = await describeSession(runtime, handle);
    const overview: SessionOverview = await sessionOverview(description, workflowUrl(runtime.target, workflowId));
    if (description.status.name === 'RUNNING') overview.session = await querySession(client, handle);
    else overview.outcome = await awaitOutcome(client, handle);
    if (options.json) {
      const { outcome, ...rest } = overview;
      const ended = outcome?.status === 'completed' ? { ...outcome, result: { ...outcome.result, text: undefined } } : outcome;
      console.log(JSON.stringify({ ...rest, ...(ended ? { outcome: ended } : {}) }));
    } else {
      printOverview(overview);
    }
    return EXIT.success;
  });
}
