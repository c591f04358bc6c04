import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const decoder = new TextDecoder();
const { EventType } = temporal.api.enums.v1;

/** The results of one activity type's completed calls, in order, decoded from the workflow's history. */
export async function activityResults<T>(handle: WorkflowHandle, activityType: string): Promise<T[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = new Map(events
    .filter((event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    .map((event) => [String(event.eventId), event.activityTaskScheduledEventAttributes?.activityType?.name]));
  return events
    .filter((event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
    .filter((event) => scheduled.get(String(event.activityTaskCompletedEventAttributes?.scheduledEventId)) === activityType)
    .map((event) => JSON.parse(decoder.decode(event.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data ?? new Uint8Array())) as T);
}
