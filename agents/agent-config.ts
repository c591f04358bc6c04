import { z } from 'zod';
import { AgentMode } from './agent-info.js';
import { PermissionConfig, rulesFromDisallowedTools, rulesFromPermissionConfig, rulesFromToolsConfig } from './permission-config.js';
import type { Ruleset } from './permission-rule.js';

const StepCount = z
  .number()
  .int({ error: 'expected a whole number' })
  .positive({ error: 'expected a number greater than 0' });

const ToolList = z.union([z.string(), z.array(z.string())], {
  error: 'expected a comma-separated list or a list of tool names',
});

/** Front matter as OpenCode and Claude Code write it. Unknown keys are kept and end up in `options`. */
export const AgentFrontMatter = z.looseObject({
  name: z.string().trim().min(1, { error: 'expected a non-empty name' }).optional(),
  description: z.string().optional(),
  mode: AgentMode.optional(),
  model: z.string().optional(),
  variant: z.string().optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  prompt: z.string().optional(),
  tools: z
    .union([z.record(z.string(), z.boolean()), z.string(), z.array(z.string())], {
      error: 'expected a map of tool names to true or false, or a list of tool names',
    })
    .optional(),
  disallowedTools: ToolList.optional(),
  permission: PermissionConfig.optional(),
  steps: StepCount.optional(),
  maxSteps: StepCount.optional(),
  maxTurns: StepCount.optional(),
  color: z.string().optional(),
  hidden: z.boolean().optional(),
  disable: z.boolean().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});
export type AgentFrontMatter = z.infer<typeof AgentFrontMatter>;

/** One file's contribution to an agent: fields it sets, and rules to append. */
export type AgentConfig = {
  name: string;
  description?: string;
  mode?: AgentMode;
  model?: string;
  variant?: string;
  temperature?: number;
  topP?: number;
  steps?: number;
  hidden?: boolean;
  color?: string;
  disable?: boolean;
  prompt?: string;
  permission: Ruleset;
  options: Record<string, unknown>;
};

const knownKeys = new Set(Object.keys(AgentFrontMatter.shape));

export function agentConfigFromFrontMatter(frontMatter: AgentFrontMatter, fileName: string, body: string): AgentConfig {
  const unknownEntries = Object.entries(frontMatter).filter(([key]) => !knownKeys.has(key));
  const config: AgentConfig = {
    name: frontMatter.name ?? fileName,
    permission: [
      ...(frontMatter.tools === undefined ? [] : rulesFromToolsConfig(frontMatter.tools)),
      ...(frontMatter.disallowedTools === undefined ? [] : rulesFromDisallowedTools(frontMatter.disallowedTools)),
      ...(frontMatter.permission === undefined ? [] : rulesFromPermissionConfig(frontMatter.permission)),
    ],
    options: { ...frontMatter.options, ...Object.fromEntries(unknownEntries) },
  };
  const fields: Omit<AgentConfig, 'name' | 'permission' | 'options'> = {
    description: frontMatter.description,
    mode: frontMatter.mode,
    // Claude Code's "inherit" means the caller's model, which is what no model means here.
    model: frontMatter.model === 'inherit' ? undefined : frontMatter.model,
    variant: frontMatter.variant,
    temperature: frontMatter.temperature,
    topP: frontMatter.top_p,
    steps: frontMatter.steps ?? frontMatter.maxSteps ?? frontMatter.maxTurns,
    hidden: frontMatter.hidden,
    color: frontMatter.color,
    disable: frontMatter.disable,
    prompt: body.trim() || frontMatter.prompt,
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(config, { [key]: value });
  }
  return config;
}
