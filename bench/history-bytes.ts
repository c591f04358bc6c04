import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

// A default import: @temporalio/proto is CommonJS, whose named exports Node's ESM loader cannot see.
const { temporal } = proto;

export type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

/** What one step added to history: from its model activity's scheduling to the next one's. */
export interface StepHistory {
  /** Bytes of the payloads (data and metadata) in the step's events. */
  payloadBytes: number;
  /** Bytes of the step's events as stored (protobuf-encoded). */
  eventBytes: number;
  events: number;
  activities: number;
  workflowTasks: number;
  /** Signals and updates received during the step. */
  messages: number;
}

/** Every event of a workflow, across its continue-as-new runs, oldest first. */
export async function fetchAllRuns(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const runs: HistoryEvent[][] = [];
  let runId: string | undefined;
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    runs.unshift(events);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    if (!runId) return runs.flat();
  }
}

function isPayload(value: object): value is { data: Uint8Array; metadata?: Record<string, Uint8Array> | null } {
  return 'data' in value && value.data instanceof Uint8Array && 'metadata' in value;
}

export function payloadBytes(value: unknown): number {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return 0;
  if (isPayload(value)) {
    const metadata = Object.entries(value.metadata ?? {}).reduce((sum, [key, bytes]) => sum + key.length + bytes.length, 0);
    return value.data.length + metadata;
  }
  let sum = 0;
  for (const item of Array.isArray(value) ? value : Object.values(value)) sum += payloadBytes(item);
  return sum;
}

export function eventBytes(event: HistoryEvent): number {
  return temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
}

/** Splits history into steps, each starting where an activity of type `modelActivity` is scheduled; events before the first are left out. */
export function stepHistories(events: HistoryEvent[], modelActivity: string): StepHistory[] {
  const steps: StepHistory[] = [];
  let current: StepHistory | undefined;
  for (const event of events) {
    const type = event.eventType;
    if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && event.activityTaskScheduledEventAttributes?.activityType?.name === modelActivity) {
      current = { payloadBytes: 0, eventBytes: 0, events: 0, activities: 0, workflowTasks: 0, messages: 0 };
      steps.push(current);
    }
    if (!current) continue;
    current.payloadBytes += payloadBytes(event);
    current.eventBytes += eventBytes(event);
    current.events += 1;
    if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) current.activities += 1;
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) current.workflowTasks += 1;
    if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED || type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
      current.messages += 1;
    }
  }
  return steps;
}

/** Whether the server suggested continue-as-new at some workflow task. */
export function continueAsNewSuggested(events: HistoryEvent[]): boolean {
  return events.some((event) => event.workflowTaskStartedEventAttributes?.suggestContinueAsNew === true);
}

export function totalEventBytes(events: HistoryEvent[]): number {
  return events.reduce((sum, event) => sum + eventBytes(event), 0);
}

export interface ActivityTiming {
  type: string;
  /** Scheduled to started: waiting in the task queue for a worker to poll it. */
  queuedMs: number;
  /** Started to completed (or failed): the activity's own run, as the server saw it. */
  runMs: number;
}

function timestampMs(time: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;
}

/** How long each activity waited and ran, from the server's event times. */
export function activityTimings(events: HistoryEvent[]): ActivityTiming[] {
  const byId = new Map<string, HistoryEvent>();
  for (const event of events) byId.set(String(event.eventId), event);
  const timings: ActivityTiming[] = [];
  for (const event of events) {
    const done = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes;
    if (!done) continue;
    const scheduled = byId.get(String(done.scheduledEventId));
    const started = byId.get(String(done.startedEventId));
    if (!scheduled || !started) continue;
    timings.push({
      type: scheduled.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
      queuedMs: timestampMs(started.eventTime) - timestampMs(scheduled.eventTime),
      runMs: timestampMs(event.eventTime) - timestampMs(started.eventTime),
    });
  }
  return timings;
}

/** How long each workflow task waited and ran (the worker's workflow code plus its round trip), from the server's event times. */
export function workflowTaskTimings(events: HistoryEvent[]): { queuedMs: number; runMs: number }[] {
  const byId = new Map<string, HistoryEvent>();
  for (const event of events) byId.set(String(event.eventId), event);
  const timings: { queuedMs: number; runMs: number }[] = [];
  for (const event of events) {
    const done = event.workflowTaskCompletedEventAttributes;
    if (!done) continue;
    const started = byId.get(String(done.startedEventId));
    const scheduled = byId.get(String(done.scheduledEventId));
    if (!started || !scheduled) continue;
    timings.push({
      queuedMs: timestampMs(started.eventTime) - timestampMs(scheduled.eventTime),
      runMs: timestampMs(event.eventTime) - timestampMs(started.eventTime),
    });
  }
  return timings;
}
