import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createWorker, type WorkerTuning } from '../worker/create-worker.js';
import { createRawActivities } from './raw-activities.js';

/** What the bench hands a worker process: an Orca worker or a raw Temporal one, on its own task queue. */
export interface WorkerProcessConfig {
  kind: 'orca' | 'raw';
  address: string;
  taskQueue: string;
  modelBaseURL: string;
  storeDir: string;
  /** Orca: a workflow bundle other than the prebuilt one; raw: the raw workflows' bundle. */
  bundlePath?: string;
  tuning?: WorkerTuning;
  /** Context window of the scripted model, in tokens. */
  contextLimit?: number;
}

// Each worker runs in its own process, so its RSS is its own and it does not share an event loop
// with the scripted model and the client.
async function run(config: WorkerProcessConfig): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: config.address });
  const worker =
    config.kind === 'orca'
      ? await createWorker({
          connection,
          taskQueue: config.taskQueue,
          workflowBundlePath: config.bundlePath,
          tuning: config.tuning,
          settings: {
            storeDir: config.storeDir,
            outputDir: `${config.storeDir}-tool-output`,
            model: {
              baseURL: config.modelBaseURL,
              apiKey: 'bench',
              defaultModel: 'scripted',
              idleTimeoutMs: 120_000,
              ...(config.contextLimit ? { contextLimits: { scripted: config.contextLimit } } : {}),
            },
          },
        })
      : await Worker.create({
          connection,
          taskQueue: config.taskQueue,
          workflowBundle: { codePath: config.bundlePath! },
          activities: createRawActivities(config.modelBaseURL),
          ...config.tuning,
        });
  const running = worker.run();
  process.once('SIGTERM', () => worker.shutdown());
  // The bench holds our stdin open: when it ends, however it ends, this worker goes too.
  process.stdin.resume().once('end', () => process.exit(0));
  process.stdout.write('ready\n');
  try {
    await running;
  } finally {
    await connection.close();
  }
}

run(JSON.parse(process.argv[2] ?? '{}') as WorkerProcessConfig).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
