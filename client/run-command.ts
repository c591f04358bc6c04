import { promptTooLarge } from '../workflows/prompt-limit.js';
import { detectCiRun } from './ci-run.js';
import { loadConfig, type OrcaConfig } from './config.js';
import { UsageError } from './exit-codes.js';
import { reportOutcome } from './outcome-report.js';
import { awaitOutcome, type SessionOutcome } from './session-outcome.js';
import { followSession } from './session-progress.js';
import { openSessionRuntime } from './session-runtime.js';
import { startSession, type SessionRequest } from './session-start.js';
import { workflowUrl } from './temporal-target.js';
import { hasRecentWorker, noWorkerWarning } from './worker-check.js';

/** Flags shared by `orca run` and `orca start`; unset ones come from the environment, `.orca/config.json` or defaults. */
export interface SessionFlags {
  agent?: string;
  model?: string;
  maxSteps?: number;
  onAsk?: string;
  id?: string;
  workspace?: string;
  taskQueue?: string;
  address?: string;
  namespace?: string;
  webUiUrl?: string;
  ciRunId?: string;
  json?: boolean;
}

export interface RunOptions extends SessionFlags {
  worker?: boolean;
  /** Milliseconds to wait before giving up (the session keeps running). */
  timeout?: number;
  quiet?: boolean;
}

const log = (line: string) => console.error(line);

/** How long to let the last history events print after the result arrived. */
const PROGRESS_GRACE_MS = 2_000;

export function configFromFlags(flags: SessionFlags, env: NodeJS.ProcessEnv = process.env): OrcaConfig {
  return loadConfig({
    env,
    flags: {
      agent: flags.agent,
      model: flags.model,
      maxSteps: flags.maxSteps,
      onAsk: flags.onAsk,
      taskQueue: flags.taskQueue,
      temporalAddress: flags.address,
      namespace: flags.namespace,
      webUiUrl: flags.webUiUrl,
      workspace: flags.workspace,
    },
  });
}

/** The prompt argument, or standard input for `-`. */
export async function readPrompt(prompt: string): Promise<string> {
  let text = prompt;
  if (prompt === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    text = Buffer.concat(chunks).toString('utf8');
  }
  if (!text.trim()) throw new UsageError(prompt === '-' ? 'The prompt read from standard input is empty.' : 'The prompt is empty.');
  const tooLarge = promptTooLarge(text);
  if (tooLarge) throw new UsageError(tooLarge);
  return text;
}

export function sessionRequest(prompt: string, flags: SessionFlags, config: OrcaConfig): SessionRequest {
  return {
    agent: config.agent,
    prompt,
    workspace: config.workspace,
    model: config.model,
    maxSteps: config.maxSteps,
    onAsk: config.onAsk,
    id: flags.id?.trim() || undefined,
    ciRun: detectCiRun(process.env, flags.ciRunId),
    taskQueue: config.taskQueue,
    ...(config.modelTaskQueue || config.toolsTaskQueue ? { taskQueues: { model: config.modelTaskQueue, tools: config.toolsTaskQueue } } : {}),
  };
}

function interruption(): { promise: Promise<'interrupted'>; dispose(): void } {
  let onSignal: () => void = () => {};
  const promise = new Promise<'interrupted'>((resolve) => (onSignal = () => resolve('interrupted')));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Starts (or attaches to) a session, prints its progress, waits for it, prints its answer; returns the exit code. */
export async function runCommand(promptArgument: string, options: RunOptions): Promise<number> {
  const config = configFromFlags(options);
  const prompt = await readPrompt(promptArgument);
  const request = sessionRequest(prompt, options, config);
  const runtime = await openSessionRuntime({ config, worker: options.worker, log });
  const interrupted = interruption();
  try {
    const { client } = runtime.target;
    if (!runtime.worker && (await hasRecentWorker(client, config.taskQueue)) === false) log(noWorkerWarning(config.taskQueue, runtime.target.address));
    const { handle, workflowId, how } = await startSession(client, request);
    const url = workflowUrl(runtime.target, workflowId);
    const verb = { started: 'started', attached: 'is already running: following it', completed: 'has already completed: reporting its result (use another --id to run again)' }[how];
    log(`Session ${workflowId} (${request.agent}) ${verb}\n  ${url}`);
    if (request.ciRun) log(`  CI run ${request.ciRun.id}`);

    const progress = options.quiet ? undefined : followSession(client, workflowId, log, { follow: true });
    const outcome = await Promise.race([awaitOutcome(client, handle, options.timeout), interrupted.promise]);
    if (outcome === 'interrupted') {
      await progress?.stop();
      log(`\nInterrupted. ${runtime.target.startedServer ? 'The embedded server stops now; the session resumes when `orca dev` or `orca run` starts it again.' : `Session ${workflowId} keeps running: orca result ${workflowId} --wait, or orca cancel ${workflowId}.`}`);
      return 130;
    }
    await settle(progress, outcome);
    const code = reportOutcome(outcome, { workflowId, url, json: options.json ?? false, how, log });
    if (outcome.status === 'running' && runtime.target.startedServer) {
      log('  (This command started the embedded server, which stops now; the session resumes when `orca dev` starts it again.)');
    } else if (runtime.target.startedServer) {
      log('  (The embedded server stops with this command; `orca dev` serves the Web UI with this history.)');
    }
    return code;
  } finally {
    interrupted.dispose();
    await runtime.close();
  }
}

/** Lets the history catch up to the end before the answer prints, so the log reads in order. */
async function settle(progress: ReturnType<typeof followSession> | undefined, outcome: SessionOutcome): Promise<void> {
  if (!progress) return;
  if (outcome.status !== 'running') {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([progress.done.catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, PROGRESS_GRACE_MS)))]);
    clearTimeout(timer);
  }
  await progress.stop();
}
