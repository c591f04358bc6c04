import type { SessionStatus } from './messages.js';

const TODO_MARK = { pending: '[ ]', in_progress: '[~]', completed: '[x]', cancelled: '[-]' } as const;

/** Markdown for the Web UI's "current details" of a session. */
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
  if (status.todos.length > 0) {
    lines.push('', '### Todos');
    for (const todo of status.todos) lines.push(`- ${TODO_MARK[todo.status]} ${todo.content}`);
  }
  if (status.tasks.length > 0) {
    lines.push('', '### Tasks');
    for (const task of status.tasks) lines.push(`- \`${task.id}\` ${task.agent}: ${task.description}`);
  }
  return lines.join('\n');
}
