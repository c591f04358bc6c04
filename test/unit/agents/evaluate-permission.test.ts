import { describe, expect, test } from 'vitest';
import { evaluatePermission, evaluateWithSessionRules } from '../../../agents/evaluate-permission.js';
import { defaultRules, rulesFromPermissionConfig, type PermissionConfig } from '../../../agents/permission-config.js';
import type { PermissionAction, Ruleset } from '../../../agents/permission-rule.js';
import { splitBashCommands } from '../../../agents/bash-commands.js';

const rules = (config: PermissionConfig): Ruleset => rulesFromPermissionConfig(config);

describe('evaluatePermission', () => {
  test.each<[string, Ruleset[], string, string, PermissionAction]>([
    ['no rules → ask', [[]], 'edit', 'src/a.ts', 'ask'],
    ['unrelated rules → ask', [rules({ bash: 'allow' })], 'edit', 'src/a.ts', 'ask'],
    ['a deny before "*": allow is overridden', [rules({ edit: 'deny', '*': 'allow' })], 'edit', 'x', 'allow'],
    ['a deny after "*": allow wins', [rules({ '*': 'allow', edit: 'deny' })], 'edit', 'x', 'deny'],
    ['later ruleset wins', [rules({ edit: 'deny' }), rules({ edit: 'allow' })], 'edit', 'x', 'allow'],
    ['wildcard permission name', [rules({ 'todo*': 'deny' })], 'todoread', '*', 'deny'],
    ['"*" permission covers everything', [rules({ '*': 'deny' })], 'webfetch', 'https://example.com', 'deny'],
    ['trailing " *" is optional', [rules({ bash: { '*': 'ask', 'git status *': 'allow' } })], 'bash', 'git status', 'allow'],
    ['trailing " *" takes arguments', [rules({ bash: { '*': 'ask', 'git status *': 'allow' } })], 'bash', 'git status -s', 'allow'],
    ['prefix is not a word match', [rules({ bash: { '*': 'ask', 'git status *': 'allow' } })], 'bash', 'git statusx', 'ask'],
    ['? matches one character', [rules({ read: { 'log?.txt': 'deny' } })], 'read', 'log1.txt', 'deny'],
    ['? does not match two', [rules({ read: { 'log?.txt': 'deny' } })], 'read', 'log12.txt', 'ask'],
    ['src/** only covers src', [rules({ edit: { '*': 'deny', 'src/**': 'allow' } })], 'edit', 'src/a/b.ts', 'allow'],
    ['outside src/** falls back to *', [rules({ edit: { '*': 'deny', 'src/**': 'allow' } })], 'edit', 'test/a.ts', 'deny'],
    ['* matches across directories', [rules({ edit: { '*.md': 'allow' } })], 'edit', 'docs/guide/intro.md', 'allow'],
    ['default: .env read asks', [defaultRules()], 'read', '.env', 'ask'],
    ['default: nested .env.local read asks', [defaultRules()], 'read', 'app/.env.local', 'ask'],
    ['default: .env.example read allowed', [defaultRules()], 'read', '.env.example', 'allow'],
    ['default: other reads allowed', [defaultRules()], 'read', 'src/env.ts', 'allow'],
    ['default: external_directory asks', [defaultRules()], 'external_directory', '/etc/*', 'ask'],
    ['default: doom_loop asks', [defaultRules()], 'doom_loop', 'bash', 'ask'],
    ['default: anything else allowed', [defaultRules()], 'bash', 'rm -rf /', 'allow'],
    ['agent rules after defaults win', [defaultRules(), rules({ read: 'deny' })], 'read', '.env.example', 'deny'],
  ])('%s', (_name, rulesets, permission, pattern, expected) => {
    expect(evaluatePermission(permission, pattern, ...rulesets).action).toBe(expected);
  });

  test('returns the matching rule, or an ask with pattern "*"', () => {
    const ruleset = rules({ bash: { 'git *': 'allow' } });
    expect(evaluatePermission('bash', 'git log', ruleset)).toEqual({ permission: 'bash', pattern: 'git *', action: 'allow' });
    expect(evaluatePermission('bash', 'ls', ruleset)).toEqual({ permission: 'bash', pattern: '*', action: 'ask' });
  });
});

describe('bash commands are checked one sub-command at a time', () => {
  const bash = rules({ bash: { '*': 'ask', 'git *': 'allow', 'ls *': 'allow', 'grep *': 'allow', 'rm *': 'deny' } });
  const actions = (command: string) => splitBashCommands(command).map((sub) => evaluatePermission('bash', sub, bash).action);

  test.each<[string, PermissionAction[]]>([
    ['git status && ls -la | grep src', ['allow', 'allow', 'allow']],
    ['ls; rm -rf build', ['allow', 'deny']],
    ['git pull || npm ci', ['allow', 'ask']],
    ['ls $(rm -rf /)', ['allow', 'deny']],
    ['(git fetch && rm -f lock)', ['allow', 'deny']],
    ['git commit -m "a && rm -rf /"', ['allow']],
  ])('%s', (command, expected) => {
    expect(actions(command)).toEqual(expected);
  });
});

describe('rules added during a session', () => {
  const rules: Ruleset = [
    { permission: 'bash', pattern: '*', action: 'ask' },
    { permission: 'bash', pattern: 'rm -rf *', action: 'deny' },
  ];
  const always: Ruleset = [{ permission: 'bash', pattern: 'rm *', action: 'allow' }];

  test.each([
    ['rm tmp.txt', 'allow'],
    ['rm -rf /', 'deny'],
    ['ls', 'ask'],
  ])('%s → %s: an "always" answer turns asks into allows but never lifts a deny', (command, action) => {
    expect(evaluateWithSessionRules('bash', command, rules, always).action).toBe(action);
  });
});
