import { z } from 'zod';
import { Ruleset } from './permission-rule.js';

export const AgentMode = z.enum(['primary', 'subagent', 'all']);
export type AgentMode = z.infer<typeof AgentMode>;

/** A resolved agent. Plain JSON, because the registry snapshot is recorded in workflow history. */
export const AgentInfo = z.object({
  name: z.string(),
  description: z.string().optional(),
  mode: AgentMode,
  prompt: z.string().optional(),
  model: z.string().optional().describe('"provider/model", or a Claude alias such as "sonnet"'),
  variant: z.string().optional(),
  temperature: z.number().optional(),
  topP: z.number().optional(),
  steps: z.number().int().positive().optional().describe('Model calls before the agent must answer without tools'),
  hidden: z.boolean().optional(),
  color: z.string().optional(),
  permission: Ruleset.describe('Default rules followed by the agent\'s own, in evaluation order'),
  options: z.record(z.string(), z.unknown()),
  source: z.string().describe('"builtin", or the file that defined the agent last'),
});
export type AgentInfo = z.infer<typeof AgentInfo>;
