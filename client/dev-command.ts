import { openSessionRuntime } from './session-runtime.js';

/** Keeps the embedded server (and its Web UI) and a worker running until interrupted. */
export async function devCommand(options: { taskQueue?: string }): Promise<number> {
  const log = (line: string) => console.error(line);
  const runtime = await openSessionRuntime({ worker: true, taskQueue: options.taskQueue, log });
  log(`Temporal at ${runtime.target.address}, Web UI at ${runtime.target.webUiUrl}; worker on task queue "${runtime.taskQueue}". Ctrl-C stops.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('Stopping...');
  await runtime.close();
  return 0;
}
