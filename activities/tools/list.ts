import { stat } from 'node:fs/promises';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { ignoreGlobs } from './ignored-directories.js';
import { displayPath, pathPermissions, resolveWorkspacePath } from './workspace-path.js';

const MAX_ENTRIES = 100;

const ListParameters = z.object({
  path: z.string().optional().describe('Directory to list, relative to the workspace root or absolute. Defaults to the workspace root'),
  ignore: z.array(z.string()).optional().describe('Extra glob patterns to leave out, e.g. ["*.log", "fixtures/**"]'),
});

export const listTool = defineTool({
  id: 'list',
  description: `Lists files and directories under a directory as an indented tree.
- Skips .git, node_modules, dist and similar generated directories.
- Shows at most ${MAX_ENTRIES} entries, shallowest first; list a subdirectory to see deeper.
- Prefer glob or grep when you know what you are looking for.`,
  parameters: ListParameters,
  summarize: (args) => `list ${args.path ?? '.'}`,
  async permissions(args, context) {
    return pathPermissions('list', await resolveWorkspacePath(context.workspace, args.path ?? '.'), 'directory');
  },
  async execute(args, context) {
    const directory = await resolveWorkspacePath(context.workspace, args.path ?? '.');
    const shown = displayPath(directory);
    const stats = await stat(directory.absolute).catch(() => undefined);
    if (!stats) throw new Error(`Directory not found: ${shown}. List its parent directory to check the name.`);
    if (!stats.isDirectory()) throw new Error(`${shown} is a file, not a directory. Use the read tool to see its content.`);

    const ignore = ignoreGlobs('', (args.ignore ?? []).flatMap(anywhereGlobs));
    const entries = await glob('**', {
      cwd: directory.absolute, onlyFiles: false, dot: true, followSymbolicLinks: false, ignore, signal: context.signal,
    });
    const shallowestFirst = entries.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
    const shownEntries = shallowestFirst.slice(0, MAX_ENTRIES);

    const lines = [`${directory.absolute}/`, ...renderTree(shownEntries)];
    if (entries.length > MAX_ENTRIES) {
      lines.push('', `(Showing ${MAX_ENTRIES} of ${entries.length} entries. List a subdirectory or pass ignore patterns to see the rest.)`);
    }
    if (entries.length === 0) lines.push('(empty directory)');
    return {
      title: shown,
      output: lines.join('\n'),
      metadata: { count: shownEntries.length, truncated: entries.length > MAX_ENTRIES },
    };
  },
});

// Like .gitignore: a pattern without a slash matches at any depth, and ignoring a directory ignores its content.
function anywhereGlobs(pattern: string): string[] {
  const trimmed = pattern.replace(/\/+$/, '');
  const anywhere = trimmed.includes('/') ? trimmed : `**/${trimmed}`;
  return [anywhere, `${anywhere}/**`];
}

function depth(entry: string): number {
  return entry.replace(/\/$/, '').split('/').length;
}

// Entries come from tinyglobby as "a/", "a/b.ts"; directories end with "/". Parents of a shown entry are always shown.
function renderTree(entries: string[]): string[] {
  const children = new Map<string, string[]>();
  for (const entry of entries) {
    const parent = entry.replace(/\/$/, '').split('/').slice(0, -1).join('/');
    children.set(parent, [...(children.get(parent) ?? []), entry]);
  }
  const render = (parent: string, indent: string): string[] =>
    (children.get(parent) ?? [])
      .sort((a, b) => Number(b.endsWith('/')) - Number(a.endsWith('/')) || a.localeCompare(b))
      .flatMap((entry) => {
        const name = entry.replace(/\/$/, '').split('/').pop() ?? entry;
        if (!entry.endsWith('/')) return [`${indent}${name}`];
        return [`${indent}${name}/`, ...render(entry.replace(/\/$/, ''), `${indent}  `)];
      });
  return render('', '  ');
}
