import type { WorkflowHandle } from '@temporalio/client';
import { statusQuery, type SessionStatus } from '../workflows/messages.js';

function describe(status: SessionStatus): string {
  const base = `  step ${status.step} · ${status.state} · ${status.usage.inputTokens + status.usage.outputTokens} tokens`;
  const waiting = status.pendingApprovals.map((approval) => `\n  waiting: ${approval.summary} — orca approve ${approval.id}  |  orca deny ${approval.id}`);
  return base + waiting.join('');
}

/** Prints a line whenever the session's step or state changes, until stopped. */
export function followProgress(handle: WorkflowHandle, log: (line: string) => void, intervalMs = 1_000): () => void {
  let last = '';
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      try {
        const line = describe(await handle.query(statusQuery));
        if (line !== last && !stopped) log(line);
        last = line;
      } catch {
        // Not started yet, or already closed: the result tells what happened.
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  };
  void poll();
  return () => {
    stopped = true;
  };
}
