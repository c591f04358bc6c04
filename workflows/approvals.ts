import { ApplicationFailure } from '@temporalio/workflow';
import type { ApprovalAnswer, PendingApproval } from './messages.js';
import type { OnAsk, PermissionAsk, ToolCall } from './session-types.js';

export function describeAsks(asks: PermissionAsk[]): string {
  return asks.map((ask) => `${ask.permission} ${ask.patterns.map((pattern) => `"${pattern}"`).join(', ')}`).join('; ');
}

/** Tool calls held for a person's answer. An approval's id is `<session id>:<n>`, so it also names its session. */
export class ApprovalQueue {
  private readonly waiting = new Map<string, { approval: PendingApproval; answer(answer: ApprovalAnswer): void }>();
  private count = 0;

  constructor(private readonly sessionId: string, private readonly onAsk: OnAsk) {}

  get pending(): PendingApproval[] {
    return [...this.waiting.values()].map((entry) => entry.approval);
  }

  request(call: ToolCall, summary: string, asks: PermissionAsk[]): Promise<ApprovalAnswer> {
    const id = `${this.sessionId}:${++this.count}`;
    if (this.onAsk === 'deny') {
      return Promise.resolve({ id, reply: 'reject', message: 'This session runs without a person to approve it (on-ask: deny).' });
    }
    if (this.onAsk === 'fail') {
      throw ApplicationFailure.nonRetryable(`${summary} needs approval for ${describeAsks(asks)}, and this session fails instead of waiting (on-ask: fail).`, 'ApprovalRequired');
    }
    return new Promise((resolve) => {
      const approval = { id, sessionId: this.sessionId, tool: call.name, summary, asks };
      this.waiting.set(id, { approval, answer: resolve });
    });
  }

  validate(answer: ApprovalAnswer): void {
    if (!this.waiting.has(answer.id)) {
      const open = [...this.waiting.keys()];
      throw new Error(`No approval "${answer.id}" is waiting in ${this.sessionId}. ${open.length ? `Waiting: ${open.join(', ')}` : 'Nothing is waiting.'}`);
    }
  }

  answer(answer: ApprovalAnswer): string {
    const entry = this.waiting.get(answer.id);
    if (!entry) throw new Error(`No approval "${answer.id}" is waiting in ${this.sessionId}.`);
    this.waiting.delete(answer.id);
    entry.answer(answer);
    return `${answer.reply === 'reject' ? 'Rejected' : 'Approved'} ${entry.approval.summary}`;
  }
}
