import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PermissionAsk, Usage } from './session-types.js';

export type SessionState = 'running' | 'waiting-for-approval' | 'completed' | 'failed';

/** A tool call held until a person answers; its id is unique within the session. */
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
  pendingApprovals: PendingApproval[];
}

export interface ApprovalAnswer {
  id: string;
  reply: 'once' | 'always' | 'reject';
  /** With reject: a correction for the model, e.g. "use npm ci instead". */
  message?: string;
}

export const statusQuery = defineQuery<SessionStatus>('status');
export const answerApprovalUpdate = defineUpdate<string, [ApprovalAnswer]>('answerApproval');
