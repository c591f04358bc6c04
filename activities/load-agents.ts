import { ApplicationFailure } from '@temporalio/common';
import type { AgentInfo } from '../agents/agent-info.js';
import { loadAgentRegistry } from '../agents/load-agent-registry.js';
import type { AgentSnapshot, LoadAgentsInput } from '../workflows/session-types.js';
import type { ContentStore } from './content-store.js';

export interface AgentDependencies {
  store: ContentStore;
  /** Directory of the user's own agents; null to ignore it. */
  userAgentsDir?: string | null;
}

export function createLoadAgents(deps: AgentDependencies) {
  /**
   * Snapshots the registry into history, so a replay resolves the same agents. The snapshot is
   * also stored, so child sessions receive the very same agents by reference.
   */
  return async function loadAgents(input: LoadAgentsInput): Promise<AgentSnapshot> {
    if (input.snapshot) return { ref: input.snapshot, agents: await deps.store.get<AgentInfo[]>(input.snapshot) };
    const registry = await loadAgentRegistry({ workspace: input.workspace, userDir: deps.userAgentsDir });
    for (const error of registry.errors) console.warn(`Skipped agent file: ${error.message}`);
    if (registry.agents.length === 0) throw ApplicationFailure.nonRetryable('No agents could be loaded.', 'NoAgents');
    const errors = registry.errors.map((error) => error.message);
    return { ref: await deps.store.put(registry.agents), agents: registry.agents, ...(errors.length > 0 ? { errors } : {}) };
  };
}
