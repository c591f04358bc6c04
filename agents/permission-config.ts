import { z } from 'zod';
import { PermissionAction, type Ruleset } from './permission-rule.js';
import { narrowedPermissions, parseToolList } from './tool-list.js';
import { permissionsForToolName } from './tool-names.js';

export { permissionForTool } from './tool-names.js';

const actionsMessage = 'expected "allow", "ask" or "deny"';

export const PermissionPatternConfig = z.union(
  [PermissionAction, z.record(z.string(), PermissionAction)],
  { error: `${actionsMessage}, or a map of patterns to actions` },
);
export type PermissionPatternConfig = z.infer<typeof PermissionPatternConfig>;

/** `permission: deny`, or `permission: { edit: deny, bash: { "git *": allow, "*": ask } }`. */
export const PermissionConfig = z.union(
  [PermissionAction, z.record(z.string(), PermissionPatternConfig)],
  { error: `${actionsMessage}, or a map of permissions to actions` },
);
export type PermissionConfig = z.infer<typeof PermissionConfig>;

/** Rules come out in the order the keys were written, which is what gives later keys precedence. */
export function rulesFromPermissionConfig(config: PermissionConfig): Ruleset {
  if (typeof config === 'string') return [{ permission: '*', pattern: '*', action: config }];
  return Object.entries(config).flatMap(([permission, value]) =>
    typeof value === 'string'
      ? [{ permission, pattern: '*', action: value }]
      : Object.entries(value).map(([pattern, action]) => ({ permission, pattern, action })),
  );
}

/**
 * The permissions of the tools Orca ships. A tools allowlist denies the ones it leaves
 * out instead of denying "*", so rules already set for the tools it keeps (asking
 * before reading .env files, asking outside the workspace) still apply.
 */
const toolPermissions = [
  'read', 'edit', 'list', 'glob', 'grep', 'bash', 'task', 'skill', 'webfetch', 'websearch', 'todowrite', 'todoread',
] as const;

/**
 * `{ bash: false }` (OpenCode's deprecated map) denies or allows each tool named;
 * `"Read, Grep"` or `["Read", "Grep"]` (Claude Code) is an allowlist.
 * Claude's `Bash(git diff:*)` narrows a tool to the commands given.
 */
export function rulesFromToolsConfig(tools: Record<string, boolean> | string | string[]): Ruleset {
  if (typeof tools === 'object' && !Array.isArray(tools)) {
    return Object.entries(tools).flatMap(([name, enabled]) =>
      permissionsForToolName(name).map((permission) => ({ permission, pattern: '*', action: enabled ? 'allow' : 'deny' } as const)),
    );
  }
  const entries = parseToolList(tools);
  if (entries.some((entry) => entry.name === '*')) return [];
  const allowed = new Set(entries.flatMap((entry) => permissionsForToolName(entry.name)));
  const rules: Ruleset = toolPermissions
    .filter((permission) => !allowed.has(permission))
    .map((permission) => ({ permission, pattern: '*', action: 'deny' }));
  for (const [permission, patterns] of narrowedPermissions(entries)) {
    rules.push({ permission, pattern: '*', action: 'deny' });
    rules.push(...patterns.map((pattern) => ({ permission, pattern, action: 'allow' } as const)));
  }
  return rules;
}

/** Claude Code's `disallowedTools`: each entry denied, `Bash(rm:*)` only for those commands. */
export function rulesFromDisallowedTools(tools: string | string[]): Ruleset {
  return parseToolList(tools).flatMap((entry) =>
    permissionsForToolName(entry.name).flatMap((permission) =>
      (entry.patterns.length ? entry.patterns : ['*']).map((pattern) => ({ permission, pattern, action: 'deny' } as const)),
    ),
  );
}

export const defaultPermission = {
  '*': 'allow',
  external_directory: 'ask',
  doom_loop: 'ask',
  read: { '*.env': 'ask', '*.env.*': 'ask', '*.env.example': 'allow' },
} satisfies PermissionConfig;

/** Prepended to every agent's own rules. */
export function defaultRules(): Ruleset {
  return rulesFromPermissionConfig(defaultPermission);
}
