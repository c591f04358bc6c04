import type { AgentInfo } from '../agents/agent-info.js';
import type { Ruleset } from '../agents/permission-rule.js';
import { delegableSubagents, visibleTools } from '../agents/tool-visibility.js';
import type { SessionInput, SessionSettings } from './session-types.js';
import { WORKFLOW_TOOLS } from './workflow-tools.js';

export const WORKSPACE_TOOLS = ['read', 'glob', 'grep', 'list', 'write', 'edit', 'bash', 'webfetch', 'skill'];
export const DEFAULT_MAX_DEPTH = 2;

/**
 * The rules a session runs with: its agent's, then (for a child) delegation and todos denied unless
 * the agent names them, then the denies of the rules the root session was started with, as a ceiling
 * for the whole tree. A parent agent's own rules are not inherited: an orchestrator that may not read
 * delegates to agents that may.
 */
export function sessionRules(agent: AgentInfo, input: SessionInput): Ruleset {
  const rules: Ruleset = [...agent.permission];
  const depth = input.depth ?? 0;
  if (depth > 0) {
    for (const permission of WORKFLOW_TOOLS) {
      if (!agent.permission.some((rule) => rule.permission === permission)) rules.push({ permission, pattern: '*', action: 'deny' });
    }
  }
  if (depth >= (input.maxDepth ?? DEFAULT_MAX_DEPTH)) rules.push({ permission: 'task', pattern: '*', action: 'deny' });
  // The caller's rules apply in full to the session it started; below it, only their denies.
  return [...rules, ...(input.rules ?? []).filter((rule) => depth === 0 || rule.action === 'deny')];
}

export function sessionSettings(agent: AgentInfo, agents: AgentInfo[], input: SessionInput): SessionSettings {
  const permission = sessionRules(agent, input);
  const tools = visibleTools([...WORKSPACE_TOOLS, ...WORKFLOW_TOOLS], permission);
  const subagents = tools.includes('task')
    ? delegableSubagents(agents, permission).map(({ name, description }) => ({ name, description }))
    : [];
  return {
    workspace: input.workspace,
    model: agent.model ?? input.model,
    temperature: agent.temperature,
    topP: agent.topP,
    tools: subagents.length > 0 ? tools : tools.filter((tool) => tool !== 'task'),
    subagents,
    permission,
  };
}
