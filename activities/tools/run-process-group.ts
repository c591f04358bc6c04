import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { markProcessGroup } from './leftover-process-group.js';

const MAX_CAPTURED_BYTES = 10 * 1024 * 1024;
const HEARTBEAT_INTERVAL_MS = 1000;
const STREAM_DRAIN_MS = 500;

export interface ProcessGroupResult {
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
}

export interface ProcessGroupOptions {
  cwd: string;
  timeoutMs: number;
  signal: AbortSignal;
  heartbeat(details?: unknown): void;
  /** How long the group gets to exit after SIGTERM before SIGKILL. */
  killGraceMs?: number;
}

/**
 * Runs `bash -c command` as the leader of its own process group, so a timeout or cancellation can
 * kill everything it started (pipelines, `&` jobs, dev servers), not just the shell.
 */
export async function runInProcessGroup(command: string, options: ProcessGroupOptions): Promise<ProcessGroupResult> {
  options.signal.throwIfAborted();
  const child = spawn('bash', ['-c', command], { cwd: options.cwd, env: commandEnvironment(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let captured = 0;
  let dropped = 0;
  const capture = (chunk: Buffer) => {
    if (captured + chunk.length > MAX_CAPTURED_BYTES) dropped += chunk.length;
    else { chunks.push(chunk); captured += chunk.length; }
  };
  child.stdout.on('data', capture);
  child.stderr.on('data', capture);
  const streamsClosed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', reject);
  });

  let stopReason: 'timeout' | 'abort' | undefined;
  let killing: Promise<void> | undefined;
  const stop = (reason: 'timeout' | 'abort') => {
    if (stopReason || child.pid === undefined) return;
    stopReason = reason;
    killing = killProcessGroup(child.pid, options.killGraceMs ?? 2000);
  };
  const onAbort = () => stop('abort');
  const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
  const mark = child.pid === undefined ? undefined : await markProcessGroup(child.pid);
  options.heartbeat(mark);
  const heartbeat = setInterval(() => options.heartbeat(mark), HEARTBEAT_INTERVAL_MS);
  options.signal.addEventListener('abort', onAbort, { once: true });

  try {
    const exit = await exited;
    await killing;
    // A backgrounded child may hold the pipes open forever; take what arrived and move on.
    await Promise.race([streamsClosed, sleep(STREAM_DRAIN_MS)]);
    child.stdout.destroy();
    child.stderr.destroy();
    let output = Buffer.concat(chunks).toString('utf8');
    if (dropped > 0) output += `\n(${dropped} more bytes of output were discarded)`;
    return { output, exitCode: exit.code, signal: exit.signal, timedOut: stopReason === 'timeout', aborted: stopReason === 'abort' };
  } finally {
    clearTimeout(timer);
    clearInterval(heartbeat);
    options.signal.removeEventListener('abort', onAbort);
  }
}

/** The worker's own secrets; a command the model runs must not be able to print them (`env`, a verbose build). */
export const WORKER_SECRETS = ['OPENAI_API_KEY', 'ORCA_ENCRYPTION_KEY'];

function commandEnvironment(): NodeJS.ProcessEnv {
  const environment = { ...process.env };
  for (const name of WORKER_SECRETS) delete environment[name];
  return environment;
}

async function killProcessGroup(processGroupId: number, graceMs: number): Promise<void> {
  if (!signalGroup(processGroupId, 'SIGTERM')) return;
  if (await groupGone(processGroupId, graceMs)) return;
  signalGroup(processGroupId, 'SIGKILL');
  await groupGone(processGroupId, 1000);
}

/** Sends a signal to every process in the group; false once the group no longer exists. */
function signalGroup(processGroupId: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-processGroupId, signal);
    return true;
  } catch {
    return false;
  }
}

async function groupGone(processGroupId: number, withinMs: number): Promise<boolean> {
  for (let waited = 0; waited < withinMs; waited += 50) {
    if (!(await groupAlive(processGroupId))) return true;
    await sleep(50);
  }
  return !(await groupAlive(processGroupId));
}

// Zombies count as gone: in a container whose PID 1 never reaps orphans they would linger forever.
async function groupAlive(processGroupId: number): Promise<boolean> {
  if (!signalGroup(processGroupId, 0)) return false;
  if (process.platform !== 'linux') return true;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((entry) => /^\d+$/.test(entry));
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Fields after the parenthesised command name: state, ppid, pgrp, ...
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === processGroupId && state !== 'Z') return true;
  }
  return false;
}
