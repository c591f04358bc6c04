import { CancellationScope, ChildWorkflowFailure, executeChild, ParentClosePolicy } from '@temporalio/workflow';
import type { SessionInput, SessionResult, TaskRecord } from './session-types.js';
import { taskResult } from './task-result.js';
import type { TaskArguments } from './workflow-tools.js';

export interface DelegationContext {
  sessionId: string;
  rootSessionId: string;
  input: SessionInput;
  /** Subagents this session may delegate to. */
  subagents: string[];
  /** A child has ended: whatever it was waiting on is gone with it. */
  onChildEnded(childSessionId: string): void;
}

function failureMessage(error: unknown): string {
  if (error instanceof ChildWorkflowFailure && error.cause) return failureMessage(error.cause);
  return error instanceof Error ? error.message : String(error);
}

/** `task` calls: each starts (or resumes) a child session workflow whose id is derived from this session's. */
export class TaskDelegation {
  private readonly tasks: Map<string, TaskRecord>;
  private count: number;

  constructor(private readonly context: DelegationContext, records: TaskRecord[] = []) {
    this.tasks = new Map(records.map((record) => [record.id, record]));
    this.count = records.length;
  }

  get records(): TaskRecord[] {
    return [...this.tasks.values()];
  }

  /** Runs the task and returns the text for the parent's model; a failed child is an error result, not a failed parent. */
  async run(args: TaskArguments): Promise<string> {
    const { input, sessionId } = this.context;
    let record: TaskRecord;
    if (args.task_id) {
      const existing = this.tasks.get(args.task_id);
      if (!existing) {
        const known = [...this.tasks.keys()];
        return `Unknown task_id "${args.task_id}". ${known.length ? `Tasks of this session: ${known.join(', ')}.` : 'This session has no tasks yet; omit task_id to start one.'}`;
      }
      record = existing;
    } else {
      if (!this.context.subagents.includes(args.subagent_type)) {
        return `Unknown subagent "${args.subagent_type}". Available subagents: ${this.context.subagents.join(', ') || 'none'}.`;
      }
      record = { id: `${sessionId}/${args.subagent_type}-${++this.count}`, agent: args.subagent_type, description: args.description };
      this.tasks.set(record.id, record);
    }

    const childInput: SessionInput = {
      agent: record.agent,
      prompt: args.prompt,
      workspace: input.workspace,
      model: input.model,
      agentsSnapshot: input.agentsSnapshot,
      onAsk: input.onAsk,
      rules: input.rules,
      depth: (input.depth ?? 0) + 1,
      maxDepth: input.maxDepth,
      rootSessionId: this.context.rootSessionId,
      ciRunId: input.ciRunId,
      taskQueues: input.taskQueues,
      ...(record.conversation ? { resume: { conversation: record.conversation } } : {}),
    };
    try {
      const result: SessionResult = await executeChild('sessionWorkflow', {
        workflowId: record.id,
        args: [childInput],
        staticSummary: `${record.agent}: ${args.description}`,
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      });
      record.conversation = result.conversation;
      return taskResult(record.id, { text: result.text });
    } catch (error) {
      // This session being cancelled cancels its children; a child cancelled on its own is just a failed task.
      if (CancellationScope.current().consideredCancelled) throw error;
      return taskResult(record.id, { error: failureMessage(error) });
    } finally {
      this.context.onChildEnded(record.id);
    }
  }
}
