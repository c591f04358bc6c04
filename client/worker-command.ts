import { NativeConnection } from '@temporalio/worker';
import { createWorker } from '../worker/create-worker.js';
import { workerSettingsFromEnvironment } from '../worker/worker-settings.js';
import { loadConfig } from './config.js';

/** A standalone worker against TEMPORAL_ADDRESS; run several on one task queue to scale out. */
export async function workerCommand(options: { taskQueue?: string }): Promise<number> {
  const config = loadConfig({ flags: { taskQueue: options.taskQueue } });
  const address = config.temporalAddress;
  const taskQueue = config.taskQueue;
  if (!address) {
    console.error('orca worker needs TEMPORAL_ADDRESS (host:port of the Temporal frontend). For a local setup use `orca dev`.');
    return 2;
  }
  const settings = workerSettingsFromEnvironment();
  if (!settings.model.apiKey) console.error('Warning: OPENAI_API_KEY is not set; model calls will be rejected by the endpoint.');
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await createWorker({ connection, namespace: config.namespace, taskQueue, settings });
    console.error(`Orca worker polling task queue "${taskQueue}" at ${address} (model endpoint ${settings.model.baseURL}). Ctrl-C stops it.`);
    await worker.run();
    return 0;
  } finally {
    await connection.close();
  }
}
