import { Connection } from '@temporalio/client';
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { devServerSearchAttributeArgs, ensureSearchAttributes } from './search-attribute-setup.js';
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
  /** Frontend port; a free one when omitted. */
  port?: number;
  /** Serve the Web UI on this port; headless when omitted. */
  uiPort?: number;
  /** Where the server's own output goes; discarded when omitted. */
  logFile?: string;
  /** A namespace to create besides `default`. */
  namespace?: string;
  extraArgs?: string[];
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  webUiUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function withConnection<T>(address: string, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** A plain TCP connect answers "nothing listens" at once, where a gRPC connect would wait out its timeout. */
function acceptsConnections(address: string): Promise<boolean> {
  const separator = address.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = connect({ host: address.slice(0, separator), port: Number(address.slice(separator + 1)) });
    const settle = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(1_000);
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });
}

export async function isServing(address: string): Promise<boolean> {
  if (!(await acceptsConnections(address))) return false;
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/** Runs `temporal server start-dev` from the locally built Temporal CLI and waits until it serves. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const executable = await ensureTemporalCli();
  const port = options.port ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  const args = [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn',
    ...DEV_SERVER_TUNING,
    // Sessions are started with these set, and `orca list` filters on them.
    ...devServerSearchAttributeArgs(),
  ];
  const namespace = options.namespace ?? 'default';
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (options.dbFilename) {
    mkdirSync(path.dirname(options.dbFilename), { recursive: true });
    args.push('--db-filename', options.dbFilename);
  }
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']), ...(options.extraArgs ?? []));

  if (options.logFile) mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(executable, args, { stdio: ['ignore', log, log] });
  if (typeof log === 'number') closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code ?? -1));
  // The server belongs to this process: never leave it running on the project's database after an exit.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await isServing(address))) {
    if (exitCode !== undefined || Date.now() > deadline) {
      await stop();
      const tail = options.logFile ? readFileSync(options.logFile, 'utf8').slice(-2000) : '';
      const why = exitCode !== undefined ? `exited with code ${exitCode}` : 'did not answer in time';
      throw new Error(`The Temporal dev server (${executable} ${args.join(' ')}) ${why}.${tail ? `\n${tail}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    await withConnection(address, (connection) => ensureSearchAttributes(connection, namespace));
  } catch (error) {
    await stop();
    throw new Error(`The Temporal dev server at ${address} did not take Orca's search attributes: ${(error as Error).message}`);
  }
  return { address, webUiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined, pid: child.pid!, stop };
}
