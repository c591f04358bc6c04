import { ApplicationFailure, CancellationScope, getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import { answerApprovalSignal, descendantApprovalsSignal, type ApprovalAnswer, type PendingApproval } from './messages.js';
import type { OnAsk, PermissionAsk } from './session-types.js';

export function describeAsks(asks: PermissionAsk[]): string {
  return asks.map((ask) => `${ask.permission} ${ask.patterns.map((pattern) => `"${pattern}"`).join(', ')}`).join('; ');
}

/**
 * Tool calls held for a person's answer, this session's own and those of the sessions below it.
 * Every change is reported to the parent, so the root session shows (and answers) them all.
 */
export class ApprovalQueue {
  private readonly own = new Map<string, { approval: PendingApproval; resolve(answer: ApprovalAnswer): void }>();
  private readonly below = new Map<string, PendingApproval[]>();
  constructor(
    private readonly sessionId: string,
    private readonly onAsk: OnAsk,
    private readonly parentId: string | undefined,
    private readonly onChange: () => void,
    /** Approvals asked so far, carried across continue-as-new so an id is never reused. */
    private count = 0,
  ) {}

  get asked(): number {
    return this.count;
  }

  get pending(): PendingApproval[] {
    return [...[...this.own.values()].map((entry) => entry.approval), ...[...this.below.values()].flat()];
  }

  get waitingHere(): boolean {
    return this.own.size > 0;
  }

  request(tool: string, summary: string, asks: PermissionAsk[]): Promise<ApprovalAnswer> {
    const id = `${this.sessionId}:${++this.count}`;
    if (this.onAsk === 'deny') {
      return Promise.resolve({ id, reply: 'reject', message: 'This session runs without a person to approve it (on-ask: deny).' });
    }
    if (this.onAsk === 'fail') {
      throw ApplicationFailure.nonRetryable(`${summary} needs approval for ${describeAsks(asks)}, and this session fails instead of waiting (on-ask: fail).`, 'ApprovalRequired');
    }
    const answered = new Promise<ApprovalAnswer>((resolve) => {
      this.own.set(id, { approval: { id, sessionId: this.sessionId, tool, summary, asks }, resolve });
      this.changed();
    });
    // A plain promise ignores cancellation: a cancelled session must stop waiting for its answer.
    // Racing adds a tick, which reorders the commands after an answer: sessions from before replay without it.
    if (!patched('cancellable-approval')) return answered;
    return Promise.race([answered, CancellationScope.current().cancelRequested]);
  }

  validate(answer: ApprovalAnswer): void {
    if (this.pending.some((approval) => approval.id === answer.id)) return;
    const waiting = this.pending.map((approval) => approval.id);
    throw new Error(`No approval "${answer.id}" is waiting in ${this.sessionId}. ${waiting.length ? `Waiting: ${waiting.join(', ')}` : 'Nothing is waiting.'}`);
  }

  /** Answers an approval of this session, or passes it down to the session that holds it. */
  async answer(answer: ApprovalAnswer): Promise<string> {
    const entry = this.own.get(answer.id);
    if (entry) {
      this.own.delete(answer.id);
      entry.resolve(answer);
      this.changed();
      return `${answer.reply === 'reject' ? 'Rejected' : 'Approved'}: ${entry.approval.summary}`;
    }
    const approval = this.pending.find((candidate) => candidate.id === answer.id);
    if (!approval) return `No approval "${answer.id}" is waiting in ${this.sessionId}.`;
    await getExternalWorkflowHandle(approval.sessionId).signal(answerApprovalSignal, answer);
    return `${answer.reply === 'reject' ? 'Rejected' : 'Approved'}: ${approval.summary} (in ${approval.sessionId})`;
  }

  updateBelow(childSessionId: string, pending: PendingApproval[]): void {
    if (pending.length === 0 && !this.below.has(childSessionId)) return;
    if (pending.length > 0) this.below.set(childSessionId, pending);
    else this.below.delete(childSessionId);
    this.changed();
  }

  private changed(): void {
    this.onChange();
    if (!this.parentId) return;
    // The parent may already be closing; its children are then cancelled anyway.
    getExternalWorkflowHandle(this.parentId)
      .signal(descendantApprovalsSignal, { sessionId: this.sessionId, pending: this.pending })
      .catch(() => undefined);
  }
}
