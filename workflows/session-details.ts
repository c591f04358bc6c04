import type { SessionStatus } from './messages.js';

/** Markdown for the Web UI's "current details" of a running session. */
export function sessionDetails(status: SessionStatus): string {
  const { usage } = status;
  const lines = [
    `**${status.agent}** · ${status.state} · step ${status.step}`,
    '',
    `tokens: ${usage.inputTokens} in · ${usage.outputTokens} out · ${usage.cachedTokens} cached`,
  ];
  if (status.pendingApprovals.length > 0) {
    lines.push('', '### Waiting for approval');
    for (const approval of status.pendingApprovals) {
      const asks = approval.asks.map((ask) => `${ask.permission} \`${ask.patterns.join('`, `')}\``).join('; ');
      lines.push(`- \`${approval.id}\` ${approval.summary} — ${asks} (orca approve ${approval.id})`);
    }
  }
  return lines.join('\n');
}
