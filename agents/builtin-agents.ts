import type { AgentInfo, AgentMode } from './agent-info.js';
import { defaultPermission, defaultRules, rulesFromPermissionConfig, type PermissionConfig } from './permission-config.js';
import type { PermissionAction } from './permission-rule.js';
import { buildPrompt } from './prompts/build.js';
import { compactionPrompt } from './prompts/compaction.js';
import { explorePrompt } from './prompts/explore.js';
import { generalPrompt } from './prompts/general.js';
import { librarianPrompt } from './prompts/librarian.js';
import { oraclePrompt } from './prompts/oracle.js';
import { orchestratorPrompt } from './prompts/orchestrator.js';
import { planPrompt } from './prompts/plan.js';
import { writerPrompt } from './prompts/writer.js';

type PermissionMap = Exclude<PermissionConfig, string>;

const readOnlyCommands = [
  'ls *', 'pwd', 'cat *', 'head *', 'tail *', 'wc *', 'file *', 'stat *', 'du *', 'tree *', 'find *', 'grep *', 'rg *',
  'which *', 'git status *', 'git diff *', 'git log *', 'git show *', 'git blame *', 'git ls-files *', 'git rev-parse *',
  'git branch',
];

// Forms of the commands above that write; listed after the allows so they win.
const writingForms = [
  'find * -delete *', 'find * -exec *', 'find * -execdir *', 'find * -ok *', 'find * -fprint*', 'git diff *--output*',
  '* > *', '* >> *', '* ?> *', '* ?>> *', '* >| *',
];

function readOnlyBash(otherwise: PermissionAction, extraCommands: string[] = []): Record<string, PermissionAction> {
  return {
    '*': otherwise,
    ...Object.fromEntries([...readOnlyCommands, ...extraCommands].map((command) => [command, 'allow'])),
    ...Object.fromEntries(writingForms.map((command) => [command, otherwise])),
  };
}

/** Denies everything, then re-allows reading and searching with the default safeguards restated. */
function readOnlyAccess(extra: PermissionMap = {}): PermissionMap {
  return {
    '*': 'deny',
    read: { '*': 'allow', ...defaultPermission.read },
    list: 'allow',
    glob: 'allow',
    grep: 'allow',
    skill: 'allow',
    bash: readOnlyBash('deny'),
    external_directory: 'ask',
    doom_loop: 'ask',
    ...extra,
  };
}

type BuiltinDefinition = {
  name: string;
  mode: AgentMode;
  description: string;
  prompt: string;
  permission: PermissionConfig;
  hidden?: boolean;
};

const definitions: BuiltinDefinition[] = [
  {
    name: 'orchestrator',
    mode: 'primary',
    description: 'Leads a team of subagents: plans the work, delegates every step with task, checks the results and reports. Cannot touch files or run commands itself.',
    prompt: orchestratorPrompt,
    permission: { '*': 'deny', task: 'allow', skill: 'allow', todowrite: 'allow', todoread: 'allow' },
  },
  {
    name: 'build',
    mode: 'primary',
    description: 'The default agent: a software engineer with every tool, allowed by the configured permissions.',
    prompt: buildPrompt,
    permission: {},
  },
  {
    name: 'plan',
    mode: 'primary',
    description: 'Investigates and writes an implementation plan without changing anything: no edits, read-only shell commands.',
    prompt: planPrompt,
    permission: { edit: 'deny', bash: readOnlyBash('ask'), task: { general: 'deny', writer: 'deny' } },
  },
  {
    name: 'general',
    mode: 'subagent',
    description: 'General-purpose agent for researching complex questions and carrying out multi-step tasks, including code changes. Use it to run several units of work in parallel.',
    prompt: generalPrompt,
    permission: {},
  },
  {
    name: 'explore',
    mode: 'subagent',
    description: 'Fast read-only agent for searching codebases: finds files by pattern (e.g. "src/**/*.tsx"), code by keyword (e.g. "API endpoints") and explains how things connect. Say how thorough to be: "quick", "medium" or "very thorough".',
    prompt: explorePrompt,
    permission: readOnlyAccess(),
  },
  {
    name: 'librarian',
    mode: 'subagent',
    description: 'Reference and documentation lookup: answers questions about libraries, APIs, tools and specifications for the versions this project uses, citing official docs and sources.',
    prompt: librarianPrompt,
    permission: readOnlyAccess({
      webfetch: 'allow',
      websearch: 'allow',
      bash: readOnlyBash('deny', ['npm view *', 'npm ls *', 'pip show *', 'go doc *', 'go list *', 'cargo tree *']),
    }),
  },
  {
    name: 'oracle',
    mode: 'subagent',
    description: 'Read-only senior adviser for architecture, design trade-offs, hard bugs and risky changes. Returns a reasoned recommendation, not edits.',
    prompt: oraclePrompt,
    permission: readOnlyAccess(),
  },
  {
    name: 'writer',
    mode: 'all',
    description: 'Drafts and polishes documentation and prose (README, guides, changelogs, release notes). Edits documentation files only.',
    prompt: writerPrompt,
    permission: {
      edit: { '*': 'deny', '*.md': 'allow', '*.mdx': 'allow', '*.txt': 'allow', '*.rst': 'allow', '*.adoc': 'allow', 'docs/**': 'allow' },
      bash: readOnlyBash('deny'),
      task: 'deny',
    },
  },
  {
    name: 'compaction',
    mode: 'primary',
    hidden: true,
    description: 'Summarises older turns of a long session so it can continue in a fresh context.',
    prompt: compactionPrompt,
    permission: 'deny',
  },
];

export function builtinAgents(): AgentInfo[] {
  return definitions.map(({ permission, hidden, ...definition }) => ({
    ...definition,
    ...(hidden ? { hidden } : {}),
    permission: [...defaultRules(), ...rulesFromPermissionConfig(permission)],
    options: {},
    source: 'builtin',
  }));
}
