import { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ensureTemporalCli } from './temporal-cli.js';

/**
 * The dev server's defaults spend most of each activity waiting on one rate limit
 * (history.transferProcessorMaxPollRPS, 20/s); WAL with synchronous=NORMAL stays durable
 * against a crash of the process while cutting fsyncs.
 */
export const DEV_SERVER_TUNING = [
  '--dynamic-config-value', 'history.transferProcessorMaxPollRPS=1000',
  '--sqlite-pragma', 'journal_mode=WAL',
  '--sqlite-pragma', 'synchronous=NORMAL',
];

export interface DevServerOptions {
  /** SQLite file that keeps sessions across restarts; in memory when omitted. */
  dbFilename?: string;
  port?: number;
  /** Serve the Web UI on this port. */
  uiPort?: number;
  /** Extra flags for `temporal server start-dev`. */
  extraArgs?: string[];
}

/** Starts `temporal server start-dev` from the locally built Temporal CLI. */
export async function startDevServer(options: DevServerOptions = {}): Promise<TestWorkflowEnvironment> {
  const executable = await ensureTemporalCli();
  if (options.dbFilename) mkdirSync(path.dirname(options.dbFilename), { recursive: true });
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: executable },
      ip: '127.0.0.1',
      dbFilename: options.dbFilename,
      port: options.port,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      extraArgs: [...DEV_SERVER_TUNING, ...(options.extraArgs ?? [])],
    },
  });
}
