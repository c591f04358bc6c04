import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const decoder = new TextDecoder();

export interface ActivityEvent {
  type: string;
  summary?: string;
}

/** The activities a workflow scheduled, in order, with the summaries the Web UI shows. */
export async function activityEvents(handle: WorkflowHandle): Promise<ActivityEvent[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .filter((event) => event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    .map((event) => {
      const data = event.userMetadata?.summary?.data;
      return {
        type: event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
        summary: data ? (JSON.parse(decoder.decode(data)) as string) : undefined,
      };
    });
}
