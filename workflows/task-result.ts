/** The result a parent's model reads, in the form OpenCode's agents know. */
export function taskResult(id: string, outcome: { text: string } | { error: string }): string {
  if ('error' in outcome) return `<task id="${id}" state="error">\n<task_error>\n${outcome.error}\n</task_error>\n</task>`;
  return `<task id="${id}" state="completed">\n<task_result>\n${outcome.text}\n</task_result>\n</task>`;
}
