import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DevServer } from '../client/dev-server.js';
import type { WorkerTuning } from '../worker/create-worker.js';
import type { SessionInput } from '../workflows/session-types.js';
import { startBenchServer, type ServerVariant } from './bench-servers.js';
import { progress } from './figures.js';
import type { ModelRouter } from './model-router.js';
import type { RawSessionInput } from './raw-workflows.js';
import { startWorkerProcess, type WorkerProcess } from './workers.js';

/** What every scenario shares: a temporary directory, the scripted model, the raw workflows' bundle, workspaces. */
export interface BenchContext {
  directory: string;
  model: ModelRouter;
  rawBundlePath: string;
  /** Workspaces holding a.txt and b.txt of the given size in bytes. */
  workspace(fileBytes: number): Promise<string>;
}

export async function bundleRawWorkflows(directory: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./raw-workflows.js', import.meta.url)),
    logger: { info() {}, debug() {}, trace() {}, log() {}, warn: console.warn, error: console.error },
  });
  const file = path.join(directory, 'raw-workflow-bundle.js');
  await writeFile(file, code);
  return file;
}

/** Lines of text of about `bytes` bytes (the read tool numbers lines and cuts lines over 2000 characters). */
export function fileOfSize(bytes: number): string {
  const line = `${'lorem ipsum dolor sit amet '.repeat(4).slice(0, 92)}\n`;
  return line.repeat(Math.max(1, Math.floor(bytes / line.length))).slice(0, Math.max(1, bytes));
}

export function workspaces(directory: string): (fileBytes: number) => Promise<string> {
  const made = new Map<number, Promise<string>>();
  return (fileBytes) => {
    let workspace = made.get(fileBytes);
    if (!workspace) {
      const dir = path.join(directory, `workspace-${fileBytes}`);
      workspace = (async () => {
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, 'a.txt'), fileOfSize(fileBytes));
        await writeFile(path.join(dir, 'b.txt'), fileOfSize(fileBytes));
        return dir;
      })();
      made.set(fileBytes, workspace);
    }
    return workspace;
  };
}

/** A server, a client, and an Orca worker and a raw worker, each in its own process with the same tuning. */
export interface Stack {
  variant: ServerVariant;
  server: DevServer;
  client: Client;
  orca: WorkerProcess;
  raw: WorkerProcess;
  close(): Promise<void>;
}

let stacks = 0;

const cleanups = new Set<() => Promise<void>>();

/** Runs `close` when the bench is interrupted; returns a function that runs it now and forgets it. */
export function closeOnExit(close: () => Promise<void>): () => Promise<void> {
  cleanups.add(close);
  return async () => {
    cleanups.delete(close);
    await close();
  };
}

/** Closes everything still open: servers and workers of interrupted scenarios. */
export async function closeEverything(): Promise<void> {
  await Promise.allSettled([...cleanups].map((close) => close()));
  cleanups.clear();
}

export interface StackOptions {
  tuning?: WorkerTuning;
  /** Context window of the scripted model in tokens; Orca compacts the conversation near it (128k when omitted). */
  contextLimit?: number;
}

export async function openStack(context: BenchContext, variant: ServerVariant, options: StackOptions = {}): Promise<Stack> {
  const { tuning, contextLimit } = options;
  const started = Date.now();
  const server = await startBenchServer(variant, context.directory);
  // A page of history of the inline baseline passes gRPC's default 4 MB message limit.
  const connection = await Connection.connect({ address: server.address, channelArgs: { 'grpc.max_receive_message_length': 256 * 2 ** 20 } });
  const id = `${variant}-${++stacks}`;
  const common = { address: server.address, modelBaseURL: context.model.baseURL, storeDir: path.join(context.directory, `store-${id}`), tuning, contextLimit };
  const [orca, raw] = await Promise.all([
    startWorkerProcess({ ...common, kind: 'orca', taskQueue: `bench-orca-${id}` }),
    startWorkerProcess({ ...common, kind: 'raw', taskQueue: `bench-raw-${id}`, bundlePath: context.rawBundlePath }),
  ]);
  progress(`server ${variant} and workers ready in ${Date.now() - started} ms${tuning ? ` (tuning ${JSON.stringify(tuning)})` : ''}`);
  return {
    variant,
    server,
    client: new Client({ connection }),
    orca,
    raw,
    close: closeOnExit(async () => {
      await Promise.all([orca.stop(), raw.stop()]);
      await connection.close();
      await server.stop();
    }),
  };
}

export interface OrcaSessionOptions {
  tag: string;
  steps: number;
  workspace: string;
  /** Default: two more than `steps`, so the session ends on the model's final answer, not on the limit. */
  maxSteps?: number;
}

/** A session that cannot finish (a workflow task failing on every attempt) ends here instead of hanging the bench. */
export const SESSION_TIMEOUT = '5 minutes';

/** Starts an Orca session of `steps` tool steps (the model is told how many by the tag's responder). */
export async function startOrcaSession(stack: Stack, options: OrcaSessionOptions) {
  const input: SessionInput = {
    agent: 'build',
    prompt: options.tag,
    workspace: options.workspace,
    model: 'scripted',
    maxSteps: options.maxSteps ?? options.steps + 2,
    onAsk: 'deny',
  };
  return stack.client.workflow.start('sessionWorkflow', {
    taskQueue: stack.orca.config.taskQueue,
    workflowId: options.tag,
    workflowExecutionTimeout: SESSION_TIMEOUT,
    args: [input],
  });
}

export async function startRawSession(stack: Stack, input: RawSessionInput) {
  return stack.client.workflow.start('rawSessionWorkflow', {
    taskQueue: stack.raw.config.taskQueue,
    workflowId: input.tag,
    workflowExecutionTimeout: SESSION_TIMEOUT,
    args: [input],
  });
}

/** Runs `count` jobs with at most `limit` at a time. */
export async function inParallel<T>(count: number, limit: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await job(index);
      }
    }),
  );
  return results;
}
