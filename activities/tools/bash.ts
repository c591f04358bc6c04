import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { alwaysPatternFor, effectiveCommand, splitBashCommands } from '../../agents/bash-commands.js';
import { bashPathArguments } from './bash-path-arguments.js';
import { defineTool } from './define-tool.js';
import { killLeftoverProcessGroup } from './leftover-process-group.js';
import { runInProcessGroup, type ProcessGroupResult } from './run-process-group.js';
import { displayPath, pathPermissions, resolveWorkspacePath } from './workspace-path.js';

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_TIMEOUT_MS = 600_000;

const BashParameters = z.object({
  command: z.string().min(1).describe('The shell command to run with bash'),
  timeout: z.number().int().positive().max(MAX_TIMEOUT_MS).optional().describe(`Timeout in milliseconds (default ${DEFAULT_TIMEOUT_MS}, at most ${MAX_TIMEOUT_MS})`),
  workdir: z.string().optional().describe('Directory to run the command in, relative to the workspace root or absolute. Defaults to the workspace root; prefer this over "cd dir &&"'),
  description: z.string().describe('What the command does in 5-10 words, e.g. "Runs the unit tests" or "Shows working tree status"'),
});

export const bashTool = defineTool({
  id: 'bash',
  description: `Runs a bash command in the workspace and returns its combined stdout and stderr followed by \`<exit code: N>\`.
- Each command starts in a fresh shell: cd, exports and variables do not carry over between calls.
- Commands time out after ${DEFAULT_TIMEOUT_MS / 1000} s by default (timeout: up to ${MAX_TIMEOUT_MS / 1000} s); on timeout every process the command started is killed.
- stdin is closed: interactive commands fail instead of waiting. Pass flags like --yes or -y.
- Use the read, list, glob, grep, edit and write tools for files instead of cat, ls, find, grep, sed and echo >.
- Independent commands can run as parallel tool calls; chain dependent ones with &&.
- Long output is cut to the first 2000 lines or 50 KB and the full text saved to a file.`,
  parameters: BashParameters,
  summarize: (args) => `bash: ${args.command.length > 80 ? `${args.command.slice(0, 77)}...` : args.command}`,
  async permissions(args, context) {
    const workdir = await resolveWorkspacePath(context.workspace, args.workdir ?? '.');
    const commands = splitBashCommands(args.command);
    // Each command is checked as written and as what it really runs (`FOO=1 env git push` also as `git push`).
    const patterns = [...new Set((commands.length > 0 ? commands : [args.command.trim()]).flatMap((command) => [command, effectiveCommand(command)]))];
    // Files named by commands such as cat, cp or rm outside the workspace need external_directory, like a read or edit there.
    const operands = await Promise.all(
      patterns.flatMap((command) => bashPathArguments(command, workdir.absolute)).map((operand) => resolveWorkspacePath(context.workspace, operand)),
    );
    const external = [pathPermissions('bash', workdir, 'directory'), ...operands.map((operand) => pathPermissions('bash', operand))]
      .flat()
      .filter((request) => request.permission === 'external_directory');
    const uniqueExternal = [...new Map(external.map((request) => [request.patterns.join('\n'), request])).values()];
    return [...uniqueExternal, { permission: 'bash', patterns, always: [...new Set(patterns.map(alwaysPatternFor))] }];
  },
  // Not idempotent: a retried activity runs the command again from scratch (see README.md).
  async execute(args, context) {
    const workdir = await resolveWorkspacePath(context.workspace, args.workdir ?? '.');
    const stats = await stat(workdir.absolute).catch(() => undefined);
    if (!stats?.isDirectory()) throw new Error(`Working directory not found: ${displayPath(workdir)}. Create it first or pick an existing directory.`);

    const timeoutMs = args.timeout ?? DEFAULT_TIMEOUT_MS;
    await killLeftoverProcessGroup(context.previousAttempt);
    const result = await runInProcessGroup(args.command, {
      cwd: workdir.absolute,
      timeoutMs,
      signal: context.signal,
      heartbeat: (details) => context.heartbeat(details),
    });
    return {
      title: args.description,
      output: formatResult(result, timeoutMs),
      metadata: { exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, aborted: result.aborted },
    };
  },
});

function formatResult(result: ProcessGroupResult, timeoutMs: number): string {
  const parts = [result.output.replace(/\n$/, '') || '(no output)'];
  if (result.timedOut) parts.push(`(Command timed out after ${timeoutMs} ms; it and every process it started were killed. Raise timeout or run less at once.)`);
  if (result.aborted) parts.push('(Command was cancelled; it and every process it started were killed.)');
  parts.push(result.exitCode === null ? `<killed by signal: ${result.signal ?? 'unknown'}>` : `<exit code: ${result.exitCode}>`);
  return parts.join('\n');
}
