import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { AgentMode } from './agent-info.js';
import { AgentLoadError } from './agent-load-error.js';
import type { AgentRegistry } from './agent-registry.js';
import { builtinAgents } from './builtin-agents.js';
import { parseMarkdownAgent } from './markdown-agent.js';
import { mergeAgents, type AgentLayer } from './merge-agents.js';

export { findAgent, UnknownAgentError, type AgentRegistry } from './agent-registry.js';

export type LoadAgentRegistryOptions = {
  workspace: string;
  /** Directory of the user's own agents; `null` skips it. Defaults to `~/.config/orca/agents`. */
  userDir?: string | null;
};

type AgentDirectory = {
  directory: string;
  pattern: string;
  defaultMode?: AgentMode;
  forcePrimary?: boolean;
};

/** Lowest precedence first: built-ins, the user's agents, then the project's, Orca's own last. */
function agentDirectories(workspace: string, userDir: string | null): AgentDirectory[] {
  const inProject = (...segments: string[]) => path.join(workspace, ...segments);
  return [
    ...(userDir === null ? [] : [{ directory: userDir, pattern: '**/*.md' }]),
    { directory: inProject('.claude', 'agents'), pattern: '**/*.md', defaultMode: 'subagent' },
    { directory: inProject('.opencode', 'agent'), pattern: '**/*.md' },
    { directory: inProject('.opencode', 'agents'), pattern: '**/*.md' },
    { directory: inProject('.opencode', 'mode'), pattern: '*.md', forcePrimary: true },
    { directory: inProject('.opencode', 'modes'), pattern: '*.md', forcePrimary: true },
    { directory: inProject('.orca', 'agents'), pattern: '**/*.md' },
  ];
}

export function defaultUserAgentsDir(): string {
  const configHome = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(configHome, 'orca', 'agents');
}

/** Loads every agent; a file that cannot be loaded is reported in `errors` and the rest still load. */
export async function loadAgentRegistry(options: LoadAgentRegistryOptions): Promise<AgentRegistry> {
  const workspace = path.resolve(options.workspace);
  const userDir = options.userDir === null ? null : path.resolve(options.userDir ?? defaultUserAgentsDir());
  const layers: AgentLayer[] = [];
  const errors: AgentLoadError[] = [];
  for (const entry of agentDirectories(workspace, userDir)) {
    for (const relativePath of await markdownFiles(entry)) {
      const absolutePath = path.join(entry.directory, relativePath);
      const file = displayPath(workspace, absolutePath);
      const text = await readFile(absolutePath, 'utf8').catch((error: unknown) => {
        errors.push(new AgentLoadError({ file, reason: `cannot read file: ${error instanceof Error ? error.message : String(error)}` }));
        return undefined;
      });
      if (text === undefined) continue;
      const name = toPosix(relativePath).replace(/\.md$/, '');
      const result = parseMarkdownAgent({ file, name, text });
      if (!result.ok) {
        errors.push(result.error);
        continue;
      }
      const config = entry.forcePrimary ? { ...result.config, mode: 'primary' as const } : result.config;
      layers.push({ config, source: file, defaultMode: entry.defaultMode });
    }
  }
  return { agents: mergeAgents(builtinAgents(), layers), errors };
}

async function markdownFiles({ directory, pattern }: AgentDirectory): Promise<string[]> {
  const isDirectory = await stat(directory).then((info) => info.isDirectory(), () => false);
  if (!isDirectory) return [];
  const files = await glob(pattern, { cwd: directory, onlyFiles: true, followSymbolicLinks: true });
  return files.sort();
}

/** Project files are named relative to the workspace, others by their absolute path. */
function displayPath(workspace: string, file: string): string {
  const relative = path.relative(workspace, file);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return inside ? toPosix(relative) : file;
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
