import type { PermissionRule, Ruleset } from './permission-rule.js';
import { matchWildcard } from './wildcard.js';

/**
 * The last rule whose permission and pattern both match wins, so later layers
 * (agent config, session approvals) override earlier ones. Nothing matching means ask.
 */
export function evaluatePermission(permission: string, pattern: string, ...rulesets: Ruleset[]): PermissionRule {
  const rules = rulesets.flat();
  for (let index = rules.length - 1; index >= 0; index--) {
    const rule = rules[index]!;
    if (matchWildcard(rule.permission, permission) && matchWildcard(rule.pattern, pattern)) return rule;
  }
  return { permission, pattern: '*', action: 'ask' };
}

/** Rules added during a session ("always" answers) may turn an ask into an allow, never lift a deny of the agent's or the caller's rules. */
export function evaluateWithSessionRules(permission: string, pattern: string, rules: Ruleset, sessionRules: Ruleset): PermissionRule {
  const ruled = evaluatePermission(permission, pattern, rules);
  return ruled.action === 'deny' ? ruled : evaluatePermission(permission, pattern, rules, sessionRules);
}
