import { configFromFlags, readPrompt, sessionRequest, type SessionFlags } from './run-command.js';
import { EXIT } from './exit-codes.js';
import { openSessionRuntime } from './session-runtime.js';
import { startSession } from './session-start.js';
import { workflowUrl } from './temporal-target.js';
import { hasRecentWorker, noWorkerWarning } from './worker-check.js';

const log = (line: string) => console.error(line);

/**
 * Starts a session and returns at once: prints its id (stdout, for `ID=$(orca start ...)`) and Web UI link.
 * It needs a server that outlives it, so it never starts the embedded one.
 */
export async function startCommand(promptArgument: string, options: SessionFlags): Promise<number> {
  const config = configFromFlags(options);
  const prompt = await readPrompt(promptArgument);
  const request = sessionRequest(prompt, options, config);
  const runtime = await openSessionRuntime({ config, worker: false, startServer: false, log });
  try {
    const { client } = runtime.target;
    const { workflowId, how } = await startSession(client, request);
    const url = workflowUrl(runtime.target, workflowId);
    if (options.json) {
      console.log(JSON.stringify({ workflowId, how, url, agent: request.agent, ...(request.ciRun ? { ciRunId: request.ciRun.id } : {}) }));
    } else {
      console.log(workflowId);
      const verb = { started: 'started', attached: 'is already running', completed: 'has already completed (use another --id to run again)' }[how];
      log(`Session ${workflowId} (${request.agent}) ${verb}\n  ${url}\n  Follow it: orca logs ${workflowId} --follow   ·   its answer: orca result ${workflowId} --wait`);
    }
    if (how === 'started' && (await hasRecentWorker(client, config.taskQueue)) === false) log(noWorkerWarning(config.taskQueue, runtime.target.address, false));
    return EXIT.success;
  } finally {
    await runtime.close();
  }
}
