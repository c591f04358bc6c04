import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AgentInfo } from '../agents/agent-info.js';
import { findAgent, loadAgentRegistry, UnknownAgentError, type AgentRegistry } from '../agents/load-agent-registry.js';
import { sessionSettings, WORKSPACE_TOOLS } from '../workflows/session-settings.js';
import { WORKFLOW_TOOLS } from '../workflows/workflow-tools.js';
import { EXIT } from './exit-codes.js';

export interface AgentsOptions {
  workspace: string;
  json: boolean;
  /** Also list hidden agents. */
  all?: boolean;
}

export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

const consoleOutput: CommandOutput = { out: (text) => console.log(text), err: (text) => console.error(text) };
const DESCRIPTION_WIDTH = 100;

/** `orca agents`: the merged registry, one agent a line; files that failed to load go to stderr. */
export async function listAgentsCommand(options: AgentsOptions, output: CommandOutput = consoleOutput): Promise<number> {
  const registry = await loadForCommand(options.workspace, output);
  if (!registry) return EXIT.usage;
  const agents = registry.agents.filter((agent) => options.all || !agent.hidden);
  if (options.json) {
    output.out(JSON.stringify({ agents: agents.map(summarize), errors: registry.errors.map((error) => error.toJSON()) }, null, 2));
  } else {
    output.out(formatAgentTable(agents));
  }
  return EXIT.success;
}

/** `orca agents show NAME`: every field, the permission rules in evaluation order, and the prompt. */
export async function showAgentCommand(name: string, options: AgentsOptions, output: CommandOutput = consoleOutput): Promise<number> {
  const registry = await loadForCommand(options.workspace, output);
  if (!registry) return EXIT.usage;
  let agent: AgentInfo;
  try {
    agent = findAgent(registry, name);
  } catch (error) {
    if (!(error instanceof UnknownAgentError)) throw error;
    output.err(`orca: ${error.message}`);
    const broken = registry.errors.filter((loadError) => loadError.file.replace(/\.md$/, '').endsWith(`/${name}`));
    for (const loadError of broken) output.err(`  ${loadError.file} may define it, but it failed to load (see above).`);
    return EXIT.usage;
  }
  output.out(options.json ? JSON.stringify(agent, null, 2) : formatAgent(agent, registry.agents));
  return EXIT.success;
}

async function loadForCommand(workspace: string, output: CommandOutput): Promise<AgentRegistry | undefined> {
  const directory = path.resolve(workspace);
  if (!(await stat(directory).then((info) => info.isDirectory(), () => false))) {
    output.err(`orca: workspace ${directory} is not a directory; pass an existing one with --workspace.`);
    return undefined;
  }
  const registry = await loadAgentRegistry({ workspace: directory });
  if (registry.errors.length > 0) {
    const count = registry.errors.length;
    output.err(`orca: skipped ${count} agent file${count === 1 ? '' : 's'} that could not be loaded:`);
    for (const error of registry.errors) output.err(`  ${error.message}`);
  }
  return registry;
}

export interface AgentSummary {
  name: string;
  mode: AgentInfo['mode'];
  description?: string;
  model?: string;
  hidden: boolean;
  source: string;
}

function summarize(agent: AgentInfo): AgentSummary {
  return {
    name: agent.name,
    mode: agent.mode,
    ...(agent.description === undefined ? {} : { description: agent.description }),
    ...(agent.model === undefined ? {} : { model: agent.model }),
    hidden: agent.hidden ?? false,
    source: agent.source,
  };
}

function firstLine(text: string | undefined): string {
  const line = (text ?? '').trim().split('\n')[0]?.trim() ?? '';
  return line.length > DESCRIPTION_WIDTH ? `${line.slice(0, DESCRIPTION_WIDTH - 1)}…` : line;
}

export function formatAgentTable(agents: AgentInfo[]): string {
  const rows = agents.map((agent) => [agent.name, agent.hidden ? `${agent.mode} (hidden)` : agent.mode, agent.source, firstLine(agent.description)]);
  return formatColumns([['NAME', 'MODE', 'SOURCE', 'DESCRIPTION'], ...rows]);
}

/** `registry` gives the subagents `task` may offer; the tools are those a root session of this agent is offered. */
export function formatAgent(agent: AgentInfo, registry: AgentInfo[] = []): string {
  const fields: [string, unknown][] = [
    ['name', agent.name],
    ['mode', agent.mode],
    ['source', agent.source],
    ['description', agent.description],
    ['model', agent.model ?? '(the session\'s model)'],
    ['variant', agent.variant],
    ['temperature', agent.temperature],
    ['top_p', agent.topP],
    ['steps', agent.steps ?? '(the session\'s limit)'],
    ['hidden', agent.hidden],
    ['color', agent.color],
    ['options', Object.keys(agent.options).length > 0 ? JSON.stringify(agent.options) : undefined],
  ];
  const settings = sessionSettings(agent, registry, { agent: agent.name, prompt: '', workspace: '.' });
  const withheld = [...WORKSPACE_TOOLS, ...WORKFLOW_TOOLS].filter((tool) => !settings.tools.includes(tool));
  fields.push(['tools', `${settings.tools.join(', ') || '(none)'}${withheld.length > 0 ? `; never offered: ${withheld.join(', ')}` : ''}`]);
  if (settings.subagents.length > 0) fields.push(['subagents', settings.subagents.map((subagent) => subagent.name).join(', ')]);

  const present = fields.filter(([, value]) => value !== undefined);
  const labelWidth = Math.max(...present.map(([label]) => label.length));
  const lines = present.map(([label, value]) => {
    const text = String(value).replace(/\n/g, `\n${' '.repeat(labelWidth + 2)}`);
    return `${label.padEnd(labelWidth)}  ${text}`;
  });
  const rules = formatColumns(agent.permission.map((rule, index) => [`${index + 1}.`, rule.permission, JSON.stringify(rule.pattern), rule.action]));
  lines.push('', 'permission rules (the last rule that matches wins; no match asks):', indent(rules));
  lines.push('', 'prompt:', agent.prompt ? indent(agent.prompt.trimEnd()) : '  (none)');
  return lines.join('\n');
}

function formatColumns(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

function indent(text: string): string {
  return text.split('\n').map((line) => (line === '' ? line : `  ${line}`)).join('\n');
}
