import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import path from 'node:path';
import { createWorker } from '../worker/create-worker.js';
import { workerSettingsFromEnvironment } from '../worker/worker-settings.js';
import { loadConfig, type OrcaConfig } from './config.js';
import { demoModelScript } from './demo-model-script.js';
import { startScriptedModelServer, type ScriptedModelServer } from './scripted-model-server.js';
import { connectTemporal, type TemporalTarget } from './temporal-target.js';

export const SCRIPTED_MODEL_NOTICE =
  '[scripted model] OPENAI_API_KEY is not set: answers come from Orca\'s scripted demo model, not from an LLM.';

export interface SessionRuntime {
  target: TemporalTarget;
  taskQueue: string;
  config: OrcaConfig;
  /** Set when this process runs a worker itself. */
  worker?: Worker;
  scriptedModel?: ScriptedModelServer;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Run a worker in this process; the default when Orca uses the embedded server. */
  worker?: boolean;
  /**
   * Start the embedded dev server when no server runs. Default: only when this process runs a
   * worker, so commands that only read or answer (status, approve...) never start one just to look.
   */
  startServer?: boolean;
  /** Overrides the configured task queue. */
  taskQueue?: string;
  /** Flags, environment and `.orca/config.json` already resolved; loaded here when omitted. */
  config?: OrcaConfig;
  cwd?: string;
  log(line: string): void;
}

let runtimeInstalled = false;

export async function openSessionRuntime(options: RuntimeOptions): Promise<SessionRuntime> {
  const cwd = options.cwd ?? process.cwd();
  const config = options.config ?? loadConfig({ cwd });
  const taskQueue = options.taskQueue ?? config.taskQueue;
  const address = config.temporalAddress;
  const runWorker = options.worker ?? !address;
  if (runWorker && !runtimeInstalled) {
    // The worker's routine logs (and its warning for every failed session) would drown the session's own progress lines.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const target = await connectTemporal({
    address,
    namespace: config.namespace,
    webUiUrl: config.webUiUrl,
    orcaDir: path.join(config.projectDir, '.orca'),
    startServer: options.startServer ?? runWorker,
    worker: runWorker,
    log: options.log,
  });
  const runtime: SessionRuntime = { target, taskQueue, config, close: () => target.close() };
  if (!runWorker) return runtime;

  try {
    const settings = workerSettingsFromEnvironment(process.env, config.projectDir);
    if (!settings.model.apiKey) {
      runtime.scriptedModel = await startScriptedModelServer({ respond: demoModelScript });
      settings.model = { ...settings.model, baseURL: runtime.scriptedModel.baseURL, apiKey: 'scripted', defaultModel: 'scripted' };
      options.log(SCRIPTED_MODEL_NOTICE);
    }
    const worker = await createWorker({ connection: target.workerConnection!, namespace: target.namespace, taskQueue, settings });
    // A worker that fails on its own is reported when the runtime closes, not as an unhandled rejection.
    const running = worker.run().then(
      () => undefined,
      (error: unknown) => error,
    );
    runtime.worker = worker;
    runtime.close = async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      const failure = await running;
      await runtime.scriptedModel?.close();
      await target.close();
      if (failure) options.log(`The in-process worker stopped with an error: ${(failure as Error).message ?? failure}`);
    };
  } catch (error) {
    await runtime.scriptedModel?.close();
    await target.close();
    throw error;
  }
  return runtime;
}
