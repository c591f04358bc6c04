import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { displayPath, pathPermissions, resolveWorkspacePath } from './workspace-path.js';

const WriteParameters = z.object({
  filePath: z.string().min(1).describe('Path of the file to write, relative to the workspace root or absolute'),
  content: z.string().describe('The complete new content of the file'),
});

export const writeTool = defineTool({
  id: 'write',
  description: `Writes a file, replacing it if it exists and creating missing parent directories.
- filePath may be relative to the workspace root or absolute.
- Prefer the edit tool for changing part of an existing file; read a file before overwriting it.`,
  parameters: WriteParameters,
  summarize: (args) => `write ${args.filePath}`,
  async permissions(args, context) {
    return pathPermissions('edit', await resolveWorkspacePath(context.workspace, args.filePath));
  },
  // Idempotent: writing the same content again leaves the same file.
  async execute(args, context) {
    const file = await resolveWorkspacePath(context.workspace, args.filePath);
    const shown = displayPath(file);
    const existing = await stat(file.absolute).catch(() => undefined);
    if (existing?.isDirectory()) throw new Error(`${shown} is a directory. Give the path of a file inside it.`);

    await mkdir(path.dirname(file.absolute), { recursive: true });
    await writeFile(file.absolute, args.content, 'utf8');
    const bytes = Buffer.byteLength(args.content, 'utf8');
    return {
      title: shown,
      output: `${existing ? 'Overwrote' : 'Created'} ${shown} (${bytes} bytes).`,
      metadata: { created: !existing, bytes },
    };
  },
});
