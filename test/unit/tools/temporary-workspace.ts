import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import type { z } from 'zod';
import type { ToolContext, ToolDefinition } from '../../../activities/tools/define-tool.js';

export interface TemporaryWorkspace {
  /** Real path of the workspace root. */
  workspace: string;
  /** A sibling directory outside the workspace. */
  outside: string;
  context: ToolContext & { heartbeat: ReturnType<typeof vi.fn> };
  abort: AbortController;
  /** Writes files relative to the workspace, creating directories. */
  write(files: Record<string, string | Buffer>): Promise<void>;
  /** Parses arguments like the model's and runs the tool. */
  run<P extends z.ZodType>(tool: ToolDefinition<P>, args: z.input<P>): ReturnType<ToolDefinition<P>['execute']>;
  permissions<P extends z.ZodType>(tool: ToolDefinition<P>, args: z.input<P>): ReturnType<ToolDefinition<P>['permissions']>;
  remove(): Promise<void>;
}

export async function createTemporaryWorkspace(): Promise<TemporaryWorkspace> {
  const root = await realpath(await mkdtemp(path.join(tmpdir(), 'orca-tools-')));
  const workspace = path.join(root, 'workspace');
  const outside = path.join(root, 'outside');
  await mkdir(workspace);
  await mkdir(outside);
  const abort = new AbortController();
  const context = { workspace, signal: abort.signal, heartbeat: vi.fn(), outputDir: path.join(root, 'outputs', 'nested') };
  return {
    workspace,
    outside,
    context,
    abort,
    async write(files) {
      for (const [name, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(workspace, name)), { recursive: true });
        await writeFile(path.join(workspace, name), content);
      }
    },
    run: (tool, args) => tool.execute(tool.parameters.parse(args), context),
    permissions: (tool, args) => tool.permissions(tool.parameters.parse(args), context),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
