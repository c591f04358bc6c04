import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isBinaryFile } from 'isbinaryfile';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { ignoreGlobs } from './ignored-directories.js';
import { displayPath, pathPermissions, resolveWorkspacePath } from './workspace-path.js';

const MAX_MATCHES = 100;
const MAX_LINE_LENGTH = 2000;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

const GrepParameters = z.object({
  pattern: z.string().min(1).describe('JavaScript regular expression to search file contents for, e.g. "function\\s+\\w+" or "(?i)todo"'),
  path: z.string().optional().describe('Directory (or single file) to search, relative to the workspace root or absolute. Defaults to the workspace root'),
  include: z.string().optional().describe('Glob of files to search, e.g. "*.ts" or "*.{ts,tsx}"; without a slash it matches at any depth'),
});

export const grepTool = defineTool({
  id: 'grep',
  description: `Searches file contents with a JavaScript regular expression, line by line.
- Prints matches as \`path:line: text\`, files in path order.
- Filter files with include (e.g. "*.ts"); a leading "(?i)" makes the search case-insensitive.
- Skips binary files, .git, node_modules, dist and similar directories.
- Returns at most ${MAX_MATCHES} matches; narrow the pattern, path or include when there are more.`,
  parameters: GrepParameters,
  summarize: (args) => `grep ${args.pattern}${args.path ? ` in ${args.path}` : ''}`,
  async permissions(args, context) {
    const target = await resolveWorkspacePath(context.workspace, args.path ?? '.');
    const external = pathPermissions('grep', target, 'directory').filter((request) => request.permission === 'external_directory');
    return [...external, { permission: 'grep', patterns: [args.pattern], always: ['*'] }];
  },
  async execute(args, context) {
    const regex = compilePattern(args.pattern);
    if (args.include && (path.isAbsolute(args.include) || args.include.split('/').includes('..'))) {
      throw new Error(`The include "${args.include}" leaves the search directory. Put the directory in the path argument and keep include relative, e.g. path "../other", include "*.ts".`);
    }
    const target = await resolveWorkspacePath(context.workspace, args.path ?? '.');
    // Only what the permission check saw may be read: no symlink may lead out of the searched tree.
    const boundary = target.external ? target.real : context.workspace;
    const stats = await stat(target.absolute).catch(() => undefined);
    if (!stats) throw new Error(`Search path not found: ${displayPath(target)}. Use the list tool to check the path.`);

    const root = stats.isDirectory() ? target.absolute : path.dirname(target.absolute);
    const files = stats.isDirectory() ? await candidateFiles(root, args.include, context.signal) : [path.basename(target.absolute)];
    const show = (file: string) => {
      const absolute = path.join(root, file);
      return target.external ? absolute : path.relative(context.workspace, absolute).split(path.sep).join('/');
    };

    const matches: string[] = [];
    let total = 0;
    for (const [index, file] of files.entries()) {
      if (index % 200 === 0) context.heartbeat({ searchedFiles: index });
      context.signal.throwIfAborted();
      if (!(await staysInside(boundary, path.join(root, file)))) continue;
      const lines = await textLines(path.join(root, file));
      for (const [number, line] of lines.entries()) {
        regex.lastIndex = 0;
        if (!regex.test(line)) continue;
        total += 1;
        if (matches.length < MAX_MATCHES) matches.push(`${show(file)}:${number + 1}: ${cut(line)}`);
      }
    }

    const lines = matches.length > 0 ? [...matches] : ['No matches found'];
    if (total > MAX_MATCHES) {
      lines.push('', `(Showing the first ${MAX_MATCHES} of ${total} matches. Use a more specific pattern, path or include.)`);
    }
    return {
      title: args.pattern,
      output: lines.join('\n'),
      metadata: { matches: matches.length, total, truncated: total > MAX_MATCHES },
    };
  },
});

function compilePattern(pattern: string): RegExp {
  // Models often write ripgrep/PCRE's inline flag; JavaScript only takes flags separately.
  const caseInsensitive = pattern.startsWith('(?i)');
  const source = caseInsensitive ? pattern.slice(4) : pattern;
  try {
    return new RegExp(source, caseInsensitive ? 'i' : '');
  } catch (error) {
    throw new Error(`Invalid regular expression "${pattern}": ${(error as Error).message}. Escape special characters such as ( [ { . * + ? with a backslash to match them literally.`);
  }
}

async function candidateFiles(root: string, include: string | undefined, signal: AbortSignal): Promise<string[]> {
  const pattern = include === undefined ? '**' : include.includes('/') ? include : `**/${include}`;
  const files = await glob(pattern, { cwd: root, dot: true, followSymbolicLinks: false, ignore: ignoreGlobs(pattern), signal });
  return files.sort();
}

async function staysInside(boundary: string, file: string): Promise<boolean> {
  const real = await realpath(file).catch(() => undefined);
  if (real === undefined) return false;
  const relative = path.relative(boundary, real);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

// Binary and very large files are skipped: a match inside them would not be readable text anyway.
async function textLines(file: string): Promise<string[]> {
  try {
    if ((await stat(file)).size > MAX_FILE_BYTES) return [];
    const content = await readFile(file);
    if (await isBinaryFile(content, content.length)) return [];
    return content.toString('utf8').split(/\r?\n/);
  } catch {
    return [];
  }
}

function cut(line: string): string {
  return line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH)}... (line cut)` : line;
}
