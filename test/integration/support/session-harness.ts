import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptedReply, type ScriptedResponder } from '../../../client/scripted-model-server.js';
import { createWorker } from '../../../worker/create-worker.js';
import type { WorkerSettings } from '../../../worker/worker-settings.js';
import type { sessionWorkflow } from '../../../workflows/session-workflow.js';
import type { SessionInput, SessionResult } from '../../../workflows/session-types.js';

export interface SessionHarness {
  client: Client;
  taskQueue: string;
  workspace: string;
  /** The worker's content store directory. */
  storeDir: string;
  model: ScriptedModelServer;
  worker: Worker;
  start(input: Partial<SessionInput> & { prompt: string }, workflowId?: string): Promise<WorkflowHandle<typeof sessionWorkflow>>;
  run(input: Partial<SessionInput> & { prompt: string }): Promise<SessionResult>;
  close(): Promise<void>;
}

let sequence = 0;
let runtimeInstalled = false;

/** A worker on its own task queue, a scripted model, and a temporary workspace holding `files`. */
export async function startHarness(options: {
  respond: ScriptedResponder | ScriptedReply[];
  files?: Record<string, string>;
  /** Overrides of the worker's model settings, e.g. `{ idleTimeoutMs: 2_000, contextLimits: { scripted: 4_000 } }`. */
  model?: Partial<WorkerSettings['model']>;
  /** Codecs for both the worker and the client, e.g. encryption. */
  payloadCodecs?: PayloadCodec[];
}): Promise<SessionHarness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const address = inject('temporalAddress');
  const root = await realpath(await mkdtemp(path.join(tmpdir(), 'orca-session-')));
  const workspace = path.join(root, 'workspace');
  for (const [file, content] of Object.entries({ 'README.md': '# Sample project\n', ...options.files })) {
    await mkdir(path.dirname(path.join(workspace, file)), { recursive: true });
    await writeFile(path.join(workspace, file), content);
  }
  const model = await startScriptedModelServer({ respond: options.respond });
  const taskQueue = `test-${process.pid}-${++sequence}-${Date.now()}`;
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection: workerConnection,
    taskQueue,
    workflowBundlePath: inject('workflowBundlePath'),
    payloadCodecs: options.payloadCodecs ?? [],
    settings: {
      storeDir: path.join(root, 'store'),
      outputDir: path.join(root, 'tool-output'),
      userAgentsDir: null,
      model: { baseURL: model.baseURL, apiKey: 'test-key', defaultModel: 'scripted', idleTimeoutMs: 5_000, ...options.model },
    },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, dataConverter: { payloadCodecs: options.payloadCodecs ?? [] } });

  const start: SessionHarness['start'] = (input, workflowId) =>
    client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
      taskQueue,
      workflowId: workflowId ?? `orca-test-${taskQueue}-${Math.random().toString(36).slice(2, 8)}`,
      args: [{ agent: 'build', workspace, model: 'scripted', ...input }],
    });

  return {
    client,
    taskQueue,
    workspace,
    storeDir: path.join(root, 'store'),
    model,
    worker,
    start,
    run: async (input) => (await start(input)).result(),
    close: async () => {
      worker.shutdown();
      await running;
      await Promise.all([model.close(), connection.close(), workerConnection.close()]);
      await rm(root, { recursive: true, force: true });
    },
  };
}
