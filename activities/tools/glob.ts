import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { ignoreGlobs } from './ignored-directories.js';
import { displayPath, pathPermissions, resolveWorkspacePath } from './workspace-path.js';

const MAX_RESULTS = 100;

const GlobParameters = z.object({
  pattern: z.string().min(1).describe('Glob pattern relative to the search directory, e.g. "**/*.ts", "src/**/*.{ts,tsx}", or "*/" for directories'),
  path: z.string().optional().describe('Directory to search in, relative to the workspace root or absolute. Defaults to the workspace root'),
});

export const globTool = defineTool({
  id: 'glob',
  description: `Finds files by name with a glob pattern, newest first.
- Supports **, *, ?, {a,b} and [abc]; a pattern ending in "/" matches directories instead of files.
- "*.ts" matches only directly in the search directory; use "**/*.ts" to search all subdirectories.
- Skips .git, node_modules, dist and similar directories unless the pattern names them.
- Returns at most ${MAX_RESULTS} paths; narrow the pattern or path when there are more.`,
  parameters: GlobParameters,
  summarize: (args) => `glob ${args.pattern}${args.path ? ` in ${args.path}` : ''}`,
  async permissions(args, context) {
    const directory = await resolveWorkspacePath(context.workspace, args.path ?? '.');
    const external = pathPermissions('glob', directory, 'directory').filter((request) => request.permission === 'external_directory');
    return [...external, { permission: 'glob', patterns: [args.pattern], always: ['*'] }];
  },
  async execute(args, context) {
    if (path.isAbsolute(args.pattern) || args.pattern.split('/').includes('..')) {
      throw new Error(`The pattern "${args.pattern}" leaves the search directory. Put the directory in the path argument and keep the pattern relative, e.g. path "../other", pattern "**/*.ts".`);
    }
    const directory = await resolveWorkspacePath(context.workspace, args.path ?? '.');
    const stats = await stat(directory.absolute).catch(() => undefined);
    if (!stats?.isDirectory()) throw new Error(`Search directory not found: ${displayPath(directory)}. Use the list tool to check the path.`);

    const wantsDirectories = args.pattern.endsWith('/');
    const matches = await glob(args.pattern, {
      cwd: directory.absolute, dot: true, followSymbolicLinks: false, onlyDirectories: wantsDirectories, onlyFiles: !wantsDirectories,
      ignore: ignoreGlobs(args.pattern), signal: context.signal,
    });
    const dated = await Promise.all(matches.map(async (match) => {
      const absolute = path.join(directory.absolute, match);
      const modified = await stat(absolute).then((info) => info.mtimeMs, () => 0);
      const shown = directory.external ? absolute : path.relative(context.workspace, absolute).split(path.sep).join('/');
      return { shown: wantsDirectories ? `${shown}/` : shown, modified };
    }));
    const newestFirst = dated.sort((a, b) => b.modified - a.modified || a.shown.localeCompare(b.shown)).slice(0, MAX_RESULTS);

    const lines = newestFirst.map((entry) => entry.shown);
    if (lines.length === 0) lines.push(`No ${wantsDirectories ? 'directories' : 'files'} found`);
    if (matches.length > MAX_RESULTS) {
      lines.push('', `(Showing the ${MAX_RESULTS} newest of ${matches.length} matches. Use a more specific pattern or path.)`);
    }
    return {
      title: args.pattern,
      output: lines.join('\n'),
      metadata: { count: newestFirst.length, total: matches.length, truncated: matches.length > MAX_RESULTS },
    };
  },
});
