import { NativeConnection, Worker } from '@temporalio/worker';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isServing, startDevServer } from '../client/dev-server.js';
import { EMBEDDED_ADDRESS, EMBEDDED_PORT, EMBEDDED_UI_PORT } from '../client/temporal-target.js';
import { PREBUILT_WORKFLOW_BUNDLE } from '../worker/create-worker.js';
import { isListening } from './port-probe.js';

// The floor under `orca run` on the embedded default: the same dev server (spawned by Orca's own
// startDevServer: same database path, ports and flags) ready, then Worker.create with the prebuilt
// bundle. Readiness is polled here every 20 ms, so the floor does not include startDevServer's own polling.
const orcaDir = process.argv[2]!;

async function ready(): Promise<void> {
  for (;;) {
    if ((await isListening(EMBEDDED_PORT)) && (await isServing(EMBEDDED_ADDRESS))) return;
    await sleep(20);
  }
}

async function run(): Promise<void> {
  const starting = startDevServer({
    dbFilename: path.join(orcaDir, 'temporal.db'),
    port: EMBEDDED_PORT,
    uiPort: EMBEDDED_UI_PORT,
    logFile: path.join(orcaDir, 'temporal-server.log'),
  });
  await Promise.race([ready(), starting]);
  const serverReady = performance.now();
  const connection = await NativeConnection.connect({ address: EMBEDDED_ADDRESS });
  const worker = await Worker.create({ connection, taskQueue: 'floor', workflowBundle: { codePath: PREBUILT_WORKFLOW_BUNDLE }, activities: {} });
  const workerCreated = performance.now();
  void worker;
  process.stdout.write(`ready ${JSON.stringify({ serverReadyMs: serverReady, workerCreateMs: workerCreated - serverReady })}\n`);
  const server = await starting;
  process.once('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
