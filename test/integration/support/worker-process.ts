import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CLI_PATH, cliEnvironment } from './orca-cli.js';

/**
 * A real `orca worker` process (the built CLI: `npm run build`, which `npm test` runs first), so a
 * test can SIGKILL it the way a crashed machine or an OOM kill would end it.
 */
export interface WorkerProcess {
  pid: number;
  /** Everything the worker wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves once the worker has said it polls its task queue. */
  ready: Promise<void>;
  /** Sends the signal and waits until the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (a graceful shutdown), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface WorkerProcessOptions {
  temporalAddress: string;
  taskQueue: string;
  /** OPENAI_BASE_URL of the scripted model. */
  modelBaseURL: string;
  storeDir: string;
  /** Where the worker looks for the user's own agents (XDG_CONFIG_HOME/orca/agents); keep it empty in tests. */
  configHome: string;
  apiKey?: string;
  cwd: string;
  /** More environment, e.g. ORCA_MODEL_IDLE_TIMEOUT_MS. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

const READY_LINE = /Orca worker polling task queue/;

export function startWorkerProcess(options: WorkerProcessOptions): WorkerProcess {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` before the fault tests.`);
  const env = cliEnvironment({
    TEMPORAL_ADDRESS: options.temporalAddress,
    ORCA_TASK_QUEUE: options.taskQueue,
    OPENAI_BASE_URL: options.modelBaseURL,
    OPENAI_API_KEY: options.apiKey ?? 'test-key',
    ORCA_MODEL: 'scripted',
    ORCA_STORE_DIR: options.storeDir,
    XDG_CONFIG_HOME: options.configHome,
    ...options.env,
  });
  const child: ChildProcess = spawn(process.execPath, [CLI_PATH, 'worker'], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  // Never leave a worker polling after the test process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start within ${options.readyTimeoutMs ?? 30_000} ms:\n${output}`)), options.readyTimeoutMs ?? 30_000);
    const onData = (chunk: string) => {
      output += chunk;
      if (READY_LINE.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the worker exited before it was ready (code ${child.exitCode}):\n${output}`));
    });
  });
  ready.catch(() => {});

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!hasExited) child.kill(signal);
    await exited;
    process.off('exit', killOnExit);
  };
  const stop = async (graceMs = 5_000) => {
    if (hasExited) return kill();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await kill('SIGTERM');
    clearTimeout(timer);
  };
  return { pid: child.pid!, output: () => output, ready, kill, stop };
}
