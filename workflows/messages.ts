import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PermissionAsk, TaskRecord, Usage } from './session-types.js';
import type { TodoItem } from './workflow-tools.js';

export type SessionState = 'running' | 'waiting-for-approval' | 'completed' | 'failed' | 'cancelled';

/** A tool call held until a person answers. Its id is `<session id>:<n>`, so it names the session it belongs to. */
export interface PendingApproval {
  id: string;
  sessionId: string;
  tool: string;
  summary: string;
  asks: PermissionAsk[];
}

export interface SessionStatus {
  sessionId: string;
  agent: string;
  state: SessionState;
  step: number;
  usage: Usage;
  /** This session's own approvals and those of every session below it. */
  pendingApprovals: PendingApproval[];
  tasks: TaskRecord[];
  todos: TodoItem[];
}

export interface ApprovalAnswer {
  id: string;
  reply: 'once' | 'always' | 'reject';
  /** With reject: a correction for the model, e.g. "use npm ci instead". */
  message?: string;
}

export const statusQuery = defineQuery<SessionStatus>('status');
export const todosQuery = defineQuery<TodoItem[]>('todos');
export const usageQuery = defineQuery<Usage>('usage');
/** The content-store reference of the conversation so far. */
export const conversationQuery = defineQuery<string | null>('conversation');

/** Answers an approval of this session or of any session below it. */
export const answerApprovalUpdate = defineUpdate<string, [ApprovalAnswer]>('answerApproval');
/** A follow-up prompt for a running session; resolves with the answer to it. */
export const sendPromptUpdate = defineUpdate<string, [string]>('sendPrompt');

/** Workflows cannot send updates, so answers travel down a delegation tree as signals. */
export const answerApprovalSignal = defineSignal<[ApprovalAnswer]>('answerApproval');
/** A child tells its parent which approvals wait below it, so they surface at the root. */
export const descendantApprovalsSignal = defineSignal<[{ sessionId: string; pending: PendingApproval[] }]>('descendantApprovals');
