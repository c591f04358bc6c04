const editTools = new Set(['write', 'edit', 'patch', 'apply_patch', 'multiedit']);

/** The permission a tool is checked against: every file-changing tool shares `edit`. */
export function permissionForTool(toolId: string): string {
  return editTools.has(toolId) ? 'edit' : toolId;
}

/** Claude Code's capitalised tool names, mapped to Orca's permission ids. */
const claudeToolPermissions: Record<string, string[]> = {
  Read: ['read'],
  Write: ['edit'],
  Edit: ['edit'],
  MultiEdit: ['edit'],
  NotebookEdit: ['edit'],
  Bash: ['bash'],
  BashOutput: ['bash'],
  KillShell: ['bash'],
  Grep: ['grep'],
  Glob: ['glob'],
  LS: ['list'],
  WebFetch: ['webfetch'],
  WebSearch: ['websearch'],
  Task: ['task'],
  Agent: ['task'],
  Skill: ['skill'],
  // Claude has one todo tool; reading the list back is part of using it.
  TodoWrite: ['todowrite', 'todoread'],
};

/** Accepts Orca tool ids, permission ids and Claude Code tool names alike. */
export function permissionsForToolName(name: string): string[] {
  const mapped = claudeToolPermissions[name];
  if (mapped) return mapped;
  // Other capitalised names follow Claude's convention; MCP and custom ids are kept as written.
  return [permissionForTool(/^[A-Z][A-Za-z]*$/.test(name) ? name.toLowerCase() : name)];
}
