import { z } from 'zod';

export const PermissionAction = z.enum(['allow', 'ask', 'deny']);
export type PermissionAction = z.infer<typeof PermissionAction>;

export const PermissionRule = z.object({
  permission: z.string().describe('Permission id such as "edit" or "bash"; may contain wildcards'),
  pattern: z.string().describe('What the call touches (a path, a command, an agent name); may contain wildcards'),
  action: PermissionAction,
});
export type PermissionRule = z.infer<typeof PermissionRule>;

export const Ruleset = z.array(PermissionRule);
export type Ruleset = z.infer<typeof Ruleset>;
