import { EXIT } from './exit-codes.js';
import { describeSession, log, withSessions, type ConnectionFlags } from './session-lookup.js';
import { statusName } from './status-command.js';

/** `orca cancel ID`: asks the session to stop; it cancels its running calls and child sessions and ends as cancelled. */
export async function cancelCommand(workflowId: string, options: ConnectionFlags & { wait?: boolean }): Promise<number> {
  return withSessions(options, async (runtime) => {
    const handle = runtime.target.client.workflow.getHandle(workflowId);
    const description = await describeSession(runtime, handle);
    if (description.status.name !== 'RUNNING') {
      log(`Session ${workflowId} is not running (${statusName(description)}); nothing to cancel.`);
      return EXIT.success;
    }
    await handle.cancel();
    log(`Cancellation of ${workflowId} requested.`);
    if (!options.wait) return EXIT.success;
    await handle.result().catch(() => {});
    const after = await handle.describe();
    log(`Session ${workflowId} is ${statusName(after)}.`);
    return after.status.name === 'CANCELLED' ? EXIT.success : EXIT.failed;
  });
}
