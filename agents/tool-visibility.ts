import type { AgentInfo } from './agent-info.js';
import { evaluatePermission } from './evaluate-permission.js';
import type { Ruleset } from './permission-rule.js';
import { permissionForTool } from './tool-names.js';
import { matchWildcard } from './wildcard.js';

/**
 * Hidden only when the last rule for the tool's permission denies every pattern.
 * A narrower deny (`bash: { "rm *": deny }`) leaves the tool offered and is
 * enforced when the call runs.
 */
export function isToolHidden(toolId: string, rules: Ruleset): boolean {
  const permission = permissionForTool(toolId);
  for (let index = rules.length - 1; index >= 0; index--) {
    const rule = rules[index]!;
    if (matchWildcard(rule.permission, permission)) return rule.pattern === '*' && rule.action === 'deny';
  }
  return false;
}

export function visibleTools(toolIds: string[], rules: Ruleset): string[] {
  return toolIds.filter((toolId) => !isToolHidden(toolId, rules));
}

/** The subagents the `task` tool may offer to an agent with these rules. */
export function delegableSubagents(agents: AgentInfo[], rules: Ruleset): AgentInfo[] {
  return agents.filter(
    (agent) => agent.mode !== 'primary' && !agent.hidden && evaluatePermission('task', agent.name, rules).action !== 'deny',
  );
}
