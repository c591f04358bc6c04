import type { AgentInfo } from './agent-info.js';
import type { AgentLoadError } from './agent-load-error.js';

/** Every agent that loaded, sorted by name, and every file that did not. */
export type AgentRegistry = { agents: AgentInfo[]; errors: AgentLoadError[] };

export class UnknownAgentError extends Error {
  override readonly name = 'UnknownAgentError';

  constructor(
    readonly agentName: string,
    readonly availableAgents: string[],
  ) {
    super(`Unknown agent "${agentName}". Available: ${availableAgents.join(', ')}`);
  }
}

/** Accepts the registry or just its agents, which is what workflow history records. */
export function findAgent(registry: Pick<AgentRegistry, 'agents'> | AgentInfo[], name: string): AgentInfo {
  const agents = Array.isArray(registry) ? registry : registry.agents;
  const agent = agents.find((candidate) => candidate.name === name);
  if (agent) return agent;
  throw new UnknownAgentError(name, agents.filter((candidate) => !candidate.hidden).map((candidate) => candidate.name));
}
