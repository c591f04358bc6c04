import { ApplicationFailure } from '@temporalio/common';
import type { AgentInfo } from '../agents/agent-info.js';
import { loadAgentRegistry } from '../agents/load-agent-registry.js';

export interface AgentDependencies {
  /** Directory of the user's own agents; null to ignore it. */
  userAgentsDir?: string | null;
}

export function createLoadAgents(deps: AgentDependencies) {
  /** Snapshots the registry into history, so a replay resolves the same agents. */
  return async function loadAgents(input: { workspace: string }): Promise<AgentInfo[]> {
    const registry = await loadAgentRegistry({ workspace: input.workspace, userDir: deps.userAgentsDir });
    for (const error of registry.errors) console.warn(`Skipped agent file: ${error.message}`);
    if (registry.agents.length === 0) throw ApplicationFailure.nonRetryable('No agents could be loaded.', 'NoAgents');
    return registry.agents;
  };
}
