import { describe, expect, test } from 'vitest';
import type { AgentInfo } from '../../../agents/agent-info.js';
import { defaultRules, rulesFromPermissionConfig, type PermissionConfig } from '../../../agents/permission-config.js';
import { delegableSubagents, isToolHidden, visibleTools } from '../../../agents/tool-visibility.js';

const withDefaults = (config: PermissionConfig) => [...defaultRules(), ...rulesFromPermissionConfig(config)];

describe('isToolHidden', () => {
  test.each<[string, PermissionConfig, string, boolean]>([
    ['defaults hide nothing', {}, 'bash', false],
    ['"*" deny hides', { bash: 'deny' }, 'bash', true],
    ['a narrower deny does not hide', { bash: { 'rm *': 'deny' } }, 'bash', false],
    ['a later allow re-enables', { bash: 'deny', '*': 'allow' }, 'bash', false],
    ['a later pattern allow keeps it offered', { edit: { '*': 'deny', 'docs/**': 'allow' } }, 'edit', false],
    ['write follows edit', { edit: 'deny' }, 'write', true],
    ['ask does not hide', { webfetch: 'ask' }, 'webfetch', false],
    ['wildcard permission deny hides', { 'todo*': 'deny' }, 'todoread', true],
    ['"*" deny hides everything', { '*': 'deny' }, 'glob', true],
  ])('%s', (_name, config, tool, hidden) => {
    expect(isToolHidden(tool, withDefaults(config))).toBe(hidden);
  });

  test('visibleTools keeps order and drops hidden tools', () => {
    expect(visibleTools(['read', 'edit', 'write', 'bash'], withDefaults({ edit: 'deny' }))).toEqual(['read', 'bash']);
  });
});

describe('delegableSubagents', () => {
  const agent = (name: string, mode: AgentInfo['mode'], hidden?: boolean): AgentInfo => ({
    name, mode, hidden, permission: [], options: {}, source: 'builtin',
  });
  const agents = [agent('build', 'primary'), agent('explore', 'subagent'), agent('general', 'subagent'), agent('writer', 'all'), agent('secret', 'subagent', true)];

  test('subagents and all-mode agents that are not hidden', () => {
    expect(delegableSubagents(agents, withDefaults({})).map((a) => a.name)).toEqual(['explore', 'general', 'writer']);
  });

  test('task rules filter by agent name', () => {
    const rules = withDefaults({ task: { '*': 'deny', explore: 'allow', 'wri*': 'ask' } });
    expect(delegableSubagents(agents, rules).map((a) => a.name)).toEqual(['explore', 'writer']);
  });
});
