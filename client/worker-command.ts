import { NativeConnection } from '@temporalio/worker';
import { createWorker, type WorkerRole } from '../worker/create-worker.js';
import { workerSettingsFromEnvironment } from '../worker/worker-settings.js';
import { loadConfig, type OrcaConfig } from './config.js';

/** The task queue a worker of this role polls; model and tools roles need their queue configured. */
function queueOfRole(role: WorkerRole, config: OrcaConfig): string | { missing: string } {
  if (role === 'model') return config.modelTaskQueue ?? { missing: 'ORCA_MODEL_TASK_QUEUE' };
  if (role === 'tools') return config.toolsTaskQueue ?? { missing: 'ORCA_TOOLS_TASK_QUEUE' };
  return config.taskQueue;
}

/** A standalone worker against TEMPORAL_ADDRESS; run several on one task queue to scale out. */
export async function workerCommand(options: { taskQueue?: string; role?: WorkerRole }): Promise<number> {
  const config = loadConfig({ flags: { taskQueue: options.taskQueue } });
  const address = config.temporalAddress;
  const role = options.role ?? 'all';
  if (!address) {
    console.error('orca worker needs TEMPORAL_ADDRESS (host:port of the Temporal frontend). For a local setup use `orca dev`.');
    return 2;
  }
  const taskQueue = queueOfRole(role, config);
  if (typeof taskQueue !== 'string') {
    console.error(`orca worker --role ${role} needs ${taskQueue.missing} (or its .orca/config.json field), set to the same queue for the clients that start sessions.`);
    return 2;
  }
  const settings = workerSettingsFromEnvironment();
  if ((role === 'all' || role === 'model') && !settings.model.apiKey) console.error('Warning: OPENAI_API_KEY is not set; model calls will be rejected by the endpoint.');
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await createWorker({ connection, namespace: config.namespace, taskQueue, settings, role });
    const runs = role === 'all' ? '' : ` (${role} only)`;
    const endpoint = role === 'all' || role === 'model' ? ` (model endpoint ${settings.model.baseURL})` : '';
    console.error(`Orca worker polling task queue "${taskQueue}"${runs} at ${address}${endpoint}. Ctrl-C stops it.`);
    await worker.run();
    return 0;
  } finally {
    await connection.close();
  }
}
