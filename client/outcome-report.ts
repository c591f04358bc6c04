import { describeApproval } from './session-progress.js';
import { APPROVAL_REQUIRED_FAILURE, exitCodeForOutcome, type SessionOutcome } from './session-outcome.js';

export interface ReportContext {
  workflowId: string;
  url: string;
  json: boolean;
  /** What the command did with the session id: started it, attached to it, or found it completed. */
  how?: 'started' | 'attached' | 'completed';
  /** Where the human-readable notes go (the answer itself goes to stdout). */
  log(line: string): void;
}

/** The JSON `orca run --json` and `orca result --json` print: one object, the same shape for every outcome. */
export function outcomeJson(outcome: SessionOutcome, context: Pick<ReportContext, 'workflowId' | 'url' | 'how'>): Record<string, unknown> {
  const base = { workflowId: context.workflowId, status: outcome.status, exitCode: exitCodeForOutcome(outcome), url: context.url, ...(context.how ? { how: context.how } : {}) };
  switch (outcome.status) {
    case 'completed':
      return { ...base, ...outcome.result };
    case 'failed':
      return { ...base, error: outcome.error, ...(outcome.failureType ? { failureType: outcome.failureType } : {}) };
    case 'terminated':
      return { ...base, error: outcome.error };
    case 'running':
      return {
        ...base,
        waitingForApproval: outcome.pendingApprovals.length > 0,
        pendingApprovals: outcome.pendingApprovals,
        ...(outcome.session ? { step: outcome.session.step, usage: outcome.session.usage } : {}),
      };
    default:
      return base;
  }
}

/** Prints the outcome (the answer on stdout, notes on stderr; or one JSON object on stdout) and returns the exit code. */
export function reportOutcome(outcome: SessionOutcome, context: ReportContext): number {
  const { workflowId, log } = context;
  if (context.json) {
    console.log(JSON.stringify(outcomeJson(outcome, context)));
    return exitCodeForOutcome(outcome);
  }
  switch (outcome.status) {
    case 'completed': {
      const { result } = outcome;
      console.log(result.text);
      const cost = result.usage.costUsd !== undefined ? `, $${result.usage.costUsd.toFixed(4)}` : '';
      log(`\nSession ${workflowId} completed in ${result.steps} step(s) (${result.stopReason}); tokens ${result.usage.inputTokens} in, ${result.usage.outputTokens} out${cost}.`);
      break;
    }
    case 'failed':
      log(`Session ${workflowId} failed: ${outcome.error}`);
      if (outcome.failureType === APPROVAL_REQUIRED_FAILURE) log('  A tool call needed a person\'s approval and the session was told not to wait (--on-ask fail).');
      break;
    case 'terminated':
      log(`Session ${workflowId} was terminated: ${outcome.error}`);
      break;
    case 'cancelled':
      log(`Session ${workflowId} was cancelled.`);
      break;
    case 'timed-out':
      log(`Session ${workflowId} timed out (its workflow timeout ran out).`);
      break;
    case 'running': {
      const step = outcome.session ? ` (step ${outcome.session.step}, ${outcome.session.state})` : '';
      log(`Session ${workflowId} is still running${step}.`);
      for (const approval of outcome.pendingApprovals) log(`  ${describeApproval(approval)}`);
      log(`  Wait for it: orca result ${workflowId} --wait   ·   stop it: orca cancel ${workflowId}`);
      break;
    }
  }
  log(`  ${context.url}`);
  return exitCodeForOutcome(outcome);
}
