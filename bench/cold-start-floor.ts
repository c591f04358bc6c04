import { NativeConnection, Worker } from '@temporalio/worker';
import path from 'node:path';
import { startDevServer } from '../client/dev-server.js';
import { EMBEDDED_PORT, EMBEDDED_UI_PORT } from '../client/temporal-target.js';
import { PREBUILT_WORKFLOW_BUNDLE } from '../worker/create-worker.js';

// The floor under `orca run` on the embedded default: the same dev server (same database path,
// ports and flags) ready, then Worker.create with the prebuilt bundle. Nothing else.
const orcaDir = process.argv[2]!;

async function run(): Promise<void> {
  const server = await startDevServer({
    dbFilename: path.join(orcaDir, 'temporal.db'),
    port: EMBEDDED_PORT,
    uiPort: EMBEDDED_UI_PORT,
    logFile: path.join(orcaDir, 'temporal-server.log'),
  });
  const serverReady = performance.now();
  const connection = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({ connection, taskQueue: 'floor', workflowBundle: { codePath: PREBUILT_WORKFLOW_BUNDLE }, activities: {} });
  const workerCreated = performance.now();
  void worker;
  process.stdout.write(`ready ${JSON.stringify({ serverReadyMs: serverReady, workerCreateMs: workerCreated - serverReady })}\n`);
  process.once('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
