import { describe, expect, test } from 'vitest';
import { AgentInfo } from '../../../agents/agent-info.js';
import { builtinAgents } from '../../../agents/builtin-agents.js';
import { evaluatePermission } from '../../../agents/evaluate-permission.js';
import type { PermissionAction } from '../../../agents/permission-rule.js';
import { delegableSubagents, isToolHidden } from '../../../agents/tool-visibility.js';

const agents = builtinAgents();
const agent = (name: string) => agents.find((candidate) => candidate.name === name)!;
const allTools = ['read', 'write', 'edit', 'list', 'glob', 'grep', 'bash', 'task', 'skill', 'webfetch', 'todowrite', 'todoread'];
const visible = (name: string) => allTools.filter((tool) => !isToolHidden(tool, agent(name).permission));

describe('builtinAgents', () => {
  test('every built-in is a valid, JSON-serialisable agent with a real prompt', () => {
    for (const info of agents) {
      expect(AgentInfo.parse(JSON.parse(JSON.stringify(info)))).toEqual(info);
      expect(info.description?.length).toBeGreaterThan(20);
      expect(info.prompt?.split('\n\n').length).toBeGreaterThanOrEqual(2);
      expect(info.source).toBe('builtin');
    }
  });

  test.each([
    ['orchestrator', 'primary'], ['build', 'primary'], ['plan', 'primary'], ['general', 'subagent'],
    ['explore', 'subagent'], ['librarian', 'subagent'], ['oracle', 'subagent'], ['writer', 'all'],
  ])('%s is %s', (name, mode) => {
    expect(agent(name).mode).toBe(mode);
  });

  test.each([
    ['orchestrator', ['task', 'skill', 'todowrite', 'todoread']],
    ['build', allTools],
    ['general', allTools],
    ['plan', ['read', 'list', 'glob', 'grep', 'bash', 'task', 'skill', 'webfetch', 'todowrite', 'todoread']],
    ['explore', ['read', 'list', 'glob', 'grep', 'bash', 'skill']],
    ['oracle', ['read', 'list', 'glob', 'grep', 'bash', 'skill']],
    ['librarian', ['read', 'list', 'glob', 'grep', 'bash', 'skill', 'webfetch']],
    ['writer', ['read', 'write', 'edit', 'list', 'glob', 'grep', 'bash', 'skill', 'webfetch', 'todowrite', 'todoread']],
  ])('%s is offered %j', (name, tools) => {
    expect(visible(name)).toEqual(tools);
  });

  test.each<[string, string, string, PermissionAction]>([
    ['writer', 'edit', 'README.md', 'allow'],
    ['writer', 'edit', 'docs/guide/setup.mdx', 'allow'],
    ['writer', 'edit', 'docs/diagram.svg', 'allow'],
    ['writer', 'edit', 'notes/todo.txt', 'allow'],
    ['writer', 'edit', 'src/index.ts', 'deny'],
    ['writer', 'edit', 'package.json', 'deny'],
    ['explore', 'read', 'src/index.ts', 'allow'],
    ['explore', 'read', '.env', 'ask'],
    ['explore', 'read', '.env.example', 'allow'],
    ['explore', 'external_directory', '/etc/*', 'ask'],
    ['explore', 'bash', 'git log --oneline -5', 'allow'],
    ['explore', 'bash', 'git log > history.txt', 'deny'],
    ['explore', 'bash', 'find . -name "*.tmp" -delete', 'deny'],
    ['explore', 'bash', 'npm install', 'deny'],
    ['explore', 'edit', 'src/index.ts', 'deny'],
    ['plan', 'bash', 'git status', 'allow'],
    ['plan', 'bash', 'npm test', 'ask'],
    ['plan', 'bash', 'ls 2> errors.txt', 'ask'],
    ['plan', 'edit', 'src/index.ts', 'deny'],
    ['librarian', 'bash', 'npm view zod version', 'allow'],
    ['librarian', 'webfetch', 'https://zod.dev', 'allow'],
    ['orchestrator', 'read', 'README.md', 'deny'],
    ['orchestrator', 'write', 'README.md', 'deny'],
    ['orchestrator', 'task', 'explore', 'allow'],
    ['build', 'bash', 'npm install', 'allow'],
    ['build', 'read', 'config/.env.production', 'ask'],
  ])('%s: %s %s → %s', (name, permission, pattern, expected) => {
    expect(evaluatePermission(permission, pattern, agent(name).permission).action).toBe(expected);
  });

  test('plan does not delegate to agents that edit', () => {
    const names = delegableSubagents(agents, agent('plan').permission).map((info) => info.name);
    expect(names).toEqual(['explore', 'librarian', 'oracle']);
  });

  test('the orchestrator can delegate to every visible subagent', () => {
    const names = delegableSubagents(agents, agent('orchestrator').permission).map((info) => info.name);
    expect(names).toEqual(['general', 'explore', 'librarian', 'oracle', 'writer']);
  });
});
