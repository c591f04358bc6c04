import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandle, type WorkflowStartOptions } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { sessionWorkflow } from '../workflows/session-workflow.js';
import { agentAttribute, ciRunAttribute } from '../workflows/search-attributes.js';
import type { ActivityTaskQueues, OnAsk, SessionInput } from '../workflows/session-types.js';
import type { CiRun } from './ci-run.js';
import { createSearchAttributesCommand, errorMessages, isUnknownSearchAttributeError } from './search-attribute-setup.js';
import { newSessionId } from './session-id.js';

const SUMMARY_LENGTH = 120;
const DETAILS_PROMPT_LENGTH = 4_000;

export interface SessionRequest {
  agent: string;
  prompt: string;
  /** Absolute path, as the worker sees it. */
  workspace: string;
  model?: string;
  maxSteps?: number;
  onAsk: OnAsk;
  /** A chosen id: a second start with it attaches to the session instead of starting another. */
  id?: string;
  ciRun?: CiRun;
  taskQueue: string;
  /** Model and tool calls on task queues of their own (`orca worker --role model|tools`). */
  taskQueues?: ActivityTaskQueues;
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** One line for the Web UI's workflow list and header: `build: Fix the flaky test in ci.yml`. */
export function sessionSummary(agent: string, prompt: string): string {
  const firstLine = prompt.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
  return clip(`${agent}: ${firstLine}`, SUMMARY_LENGTH);
}

/** Markdown for the Web UI's fixed details: the whole prompt and how the session was started. */
export function sessionStaticDetails(request: SessionRequest): string {
  const facts = [
    `agent \`${request.agent}\``,
    `workspace \`${request.workspace}\``,
    `on-ask \`${request.onAsk}\``,
    ...(request.model ? [`model \`${request.model}\``] : []),
    ...(request.maxSteps ? [`max steps ${request.maxSteps}`] : []),
    ...(request.ciRun ? [request.ciRun.url ? `CI run [${request.ciRun.id}](${request.ciRun.url})` : `CI run \`${request.ciRun.id}\``] : []),
  ];
  return [facts.join(' · '), '', '**Prompt**', '', clip(request.prompt, DETAILS_PROMPT_LENGTH)].join('\n');
}

export function sessionStartOptions(request: SessionRequest, workflowId: string): WorkflowStartOptions<typeof sessionWorkflow> {
  const input: SessionInput = {
    agent: request.agent,
    prompt: request.prompt,
    workspace: request.workspace,
    model: request.model,
    maxSteps: request.maxSteps,
    onAsk: request.onAsk,
    ciRunId: request.ciRun?.id,
    ...(request.taskQueues ? { taskQueues: request.taskQueues } : {}),
  };
  // Set at start so `orca list` finds the session before its first workflow task runs.
  const typedSearchAttributes: SearchAttributePair[] = [{ key: agentAttribute, value: request.agent }];
  if (request.ciRun) typedSearchAttributes.push({ key: ciRunAttribute, value: request.ciRun.id });
  return {
    taskQueue: request.taskQueue,
    workflowId,
    args: [input],
    typedSearchAttributes,
    staticSummary: sessionSummary(request.agent, request.prompt),
    staticDetails: sessionStaticDetails(request),
    ...(request.id
      ? {
          // A CI re-run attaches to the running session; a completed one is reported, not redone;
          // a failed, cancelled or timed-out one is started afresh under the same id.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        }
      : { workflowIdConflictPolicy: 'FAIL' }),
  };
}

export interface StartedSession {
  handle: WorkflowHandle<typeof sessionWorkflow>;
  workflowId: string;
  /** `started`: a new run; `attached`: the running session with this id; `completed`: it had already completed. */
  how: 'started' | 'attached' | 'completed';
}

export async function startSession(client: Client, request: SessionRequest): Promise<StartedSession> {
  const workflowId = request.id ?? newSessionId(request.agent);
  if (request.id) {
    const existing = await client.workflow.getHandle<typeof sessionWorkflow>(workflowId).describe().catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    });
    const handle = client.workflow.getHandle<typeof sessionWorkflow>(workflowId);
    if (existing?.status.name === 'RUNNING') return { handle, workflowId, how: 'attached' };
    if (existing?.status.name === 'COMPLETED') return { handle, workflowId, how: 'completed' };
  }
  try {
    const handle = await client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', sessionStartOptions(request, workflowId));
    return { handle, workflowId, how: 'started' };
  } catch (error) {
    // Another start with the same id won the race and has already completed.
    if (request.id && error instanceof WorkflowExecutionAlreadyStartedError) {
      return { handle: client.workflow.getHandle<typeof sessionWorkflow>(workflowId), workflowId, how: 'completed' };
    }
    if (isUnknownSearchAttributeError(error)) {
      throw new Error(
        `The Temporal server does not know Orca's search attributes (${errorMessages(error)}). ` +
          `Create them once: ${createSearchAttributesCommand(client.options.namespace)}`,
      );
    }
    // The client's own message is only "Failed to start Workflow"; the server's reason is in the causes.
    throw new Error(`Cannot start session ${workflowId}: ${errorMessages(error)}`, { cause: error });
  }
}
