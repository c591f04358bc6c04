import {
  ApplicationFailure,
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { statusQuery, type PendingApproval, type SessionStatus } from '../workflows/messages.js';
import type { SessionResult } from '../workflows/session-types.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/** How a session stands when a command stops looking at it. */
export type SessionOutcome =
  | { status: 'completed'; result: SessionResult }
  | { status: 'failed'; error: string; failureType?: string }
  | { status: 'cancelled' }
  | { status: 'terminated'; error: string }
  /** Temporal's own workflow timeout, not `--timeout`. */
  | { status: 'timed-out' }
  /** Still running when the command stopped waiting. */
  | { status: 'running'; pendingApprovals: PendingApproval[]; session?: SessionStatus };

/** A failure of this type means a tool call needed approval and the session was told not to wait (`--on-ask fail`). */
export const APPROVAL_REQUIRED_FAILURE = 'ApprovalRequired';

export function exitCodeForOutcome(outcome: SessionOutcome): ExitCode {
  switch (outcome.status) {
    case 'completed':
      return EXIT.success;
    case 'failed':
      return outcome.failureType === APPROVAL_REQUIRED_FAILURE ? EXIT.waitingForApproval : EXIT.failed;
    case 'terminated':
      return EXIT.failed;
    case 'cancelled':
      return EXIT.cancelled;
    case 'timed-out':
      return EXIT.timedOut;
    case 'running':
      return outcome.pendingApprovals.length > 0 ? EXIT.waitingForApproval : EXIT.timedOut;
  }
}

function innermost(error: unknown): unknown {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error && !(current instanceof ApplicationFailure)) current = current.cause;
  return current;
}

/** The outcome of a session that has ended, from the error its result threw. */
export function outcomeOfError(error: unknown): SessionOutcome {
  if (!(error instanceof WorkflowFailedError)) throw error;
  const cause = error.cause;
  if (cause instanceof CancelledFailure) return { status: 'cancelled' };
  if (cause instanceof TerminatedFailure) return { status: 'terminated', error: cause.message || 'terminated' };
  if (cause instanceof TimeoutFailure) return { status: 'timed-out' };
  const root = innermost(cause);
  const failureType = root instanceof ApplicationFailure ? (root.type ?? undefined) : undefined;
  // The workflow's own failure message says what went wrong; an activity failure wraps the real one.
  const message = cause instanceof ApplicationFailure ? cause.message : root instanceof Error ? root.message : (cause?.message ?? error.message);
  return { status: 'failed', error: message, failureType };
}

/** The session's status query, or undefined when no worker answers within `timeoutMs`. */
export async function querySession(client: Client, handle: WorkflowHandle, timeoutMs = 5_000): Promise<SessionStatus | undefined> {
  try {
    return await client.withDeadline(Date.now() + timeoutMs, () => handle.query(statusQuery));
  } catch {
    return undefined;
  }
}

export async function runningOutcome(client: Client, handle: WorkflowHandle): Promise<SessionOutcome> {
  const session = await querySession(client, handle);
  return { status: 'running', pendingApprovals: session?.pendingApprovals ?? [], session };
}

/**
 * Waits for the session's end, or until `timeoutMs` passes (then reports it as running, with what
 * it waits for). `timeoutMs` 0 looks once without waiting.
 */
export async function awaitOutcome(client: Client, handle: WorkflowHandle, timeoutMs?: number): Promise<SessionOutcome> {
  if (timeoutMs === 0) {
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') return runningOutcome(client, handle);
  }
  const result = handle.result().then(
    (value: SessionResult): SessionOutcome => ({ status: 'completed', result: value }),
    (error: unknown) => outcomeOfError(error),
  );
  if (timeoutMs === undefined || timeoutMs === 0) return result;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), timeoutMs)));
  try {
    const first = await Promise.race([result, expired]);
    if (first !== 'expired') return first;
    // The long poll for the result goes on until the connection closes; its end no longer matters.
    result.catch(() => {});
    return await runningOutcome(client, handle);
  } finally {
    clearTimeout(timer);
  }
}
