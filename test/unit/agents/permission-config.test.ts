import { describe, expect, test } from 'vitest';
import { evaluatePermission } from '../../../agents/evaluate-permission.js';
import {
  PermissionConfig,
  defaultRules,
  permissionForTool,
  rulesFromDisallowedTools,
  rulesFromPermissionConfig,
  rulesFromToolsConfig,
} from '../../../agents/permission-config.js';
import type { PermissionAction } from '../../../agents/permission-rule.js';

describe('rulesFromPermissionConfig', () => {
  test('a single action covers every permission', () => {
    expect(rulesFromPermissionConfig('deny')).toEqual([{ permission: '*', pattern: '*', action: 'deny' }]);
  });

  test('objects become rules in key order', () => {
    const config = PermissionConfig.parse({ edit: 'deny', bash: { 'git *': 'allow', '*': 'ask' }, webfetch: 'allow' });
    expect(rulesFromPermissionConfig(config)).toEqual([
      { permission: 'edit', pattern: '*', action: 'deny' },
      { permission: 'bash', pattern: 'git *', action: 'allow' },
      { permission: 'bash', pattern: '*', action: 'ask' },
      { permission: 'webfetch', pattern: '*', action: 'allow' },
    ]);
  });

  test.each([['maybe'], [{ bash: 'sometimes' }], [{ bash: { 'git *': true } }], [42]])('rejects %j', (config) => {
    expect(PermissionConfig.safeParse(config).success).toBe(false);
  });
});

describe('permissionForTool', () => {
  test.each([
    ['read', 'read'], ['write', 'edit'], ['edit', 'edit'], ['patch', 'edit'], ['list', 'list'], ['glob', 'glob'],
    ['grep', 'grep'], ['bash', 'bash'], ['task', 'task'], ['skill', 'skill'], ['webfetch', 'webfetch'],
    ['todowrite', 'todowrite'], ['todoread', 'todoread'], ['mcp_github_search', 'mcp_github_search'],
  ])('%s → %s', (tool, permission) => {
    expect(permissionForTool(tool)).toBe(permission);
  });
});

describe('rulesFromToolsConfig', () => {
  const action = (rules: ReturnType<typeof rulesFromToolsConfig>, permission: string, pattern = 'x'): PermissionAction =>
    evaluatePermission(permission, pattern, defaultRules(), rules).action;

  test('OpenCode boolean map: false denies, write/edit/patch share edit', () => {
    const rules = rulesFromToolsConfig({ bash: false, write: false, webfetch: true });
    expect(rules).toEqual([
      { permission: 'bash', pattern: '*', action: 'deny' },
      { permission: 'edit', pattern: '*', action: 'deny' },
      { permission: 'webfetch', pattern: '*', action: 'allow' },
    ]);
  });

  test.each([
    ['comma-separated Claude names', 'Read, Grep, Glob'],
    ['a YAML list', ['Read', 'Grep', 'Glob']],
    ['Orca ids', 'read,grep,glob'],
  ])('allowlist as %s', (_name, tools) => {
    const rules = rulesFromToolsConfig(tools);
    for (const allowed of ['read', 'grep', 'glob']) expect(action(rules, allowed)).toBe('allow');
    for (const denied of ['edit', 'bash', 'list', 'task', 'webfetch', 'todowrite']) expect(action(rules, denied)).toBe('deny');
  });

  test('an allowlist keeps earlier safeguards for the tools it keeps', () => {
    const rules = rulesFromToolsConfig('Read, Bash');
    expect(action(rules, 'read', '.env')).toBe('ask');
    expect(action(rules, 'external_directory', '/tmp/*')).toBe('ask');
  });

  test('Claude tool names map to Orca permissions', () => {
    const rules = rulesFromToolsConfig('Write, WebFetch, TodoWrite, Task, LS');
    for (const allowed of ['edit', 'webfetch', 'todowrite', 'todoread', 'task', 'list']) expect(action(rules, allowed)).toBe('allow');
    expect(action(rules, 'read')).toBe('deny');
  });

  test('Bash(git diff:*) limits bash to those commands', () => {
    const rules = rulesFromToolsConfig('Read, Bash(git diff:*), Bash(git log:*)');
    expect(action(rules, 'bash', 'git diff HEAD')).toBe('allow');
    expect(action(rules, 'bash', 'git log')).toBe('allow');
    expect(action(rules, 'bash', 'git push')).toBe('deny');
  });

  test('disallowedTools deny the tools or commands given', () => {
    const rules = rulesFromDisallowedTools('Write, Bash(rm:*)');
    expect(action(rules, 'edit')).toBe('deny');
    expect(action(rules, 'bash', 'rm -rf dist')).toBe('deny');
    expect(action(rules, 'bash', 'ls')).toBe('allow');
  });
});
