import type { AgentInfo } from '../agents/agent-info.js';
import type { Ruleset } from '../agents/permission-rule.js';
import type { TodoItem } from './workflow-tools.js';

/** What `orca run` / `orca start` hands to a new session. */
export interface SessionInput {
  agent: string;
  prompt: string;
  /** Absolute path of the directory the tools work in. */
  workspace: string;
  /** Model name for agents that do not name one (e.g. `gpt-4.1`). */
  model?: string;
  /** Overrides the agent's step limit. */
  maxSteps?: number;
  /** The agent registry snapshot taken when the root session started; children reuse their parent's. */
  agentsSnapshot?: string;
  /** What to do when a tool call needs a person's approval: wait for it, refuse the call, or fail the session. */
  onAsk?: OnAsk;
  /** Rules set by whoever started the session; their denies also bind every child session. */
  rules?: Ruleset;
  /** How deep this session is in a delegation tree (0 for a root session). */
  depth?: number;
  /** Deepest level a delegation may reach. */
  maxDepth?: number;
  rootSessionId?: string;
  ciRunId?: string;
  /** Continue an earlier conversation instead of starting a new one. */
  resume?: SessionCarry;
  /** Continue as new after this many steps in one run, besides when Temporal suggests it. */
  continueAsNewAfterSteps?: number;
  /** Task queues of model calls and of tool calls, when they run on workers of their own. */
  taskQueues?: ActivityTaskQueues;
}

/**
 * Model calls can run anywhere but are rate limited; tool calls must run where the workspace is.
 * Unset, both run on the session's own task queue.
 */
export interface ActivityTaskQueues {
  model?: string;
  tools?: string;
}

/** A delegated task: the child session's workflow id and where its conversation stands. */
export interface TaskRecord {
  id: string;
  agent: string;
  description: string;
  conversation?: string;
}

/** What a session carries into a resumed run or across continue-as-new. */
export interface SessionCarry {
  conversation: string;
  /** Set when continuing mid-turn: the messages not yet sent to the model. The prompt was already sent. */
  pending?: MessageInput[];
  stepsInTurn?: number;
  totalSteps?: number;
  usage?: Usage;
  todos?: TodoItem[];
  sessionRules?: Ruleset;
  tasks?: TaskRecord[];
  /** The last tool calls, for the doom-loop check. */
  recentCalls?: string[];
  /** How many approvals the session has asked for, so approval ids stay unique. */
  approvalCount?: number;
}

export type OnAsk = 'wait' | 'deny' | 'fail';

export interface LoadAgentsInput {
  workspace: string;
  /** Content-store reference of an earlier snapshot to reuse. */
  snapshot?: string;
}

export interface AgentSnapshot {
  ref: string;
  agents: AgentInfo[];
  /** Agent files that failed to load, `file:line: field "x": why`. */
  errors?: string[];
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** USD, when the model's price is configured (ORCA_MODEL_PRICES). */
  costUsd?: number;
}

export type StopReason = 'final-answer' | 'step-limit';

export interface SessionResult {
  sessionId: string;
  agent: string;
  text: string;
  steps: number;
  stopReason: StopReason;
  usage: Usage;
  /** Head of the stored conversation: a later run can resume it. */
  conversation: string;
  todos: TodoItem[];
}

export interface SubagentSummary {
  name: string;
  description?: string;
}

/** Fixed for a whole session: stored once in the content store, referenced by every step. */
export interface SessionSettings {
  workspace: string;
  model?: string;
  temperature?: number;
  topP?: number;
  tools: string[];
  subagents: SubagentSummary[];
  permission: Ruleset;
}

/** A message body either inline or already in the content store. */
export type MessageInput =
  | { ref: string }
  | { role: 'system' | 'user'; content: string }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface InvokeModelInput {
  /** The settings themselves on the first step, their content-store reference afterwards. */
  settings: SessionSettings | string;
  /** Head of the stored conversation, null before the first step. */
  conversation: string | null;
  /** Messages to add before calling the model (the prompt, tool results). */
  append: MessageInput[];
  step: number;
  /** The last allowed step: no tools are offered. */
  toolsDisabled?: boolean;
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface InvokeModelResult {
  settings: string;
  conversation: string;
  model: string;
  text: string;
  toolCalls: ToolCall[];
  /** Includes the summary call when the conversation was compacted. */
  usage: Usage;
  /** Older turns were summarised: `conversation` starts a new stored conversation. */
  compacted?: boolean;
}

/** What a tool call needs allowed, e.g. `{ permission: 'bash', patterns: ['npm test'] }`. */
export interface PermissionAsk {
  permission: string;
  patterns: string[];
  /** Patterns an "always" reply would allow from now on. */
  always: string[];
}

export interface RunToolInput {
  settings: string;
  call: ToolCall;
  /** Rules added while the session runs ("always" approvals); evaluated after the agent's. */
  sessionRules: Ruleset;
  /** Asks a person approved once for this very call. */
  approved?: PermissionAsk[];
}

export type RunToolResult =
  | {
      status: 'done';
      /** Content-store reference of the tool message for the conversation. */
      ref: string;
      ok: boolean;
      title: string;
      /** The first few hundred characters, for people reading the history. */
      preview: string;
    }
  | { status: 'ask'; asks: PermissionAsk[] };
