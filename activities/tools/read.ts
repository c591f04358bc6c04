import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { isBinaryFile } from 'isbinaryfile';
import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { similarNames } from './similar-names.js';
import { MAX_OUTPUT_BYTES } from './truncate-output.js';
import { displayPath, pathPermissions, resolveWorkspacePath, type WorkspacePath } from './workspace-path.js';

const DEFAULT_LINE_LIMIT = 2000;
const MAX_LINE_LENGTH = 2000;

const ReadParameters = z.object({
  filePath: z.string().min(1).describe('Path of the file to read, relative to the workspace root or absolute'),
  offset: z.coerce.number().int().min(1).optional().describe('Line number to start reading from (1-based). Defaults to 1'),
  limit: z.coerce.number().int().min(1).optional().describe(`Maximum number of lines to read. Defaults to ${DEFAULT_LINE_LIMIT}`),
});

export const readTool = defineTool({
  id: 'read',
  description: `Reads a text file from the workspace and returns its lines numbered like \`00001| text\`.
- filePath may be relative to the workspace root or absolute.
- Reads up to ${DEFAULT_LINE_LIMIT} lines by default; use offset and limit for long files.
- Lines longer than ${MAX_LINE_LENGTH} characters are cut.
- Binary files are refused; use the list tool for directories.
- Read several files in parallel when they may all be useful.`,
  parameters: ReadParameters,
  summarize: (args) => `read ${args.filePath}`,
  async permissions(args, context) {
    return pathPermissions('read', await resolveWorkspacePath(context.workspace, args.filePath));
  },
  async execute(args, context) {
    const file = await resolveWorkspacePath(context.workspace, args.filePath);
    const shown = displayPath(file);
    const stats = await stat(file.absolute).catch(() => undefined);
    if (!stats) throw new Error(await fileNotFoundMessage(file));
    if (stats.isDirectory()) throw new Error(`${shown} is a directory, not a file. Use the list tool to see its contents.`);
    if (await isBinaryFile(file.absolute)) {
      throw new Error(`Cannot read binary file: ${shown}. Only text files can be read; inspect it with bash (e.g. \`file\` or \`xxd | head\`) if needed.`);
    }

    const offset = args.offset ?? 1;
    const page = await readLines(file.absolute, offset, args.limit ?? DEFAULT_LINE_LIMIT);
    if (page.total > 0 && offset > page.total) {
      throw new Error(`Offset ${offset} is beyond the end of ${shown} (${page.total} lines). Use an offset between 1 and ${page.total}.`);
    }

    const numbered = page.lines.map((line, index) => `${String(offset + index).padStart(5, '0')}| ${line}`);
    const last = offset + page.lines.length - 1;
    const footer =
      page.total === 0 ? '(File is empty)'
      : last < page.total ? `(File has more lines: showing ${offset}-${last} of ${page.total}. Use offset=${last + 1} to read on.)`
      : `(End of file - total ${page.total} lines)`;
    return {
      title: shown,
      output: ['<file>', ...numbered, '', footer, '</file>'].join('\n'),
      metadata: { truncated: last < page.total, totalLines: page.total },
    };
  },
});

async function fileNotFoundMessage(file: WorkspacePath): Promise<string> {
  const shown = displayPath(file);
  const suggestions = await similarNames(path.dirname(file.absolute), path.basename(file.absolute));
  if (suggestions.length === 0) return `File not found: ${shown}. Check the path with the list or glob tool.`;
  const directory = path.posix.dirname(shown);
  const candidates = suggestions.map((name) => (directory === '.' ? name : `${directory}/${name}`));
  return `File not found: ${shown}\n\nDid you mean one of these?\n${candidates.join('\n')}`;
}

// Streams the file so a huge log costs only the page we return; still counts every line for the footer.
async function readLines(filePath: string, offset: number, limit: number): Promise<{ lines: string[]; total: number }> {
  const lines: string[] = [];
  let total = 0;
  let bytes = 0;
  let full = false;
  const input = createReadStream(filePath, { encoding: 'utf8' });
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      total += 1;
      if (total < offset || full) continue;
      const line = text.length > MAX_LINE_LENGTH ? `${text.slice(0, MAX_LINE_LENGTH)}... (line cut at ${MAX_LINE_LENGTH} characters)` : text;
      bytes += Buffer.byteLength(line, 'utf8') + 8;
      full = lines.length >= limit || bytes > MAX_OUTPUT_BYTES;
      if (!full) lines.push(line);
    }
  } finally {
    input.destroy();
  }
  return { lines, total };
}
