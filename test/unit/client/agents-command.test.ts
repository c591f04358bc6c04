import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const cliPath = fileURLToPath(new URL('../../../dist/client/cli.js', import.meta.url));
const project = fileURLToPath(new URL('../../fixtures/agents/project', import.meta.url));

const loadErrors = [
  '.opencode/agent/release-notes.md:7: invalid YAML front matter: bad indentation of a mapping entry',
  '.opencode/agent/translator.md:4: field "temperature": expected number, received string',
  '.orca/agents/deploy-preview.md:6: field "permission.bash.kubectl apply *": expected one of "allow"|"ask"|"deny"',
];

let configHome: string;

/** The built CLI, with its own (empty) user agents directory and a Temporal address nobody serves. */
function orca(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { env: { ...process.env, XDG_CONFIG_HOME: configHome, TEMPORAL_ADDRESS: '127.0.0.1:1' }, timeout: 15_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const rowOf = (stdout: string, name: string) => stdout.split('\n').find((line) => line.startsWith(`${name} `))?.split(/\s{2,}/);

beforeAll(async () => {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first.`);
  configHome = await mkdtemp(path.join(os.tmpdir(), 'orca-config-'));
});
afterAll(() => rm(configHome, { recursive: true, force: true }));

describe('orca agents', () => {
  test('lists the merged registry with mode, source and the first line of the description', async () => {
    const { code, stdout } = await orca('agents', '--workspace', project);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^NAME\s+MODE\s+SOURCE\s+DESCRIPTION$/);
    expect(rowOf(stdout, 'build')).toEqual(['build', 'primary', 'builtin', 'The default agent: a software engineer with every tool, allowed by the configured permissions.']);
    expect(rowOf(stdout, 'review')).toEqual(['review', 'subagent', '.opencode/agent/review.md', 'Reviews code for quality, correctness and best practices']);
    // A built-in overridden by a project file names the file; a file without front matter has no description.
    expect(rowOf(stdout, 'plan')?.slice(0, 3)).toEqual(['plan', 'primary', '.orca/agents/plan.md']);
    expect(rowOf(stdout, 'scratch')).toEqual(['scratch', 'all', '.opencode/agent/scratch.md']);
    // Claude Code's long descriptions are cut to one line.
    expect(rowOf(stdout, 'code-reviewer')?.[3]).toMatch(/^Use this agent when you need a thorough review.{20,}…$/);
    expect(rowOf(stdout, 'code-reviewer')?.[3]).not.toContain('<example>');
  });

  test('omits hidden agents unless --all, which marks them', async () => {
    const listed = await orca('agents', '--workspace', project);
    expect(rowOf(listed.stdout, 'compaction')).toBeUndefined();
    expect(rowOf(listed.stdout, 'review/sec')).toBeUndefined();
    const all = await orca('agents', '--all', '--workspace', project);
    expect(rowOf(all.stdout, 'compaction')?.slice(0, 3)).toEqual(['compaction', 'primary (hidden)', 'builtin']);
    expect(rowOf(all.stdout, 'review/sec')?.slice(0, 3)).toEqual(['review/sec', 'subagent (hidden)', '.opencode/agents/review/sec.md']);
  });

  test('reports files that failed to load on stderr, with file, line and field, and still succeeds', async () => {
    const { code, stdout, stderr } = await orca('agents', '--workspace', project);
    expect(code).toBe(0);
    expect(stderr.trimEnd().split('\n')).toEqual(['orca: skipped 3 agent files that could not be loaded:', ...loadErrors.map((line) => `  ${line}`)]);
    expect(stdout).not.toContain('translator');
  });

  test('--json prints the agents and the load errors', async () => {
    const { code, stdout } = await orca('agents', '--json', '--workspace', project);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { agents: Record<string, unknown>[]; errors: Record<string, unknown>[] };
    expect(parsed.agents.map((agent) => agent.name)).toEqual([
      'build', 'changelog', 'code-reviewer', 'db-migrator', 'debug', 'docs-researcher', 'explore', 'focus', 'general',
      'librarian', 'orchestrator', 'plan', 'review', 'scratch', 'test-runner', 'writer',
    ]);
    expect(parsed.agents.find((agent) => agent.name === 'review')).toEqual({
      name: 'review',
      mode: 'subagent',
      description: 'Reviews code for quality, correctness and best practices',
      model: 'anthropic/claude-sonnet-4-20250514',
      hidden: false,
      source: '.opencode/agent/review.md',
    });
    expect(parsed.errors.map((error) => error.message)).toEqual(loadErrors);
    expect(parsed.errors[1]).toMatchObject({ file: '.opencode/agent/translator.md', line: 4, field: 'temperature' });
  });

  test('defaults to the current directory, and names user agents by their absolute path', async () => {
    const workspace = await mkdtemp(path.join(os.tmpdir(), 'orca-agents-'));
    const userAgents = path.join(configHome, 'orca', 'agents');
    try {
      await mkdir(path.join(workspace, '.orca', 'agents'), { recursive: true });
      await mkdir(userAgents, { recursive: true });
      await writeFile(path.join(workspace, '.orca', 'agents', 'careful.md'), '---\ndescription: Asks first\nmode: primary\n---\nBe careful.\n');
      await writeFile(path.join(userAgents, 'mine.md'), 'My own agent.\n');
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [cliPath, 'agents'], { cwd: workspace, env: { ...process.env, XDG_CONFIG_HOME: configHome } }, (error, out, err) =>
          resolve({ code: error ? 1 : 0, stdout: out, stderr: err }));
      });
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(rowOf(stdout, 'careful')).toEqual(['careful', 'primary', '.orca/agents/careful.md', 'Asks first']);
      expect(rowOf(stdout, 'mine')).toEqual(['mine', 'all', path.join(userAgents, 'mine.md')]);
    } finally {
      await rm(workspace, { recursive: true, force: true });
      await rm(path.join(configHome, 'orca'), { recursive: true, force: true });
    }
  });

  test('a workspace that does not exist is a usage error', async () => {
    const { code, stderr } = await orca('agents', '--workspace', path.join(project, 'no-such-dir'));
    expect(code).toBe(2);
    expect(stderr).toContain(`workspace ${path.join(project, 'no-such-dir')} is not a directory`);
  });
});

describe('orca agents show', () => {
  test('prints every field, the permission rules in evaluation order, and the prompt', async () => {
    const { code, stdout } = await orca('agents', 'show', 'review', '--workspace', project);
    expect(code).toBe(0);
    const [fields, rules, prompt] = stdout.split('\n\n');
    const lines = fields!.split('\n');
    expect(lines.slice(0, -2)).toEqual([
      'name         review',
      'mode         subagent',
      'source       .opencode/agent/review.md',
      'description  Reviews code for quality, correctness and best practices',
      'model        anthropic/claude-sonnet-4-20250514',
      'temperature  0.1',
      "steps        (the session's limit)",
    ]);
    // Tools its rules deny outright are never offered to the model.
    expect(lines.at(-2)).toMatch(/^tools {8}read, glob, grep, list, bash\b.*; never offered: write, edit, webfetch$/);
    expect(lines.at(-1)).toMatch(/^subagents    code-reviewer, .*explore, general, /);
    expect(rules!.split('\n').map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['permission rules (the last rule that matches wins; no match asks):'],
      ['1.', '*', '"*"', 'allow'],
      ['2.', 'external_directory', '"*"', 'ask'],
      ['3.', 'doom_loop', '"*"', 'ask'],
      ['4.', 'read', '"*.env"', 'ask'],
      ['5.', 'read', '"*.env.*"', 'ask'],
      ['6.', 'read', '"*.env.example"', 'allow'],
      ['7.', 'edit', '"*"', 'deny'],
      ['8.', 'edit', '"*"', 'deny'],
      ['9.', 'bash', '"*"', 'ask'],
      ['10.', 'bash', '"git diff*"', 'allow'],
      ['11.', 'bash', '"git log*"', 'allow'],
      ['12.', 'bash', '"grep *"', 'allow'],
      ['13.', 'webfetch', '"*"', 'deny'],
    ]);
    expect(prompt).toBe('prompt:\n  You are in code review mode. Focus on:');
    expect(stdout.trimEnd()).toMatch(/\n {2}Provide constructive feedback without making direct changes\.$/);
  });

  test('shows hidden agents and --json prints the whole agent', async () => {
    const { code, stdout } = await orca('agents', 'show', 'compaction', '--json', '--workspace', project);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      name: 'compaction',
      hidden: true,
      source: 'builtin',
      permission: expect.arrayContaining([{ permission: '*', pattern: '*', action: 'deny' }]),
      prompt: expect.any(String),
    });
  });

  test('an unknown name exits 2 and lists the available agents', async () => {
    const { code, stdout, stderr } = await orca('agents', 'show', 'translator', '--workspace', project);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('orca: Unknown agent "translator". Available: build, changelog, code-reviewer,');
    expect(stderr).not.toMatch(/Available: .*compaction/);
    expect(stderr).toContain('.opencode/agent/translator.md may define it, but it failed to load (see above).');
  });
});
