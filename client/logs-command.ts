import { EXIT } from './exit-codes.js';
import { describeSession, log, withSessions, type ConnectionFlags } from './session-lookup.js';
import { awaitOutcome, exitCodeForOutcome } from './session-outcome.js';
import { followSession } from './session-progress.js';

export interface LogsOptions extends ConnectionFlags {
  follow?: boolean;
}

/**
 * `orca logs ID`: what the session did, from its history: model steps and tool calls with their
 * summaries, child sessions, approvals asked and answered. `--follow` keeps printing until the end
 * and then exits like `orca result` would.
 */
export async function logsCommand(workflowId: string, options: LogsOptions): Promise<number> {
  return withSessions(options, async (runtime) => {
    const { client } = runtime.target;
    const handle = client.workflow.getHandle(workflowId);
    await describeSession(runtime, handle);
    // The log is the output here, so it goes to stdout.
    const progress = followSession(client, workflowId, (line) => console.log(line), { follow: options.follow ?? false });
    const stopOnSignal = () => void progress.stop();
    process.once('SIGINT', stopOnSignal);
    try {
      await progress.done;
    } finally {
      process.off('SIGINT', stopOnSignal);
    }
    if (!options.follow) return EXIT.success;
    const outcome = await awaitOutcome(client, handle, 0);
    if (outcome.status === 'running') log(`Stopped following ${workflowId}; it is still running.`);
    return exitCodeForOutcome(outcome);
  });
}
