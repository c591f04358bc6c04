import type { Client } from '@temporalio/client';
// A CommonJS module: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';

const { temporal } = proto;

/** Whether any worker polled the task queue lately (the server remembers pollers for a few minutes); undefined if unknown. */
export async function hasRecentWorker(client: Client, taskQueue: string): Promise<boolean | undefined> {
  try {
    const response = await client.withDeadline(Date.now() + 5_000, () =>
      client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    return (response.pollers?.length ?? 0) > 0;
  } catch {
    return undefined;
  }
}

export function noWorkerWarning(taskQueue: string, address: string, inProcessHint = true): string {
  return `Warning: no worker has polled task queue "${taskQueue}" at ${address} lately; the session waits until one does ` +
    `(\`orca worker\` with TEMPORAL_ADDRESS, \`orca dev\`${inProcessHint ? ', or --worker to run one in this process' : ''}).`;
}
