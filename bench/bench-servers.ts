import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startDevServer, type DevServer } from '../client/dev-server.js';
import { ensureTemporalCli } from '../client/temporal-cli.js';

/**
 * `tuned`: Orca's embedded default (SQLite on disk, Orca's dev-server flags); `defaults`: the same
 * server without Orca's `--dynamic-config-value` and `--sqlite-pragma` flags; `memory`: Orca's flags, in memory.
 */
export type ServerVariant = 'tuned' | 'defaults' | 'memory';

export const SERVER_VARIANTS: Record<ServerVariant, string> = {
  tuned: 'SQLite on disk with Orca\'s flags (the embedded default)',
  defaults: 'SQLite on disk, dev server defaults',
  memory: 'in memory with Orca\'s flags',
};

/** Starts the dev server exactly as Orca does; for `defaults`, through a wrapper that drops Orca's tuning flags. */
export async function startBenchServer(variant: ServerVariant, directory: string): Promise<DevServer> {
  const dbFilename = variant === 'memory' ? undefined : path.join(directory, `temporal-${variant}.db`);
  const logFile = path.join(directory, `temporal-${variant}.log`);
  if (variant !== 'defaults') return startDevServer({ dbFilename, logFile });

  const wrapper = path.join(directory, 'temporal-without-tuning.sh');
  await writeFile(wrapper, [
    '#!/bin/bash',
    'args=()',
    'while [ $# -gt 0 ]; do',
    '  case "$1" in',
    '    --dynamic-config-value|--sqlite-pragma) shift 2 ;;',
    '    *) args+=("$1"); shift ;;',
    '  esac',
    'done',
    `exec ${JSON.stringify(await ensureTemporalCli())} "\${args[@]}"`,
    '',
  ].join('\n'));
  await chmod(wrapper, 0o755);
  const previous = process.env.TEMPORAL_CLI_PATH;
  process.env.TEMPORAL_CLI_PATH = wrapper;
  try {
    return await startDevServer({ dbFilename, logFile });
  } finally {
    if (previous === undefined) delete process.env.TEMPORAL_CLI_PATH;
    else process.env.TEMPORAL_CLI_PATH = previous;
  }
}
