import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import path from 'node:path';
import { createWorker } from '../worker/create-worker.js';
import { workerSettingsFromEnvironment } from '../worker/worker-settings.js';
import { demoModelScript } from './demo-model-script.js';
import { startScriptedModelServer, type ScriptedModelServer } from './scripted-model-server.js';
import { connectTemporal, type TemporalTarget } from './temporal-target.js';

export const SCRIPTED_MODEL_NOTICE =
  '[scripted model] OPENAI_API_KEY is not set: answers come from Orca\'s scripted demo model, not from an LLM.';

export interface SessionRuntime {
  target: TemporalTarget;
  taskQueue: string;
  /** Set when this process runs a worker itself. */
  worker?: Worker;
  scriptedModel?: ScriptedModelServer;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Run a worker in this process; the default when Orca uses the embedded server. */
  worker?: boolean;
  taskQueue: string;
  cwd?: string;
  log(line: string): void;
}

let runtimeInstalled = false;

export async function openSessionRuntime(options: RuntimeOptions): Promise<SessionRuntime> {
  if (!runtimeInstalled) {
    // The worker's routine state changes would drown the session's own progress lines.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const cwd = options.cwd ?? process.cwd();
  const address = process.env.TEMPORAL_ADDRESS || undefined;
  const target = await connectTemporal({
    address,
    namespace: process.env.TEMPORAL_NAMESPACE || undefined,
    webUiUrl: process.env.ORCA_WEB_UI_URL || undefined,
    orcaDir: path.join(cwd, '.orca'),
    log: options.log,
  });
  const runtime: SessionRuntime = { target, taskQueue: options.taskQueue, close: () => target.close() };
  if (!(options.worker ?? !address)) return runtime;

  try {
    const settings = workerSettingsFromEnvironment(process.env, cwd);
    if (!settings.model.apiKey) {
      runtime.scriptedModel = await startScriptedModelServer({ respond: demoModelScript });
      settings.model = { ...settings.model, baseURL: runtime.scriptedModel.baseURL, apiKey: 'scripted', defaultModel: 'scripted' };
      options.log(SCRIPTED_MODEL_NOTICE);
    }
    const worker = await createWorker({ connection: target.workerConnection, namespace: target.namespace, taskQueue: options.taskQueue, settings });
    const running = worker.run();
    runtime.worker = worker;
    runtime.close = async () => {
      worker.shutdown();
      await running;
      await runtime.scriptedModel?.close();
      await target.close();
    };
  } catch (error) {
    await runtime.scriptedModel?.close();
    await target.close();
    throw error;
  }
  return runtime;
}
