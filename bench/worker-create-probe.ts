import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { PREBUILT_WORKFLOW_BUNDLE } from '../worker/create-worker.js';

// Times Worker.create in a fresh process: with a prebuilt bundle, or bundling the workflows at start.
const [address, kind, rawBundlePath] = process.argv.slice(2) as [string, string, string];

const sources: Record<string, { codePath: string } | { workflowsPath: string }> = {
  'orca-prebuilt': { codePath: PREBUILT_WORKFLOW_BUNDLE },
  'orca-bundling': { workflowsPath: fileURLToPath(new URL('../workflows/index.js', import.meta.url)) },
  'raw-prebuilt': { codePath: rawBundlePath },
  'raw-bundling': { workflowsPath: fileURLToPath(new URL('./raw-workflows.js', import.meta.url)) },
};

async function run(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address });
  const source = sources[kind];
  if (!source) throw new Error(`Unknown probe kind ${kind}; expected one of ${Object.keys(sources).join(', ')}`);
  const started = performance.now();
  const worker = await Worker.create({
    connection,
    taskQueue: `probe-${kind}-${process.pid}`,
    ...('workflowsPath' in source ? { workflowsPath: source.workflowsPath } : { workflowBundle: source }),
  });
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ kind, ms })}\n`);
  // Creating it is all that is timed; the process exits without running it.
  void worker;
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
