import type { LoadedDataConverter } from '@temporalio/common';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow/codec-helpers.js';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import type { InvokeModelResult, PermissionAsk, RunToolResult } from '../workflows/session-types.js';
// A CommonJS module: Node's ESM loader sees only its default export.
import proto, { type temporal as TemporalApi } from '@temporalio/proto';

const { temporal } = proto;

type HistoryEvent = TemporalApi.api.history.v1.IHistoryEvent;
type Payload = TemporalApi.api.common.v1.IPayload;
const EventType = temporal.api.enums.v1.EventType;

export interface HistoryLine {
  /** Milliseconds since the epoch, from the event. */
  time?: number;
  text: string;
}

function duration(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function describeAsks(asks: PermissionAsk[]): string {
  return asks.map((ask) => `${ask.permission} ${ask.patterns.map((pattern) => `"${pattern}"`).join(', ')}`).join('; ');
}

function firstLine(text: string | null | undefined): string {
  return (text ?? '').split('\n')[0]!.slice(0, 200);
}

/**
 * Turns a session's history events into the lines `orca logs` and `orca run` print: the activities
 * with the summaries the Web UI shows, child sessions, approvals answered, and how the session ended.
 * Keeps what it needs to pair a completion with what it completes.
 */
export class HistoryLines {
  private readonly scheduled = new Map<string, { label: string; type?: string; time?: number }>();
  private readonly children = new Map<string, string>();

  /** The client's converter, with its codecs: payloads are encrypted when ORCA_ENCRYPTION_KEY is set. */
  constructor(private readonly converter: LoadedDataConverter) {}

  private async decode(payload: Payload | null | undefined): Promise<unknown> {
    if (!payload) return undefined;
    try {
      return await decodeOptionalSinglePayload(this.converter, payload);
    } catch {
      return undefined;
    }
  }

  private async summary(event: HistoryEvent): Promise<string | undefined> {
    const value = await this.decode(event.userMetadata?.summary);
    return typeof value === 'string' && value.trim() ? value : undefined;
  }

  private activity(scheduledEventId: unknown): { label: string; type?: string; time?: number } {
    return this.scheduled.get(String(scheduledEventId)) ?? { label: 'activity' };
  }

  private child(initiatedEventId: unknown, workflowId: string | null | undefined): string {
    return this.children.get(String(initiatedEventId)) ?? `child ${workflowId ?? ''}`;
  }

  /** What a model step or a tool call came to, read from the activity's result. */
  private completion(type: string | undefined, label: string, took: string, result: unknown): string {
    if (type === 'runTool' && result && typeof result === 'object') {
      const tool = result as Partial<RunToolResult>;
      if (tool.status === 'ask') return `⏸ ${label}${took}: needs approval (${describeAsks(tool.asks ?? [])})`;
      if (tool.status === 'done' && tool.ok === false) return `✗ ${label}${took}: ${firstLine(tool.title) || 'failed'}`;
    }
    if (type === 'invokeModel' && result && typeof result === 'object') {
      const reply = result as Partial<InvokeModelResult>;
      const calls = reply.toolCalls?.length ?? 0;
      return `✓ ${label}${took} → ${calls > 0 ? `${calls} tool call${calls === 1 ? '' : 's'}` : 'answer'}${reply.compacted ? ' (conversation compacted)' : ''}`;
    }
    return `✓ ${label}${took}`;
  }

  /** The line for one event, or undefined for the bookkeeping events people do not need to read. */
  async line(event: HistoryEvent): Promise<HistoryLine | undefined> {
    const time = optionalTsToMs(event.eventTime);
    const text = await this.text(event, time);
    return text === undefined ? undefined : { time, text };
  }

  private async text(event: HistoryEvent, time: number | undefined): Promise<string | undefined> {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const attributes = event.workflowExecutionStartedEventAttributes;
        const summary = await this.summary(event);
        if (attributes?.continuedExecutionRunId) return `■ continued as a new run${summary ? `: ${summary}` : ''}`;
        return `■ session started${summary ? `: ${summary}` : ''}`;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const type = event.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined;
        const label = (await this.summary(event)) ?? type ?? 'activity';
        this.scheduled.set(String(event.eventId), { label, type, time });
        return `▸ ${label}`;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const attributes = event.activityTaskCompletedEventAttributes;
        const { label, type, time: started } = this.activity(attributes?.scheduledEventId);
        const took = started !== undefined && time !== undefined ? ` (${duration(time - started)})` : '';
        return this.completion(type, label, took, await this.decode(attributes?.result?.payloads?.[0]));
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
        const attributes = event.activityTaskFailedEventAttributes;
        const failure = attributes?.failure;
        const reason = failure?.cause?.message || failure?.message;
        return `✗ ${this.activity(attributes?.scheduledEventId).label}: ${firstLine(reason) || 'failed'}`;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        return `✗ ${this.activity(event.activityTaskTimedOutEventAttributes?.scheduledEventId).label}: timed out`;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        return `✗ ${this.activity(event.activityTaskCanceledEventAttributes?.scheduledEventId).label}: cancelled`;
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: {
        const workflowId = event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? '';
        const summary = await this.summary(event);
        const label = `${workflowId}${summary ? ` (${summary})` : ''}`;
        this.children.set(String(event.eventId), label);
        return `↳ child session ${label}`;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED: {
        const attributes = event.childWorkflowExecutionCompletedEventAttributes;
        return `↳ ✓ ${this.child(attributes?.initiatedEventId, attributes?.workflowExecution?.workflowId)} completed`;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED: {
        const attributes = event.childWorkflowExecutionFailedEventAttributes;
        const failure = attributes?.failure;
        return `↳ ✗ ${this.child(attributes?.initiatedEventId, attributes?.workflowExecution?.workflowId)} failed: ${firstLine(failure?.cause?.message || failure?.message)}`;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED: {
        const attributes = event.childWorkflowExecutionCanceledEventAttributes;
        return `↳ ✗ ${this.child(attributes?.initiatedEventId, attributes?.workflowExecution?.workflowId)} cancelled`;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED: {
        const attributes = event.childWorkflowExecutionTerminatedEventAttributes;
        return `↳ ✗ ${this.child(attributes?.initiatedEventId, attributes?.workflowExecution?.workflowId)} terminated`;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT: {
        const attributes = event.childWorkflowExecutionTimedOutEventAttributes;
        return `↳ ✗ ${this.child(attributes?.initiatedEventId, attributes?.workflowExecution?.workflowId)} timed out`;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
        const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
        const name = request?.input?.name ?? 'update';
        const argument = await this.decode(request?.input?.args?.payloads?.[0]);
        if (name === 'answerApproval' && argument && typeof argument === 'object') {
          const answer = argument as { id?: string; reply?: string; message?: string };
          const verb = answer.reply === 'reject' ? 'denied' : answer.reply === 'always' ? 'approved (always)' : 'approved';
          return `✓ ${answer.id ?? 'approval'} ${verb}${answer.message ? `: ${firstLine(answer.message)}` : ''}`;
        }
        if (name === 'sendPrompt' && typeof argument === 'string') return `✉ follow-up prompt: ${firstLine(argument)}`;
        return `✉ ${name}`;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: {
        const name = event.workflowExecutionSignaledEventAttributes?.signalName ?? 'signal';
        // Answers and approvals travelling inside a delegation tree are internal.
        return name === 'answerApproval' || name === 'descendantApprovals' ? undefined : `✉ signal ${name}`;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        return `■ cancellation requested${event.workflowExecutionCancelRequestedEventAttributes?.cause ? `: ${event.workflowExecutionCancelRequestedEventAttributes.cause}` : ''}`;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED: {
        const failure = event.workflowTaskFailedEventAttributes?.failure;
        return `! workflow task failed (the worker retries it): ${firstLine(failure?.message)}`;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        return '■ session completed';
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: {
        const failure = event.workflowExecutionFailedEventAttributes?.failure;
        return `■ session failed: ${firstLine(failure?.message)}`;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
        return '■ session cancelled';
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
        return `■ session terminated${event.workflowExecutionTerminatedEventAttributes?.reason ? `: ${event.workflowExecutionTerminatedEventAttributes.reason}` : ''}`;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
        return '■ session timed out';
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        return '■ continuing as a new run (history kept short)';
      default:
        return undefined;
    }
  }
}

/** Events after which the run has ended. */
export function isCloseEvent(event: HistoryEvent): boolean {
  return [
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
  ].includes(event.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED);
}

/** The run a continue-as-new moved to. */
export function continuedRunId(event: HistoryEvent): string | undefined {
  return event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
}
