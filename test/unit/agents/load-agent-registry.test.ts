import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { AgentInfo } from '../../../agents/agent-info.js';
import { evaluatePermission } from '../../../agents/evaluate-permission.js';
import { findAgent, loadAgentRegistry, UnknownAgentError, type AgentRegistry } from '../../../agents/load-agent-registry.js';
import { delegableSubagents, isToolHidden } from '../../../agents/tool-visibility.js';

const fixtures = fileURLToPath(new URL('../../fixtures/agents/', import.meta.url));
const workspace = path.join(fixtures, 'project');
const userDir = path.join(fixtures, 'user');

let registry: AgentRegistry;
const agent = (name: string) => findAgent(registry, name);
const action = (name: string, permission: string, pattern = '*') => evaluatePermission(permission, pattern, agent(name).permission).action;

beforeAll(async () => {
  registry = await loadAgentRegistry({ workspace, userDir });
});

describe('loadAgentRegistry with OpenCode and Claude Code fixtures', () => {
  test('loads every valid file next to the built-ins, sorted by name', () => {
    expect(registry.agents.map((info) => info.name)).toEqual([
      'build', 'changelog', 'code-reviewer', 'compaction', 'db-migrator', 'debug', 'docs-researcher', 'explore', 'focus',
      'general', 'librarian', 'orchestrator', 'plan', 'review', 'review/sec', 'scratch', 'standup', 'test-runner', 'writer',
    ]);
  });

  test('reports each malformed file with its line and field', () => {
    expect(registry.errors.map((error) => error.message)).toEqual([
      '.opencode/agent/release-notes.md:7: invalid YAML front matter: bad indentation of a mapping entry',
      '.opencode/agent/translator.md:4: field "temperature": expected number, received string',
      '.orca/agents/deploy-preview.md:6: field "permission.bash.kubectl apply *": expected one of "allow"|"ask"|"deny"',
    ]);
    expect(registry.errors[1]).toMatchObject({ file: '.opencode/agent/translator.md', line: 4, field: 'temperature' });
  });

  test('every agent is plain JSON that the schema accepts', () => {
    const roundTripped = JSON.parse(JSON.stringify(registry.agents)) as unknown[];
    expect(roundTripped.map((info) => AgentInfo.parse(info))).toEqual(registry.agents);
  });

  test('OpenCode agent: fields, deprecated tools map and permission map', () => {
    expect(agent('review')).toMatchObject({
      mode: 'subagent',
      description: 'Reviews code for quality, correctness and best practices',
      model: 'anthropic/claude-sonnet-4-20250514',
      temperature: 0.1,
      source: '.opencode/agent/review.md',
    });
    expect(agent('review').prompt).toMatch(/^You are in code review mode\.[\s\S]*without making direct changes\.$/);
    expect(isToolHidden('write', agent('review').permission)).toBe(true);
    expect(isToolHidden('webfetch', agent('review').permission)).toBe(true);
    expect(action('review', 'bash', 'git diff --stat')).toBe('allow');
    expect(action('review', 'bash', 'npm publish')).toBe('ask');
  });

  test('project files override the user directory field by field', () => {
    // description, model, temperature and prompt come from the project; color only from the user's file.
    expect(agent('review')).toMatchObject({ color: 'accent', temperature: 0.1 });
    expect(agent('standup')).toMatchObject({ mode: 'primary', source: path.join(userDir, 'standup.md') });
    expect(action('standup', 'read', 'README.md')).toBe('deny');
  });

  test('aliases and unknown keys', () => {
    expect(agent('debug')).toMatchObject({
      mode: 'primary', model: 'openai/gpt-5', variant: 'high', topP: 0.9, steps: 40, color: '#FF5733',
      options: { reasoningEffort: 'high' },
    });
    expect(isToolHidden('webfetch', agent('debug').permission)).toBe(true);
  });

  test('a file without front matter is an agent named after the file', () => {
    expect(agent('scratch')).toMatchObject({ mode: 'all', source: '.opencode/agent/scratch.md' });
    expect(agent('scratch').prompt).toMatch(/^Answer quick questions/);
    expect(agent('scratch').description).toBeUndefined();
  });

  test('nested files are named by their path', () => {
    expect(agent('review/sec')).toMatchObject({ mode: 'subagent', hidden: true, source: '.opencode/agents/review/sec.md' });
    expect(action('review/sec', 'edit', 'src/a.ts')).toBe('deny');
  });

  test('files under .opencode/mode are primary', () => {
    expect(agent('focus')).toMatchObject({ mode: 'primary', temperature: 0.2 });
  });

  test('Claude agent: name, long description with examples, tools allowlist, model alias', () => {
    const reviewer = agent('code-reviewer');
    expect(reviewer).toMatchObject({ mode: 'subagent', model: 'sonnet', color: 'blue', source: '.claude/agents/code-reviewer.md' });
    expect(reviewer.description).toContain('<example>\nContext: The user has just implemented a new API endpoint.');
    expect(reviewer.description?.match(/<example>/g)).toHaveLength(2);
    const tools = ['read', 'grep', 'glob', 'bash', 'edit', 'write', 'webfetch', 'task', 'todowrite'];
    expect(tools.filter((tool) => !isToolHidden(tool, reviewer.permission))).toEqual(['read', 'grep', 'glob', 'bash']);
    expect(action('code-reviewer', 'read', '.env')).toBe('ask');
  });

  test('Claude agent whose description needs the colon retry', () => {
    expect(agent('test-runner')).toMatchObject({
      description: 'Use proactively to run tests and fix failures. Triggers: after code changes, before commits. Example: "run the tests" or "why is CI red?"',
      steps: 25,
    });
    expect(agent('test-runner').model).toBeUndefined();
    expect(isToolHidden('edit', agent('test-runner').permission)).toBe(false);
    expect(isToolHidden('webfetch', agent('test-runner').permission)).toBe(true);
  });

  test('Claude agent: name wins over the file, scoped Bash tools, disallowedTools, extra keys', () => {
    expect(agent('db-migrator')).toMatchObject({
      model: 'opus', source: '.claude/agents/migrations.md', options: { skills: 'postgres-conventions', permissionMode: 'acceptEdits' },
    });
    expect(() => findAgent(registry, 'migrations')).toThrow(UnknownAgentError);
    expect(action('db-migrator', 'bash', 'npx prisma migrate dev')).toBe('allow');
    expect(action('db-migrator', 'bash', 'psql -c "select 1"')).toBe('allow');
    expect(action('db-migrator', 'bash', 'rm -rf prisma')).toBe('deny');
    expect(action('db-migrator', 'edit', 'prisma/schema.prisma')).toBe('allow');
    expect(action('db-migrator', 'webfetch', 'https://example.com')).toBe('deny');
  });

  test('Claude agent with a block-scalar description and no tools line gets every tool', () => {
    const researcher = agent('docs-researcher');
    expect(researcher).toMatchObject({ model: 'haiku', mode: 'subagent' });
    expect(researcher.description).toMatch(/^Use this agent to find out[\s\S]*<\/example>\n$/);
    expect(researcher.permission.slice(-1)).toEqual([{ permission: 'read', pattern: '*.env.example', action: 'allow' }]);
  });

  test('a built-in overridden field by field keeps the rest and appends rules', () => {
    const plan = agent('plan');
    expect(plan).toMatchObject({ mode: 'primary', temperature: 0.2, steps: 30, source: '.orca/agents/plan.md' });
    expect(plan.prompt).toMatch(/^You are a planning agent/);
    expect(action('plan', 'bash', 'npm test -- --run')).toBe('allow');
    expect(action('plan', 'bash', 'npm install')).toBe('ask');
    expect(action('plan', 'edit', 'src/a.ts')).toBe('deny');
  });

  test('the user directory can override a built-in', () => {
    expect(agent('general')).toMatchObject({ mode: 'subagent', description: 'General-purpose helper for multi-step tasks; prefers small commits' });
    expect(agent('general').prompt).toMatch(/^You are a general-purpose agent/);
  });

  test('disable: true removes a built-in', () => {
    expect(registry.agents.some((info) => info.name === 'oracle')).toBe(false);
    expect(() => findAgent(registry, 'oracle')).toThrow(/^Unknown agent "oracle"\. Available: build, changelog, code-reviewer, db-migrator,/);
  });

  test('Orca agent with a permission map restricting edit to one file', () => {
    expect(action('changelog', 'edit', 'CHANGELOG.md')).toBe('allow');
    expect(action('changelog', 'edit', 'README.md')).toBe('deny');
    expect(action('changelog', 'bash', 'git log v1.2.0..HEAD --oneline')).toBe('allow');
    expect(action('changelog', 'bash', 'git push')).toBe('deny');
  });

  test('the orchestrator may delegate to every visible subagent that loaded', () => {
    const names = delegableSubagents(registry.agents, agent('orchestrator').permission).map((info) => info.name);
    expect(names).toEqual(['code-reviewer', 'db-migrator', 'docs-researcher', 'explore', 'general', 'librarian', 'review', 'scratch', 'test-runner', 'writer']);
  });
});

describe('loadAgentRegistry edge cases', () => {
  test('a workspace with no agent directories has only the built-ins', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'orca-agents-'));
    try {
      const result = await loadAgentRegistry({ workspace: empty, userDir: null });
      expect(result.errors).toEqual([]);
      expect(result.agents.map((info) => info.name)).toEqual([
        'build', 'compaction', 'explore', 'general', 'librarian', 'oracle', 'orchestrator', 'plan', 'writer',
      ]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  test('a later layer can bring back an agent an earlier one disabled', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'orca-agents-'));
    try {
      await mkdir(path.join(root, 'user'));
      await mkdir(path.join(root, 'project', '.orca', 'agents'), { recursive: true });
      await writeFile(path.join(root, 'user', 'explore.md'), '---\ndisable: true\n---\n');
      await writeFile(path.join(root, 'user', 'writer.md'), '---\ndisable: true\n---\n');
      await writeFile(path.join(root, 'project', '.orca', 'agents', 'explore.md'), '---\ndisable: false\nsteps: 5\n---\n');
      const result = await loadAgentRegistry({ workspace: path.join(root, 'project'), userDir: path.join(root, 'user') });
      expect(findAgent(result, 'explore')).toMatchObject({ steps: 5 });
      expect(() => findAgent(result, 'writer')).toThrow(UnknownAgentError);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
