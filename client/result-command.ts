import { reportOutcome } from './outcome-report.js';
import { describeSession, log, withSessions, type ConnectionFlags } from './session-lookup.js';
import { awaitOutcome } from './session-outcome.js';
import { followSession } from './session-progress.js';
import { workflowUrl } from './temporal-target.js';

export interface ResultOptions extends ConnectionFlags {
  wait?: boolean;
  /** Milliseconds; with --wait, give up after this long (the session keeps running). */
  timeout?: number;
  json?: boolean;
  quiet?: boolean;
}

/**
 * `orca result ID`: the answer of a completed session (exit 0), or why there is none: failed 1,
 * cancelled 3, waiting for approval 4, still running 5. `--wait` waits for the end, printing progress.
 */
export async function resultCommand(workflowId: string, options: ResultOptions): Promise<number> {
  return withSessions(options, async (runtime) => {
    const { client } = runtime.target;
    const handle = client.workflow.getHandle(workflowId);
    const description = await describeSession(runtime, handle);
    const following = options.wait && description.status.name === 'RUNNING' && !options.quiet;
    const progress = following ? followSession(client, workflowId, log, { follow: true }) : undefined;
    try {
      const outcome = await awaitOutcome(client, handle, options.wait ? options.timeout : 0);
      if (progress && outcome.status !== 'running') await Promise.race([progress.done.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      await progress?.stop();
      return reportOutcome(outcome, { workflowId, url: workflowUrl(runtime.target, workflowId), json: options.json ?? false, log });
    } finally {
      await progress?.stop();
    }
  });
}
