import type { AgentConfig } from './agent-config.js';
import type { AgentInfo, AgentMode } from './agent-info.js';
import { defaultRules } from './permission-config.js';

/** One file's config, in precedence order: later layers override earlier ones. */
export type AgentLayer = {
  config: AgentConfig;
  source: string;
  /** Mode of an agent this layer creates (Claude Code's agents are subagents); defaults to `all`. */
  defaultMode?: AgentMode;
};

/**
 * Applies layers field by field over the built-ins. Permission rules append, so a
 * layer refines the rules before it. `disable` is a field like any other: the last
 * layer that sets it decides whether the agent exists.
 */
export function mergeAgents(builtins: AgentInfo[], layers: AgentLayer[]): AgentInfo[] {
  const entries = new Map(builtins.map((agent) => [agent.name, { agent, disabled: false }]));
  for (const layer of layers) {
    const entry = entries.get(layer.config.name);
    entries.set(layer.config.name, {
      agent: applyLayer(entry?.agent, layer),
      disabled: layer.config.disable ?? entry?.disabled ?? false,
    });
  }
  return [...entries.values()]
    .filter((entry) => !entry.disabled)
    .map((entry) => entry.agent)
    .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
}

const overridableFields = [
  'description', 'mode', 'model', 'variant', 'temperature', 'topP', 'steps', 'hidden', 'color', 'prompt',
] as const satisfies (keyof AgentConfig & keyof AgentInfo)[];

function applyLayer(base: AgentInfo | undefined, { config, source, defaultMode }: AgentLayer): AgentInfo {
  const agent: AgentInfo = base
    ? { ...base }
    : { name: config.name, mode: defaultMode ?? 'all', permission: defaultRules(), options: {}, source };
  for (const field of overridableFields) {
    if (config[field] !== undefined) Object.assign(agent, { [field]: config[field] });
  }
  agent.permission = [...agent.permission, ...config.permission];
  agent.options = { ...agent.options, ...config.options };
  agent.source = source;
  return agent;
}
