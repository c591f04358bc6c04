import { patched } from '@temporalio/workflow';
import { evaluateWithSessionRules } from '../agents/evaluate-permission.js';
import type { Ruleset } from '../agents/permission-rule.js';
import { activity } from './activity-options.js';
import { describeAsks, type ApprovalQueue } from './approvals.js';
import type { DoomLoopDetector } from './doom-loop.js';
import type { MessageInput, PermissionAsk, SessionSettings, ToolCall } from './session-types.js';
import type { TaskDelegation } from './task-delegation.js';
import { summarizeToolCall } from './tool-call-summary.js';
import { describeArgumentError, isWorkflowTool, TaskArguments, TodoWriteArguments, type TodoItem } from './workflow-tools.js';

export interface ToolDispatchContext {
  settings: SessionSettings;
  /** The stored settings' reference, known after the first model call. */
  settingsRef(): string;
  /** Rules added while the session runs ("always" answers); shared with the session. */
  sessionRules: Ruleset;
  approvals: ApprovalQueue;
  delegation: TaskDelegation;
  doomLoop: DoomLoopDetector;
  todos: { get(): TodoItem[]; set(todos: TodoItem[]): void };
  depth: number;
  maxDepth: number;
  /** Where tool calls run, when not on the session's own task queue. */
  toolsTaskQueue?: string;
  /** Refreshes what the Web UI and queries show. */
  show(): void;
}

/** Carries out one tool call of the model: workflow tools here, the others as the runTool activity; always under the session's rules. */
export class ToolDispatcher {
  constructor(private readonly context: ToolDispatchContext) {}

  async run(call: ToolCall): Promise<MessageInput> {
    const summary = summarizeToolCall(call);
    const loopRefusal = await this.checkDoomLoop(call, summary);
    if (loopRefusal) return { role: 'tool', tool_call_id: call.id, content: loopRefusal };
    if (isWorkflowTool(call.name)) return { role: 'tool', tool_call_id: call.id, content: await this.runWorkflowTool(call, summary) };
    const approved: PermissionAsk[] = [];
    for (;;) {
      const result = await activity('runTool', summary, this.context.toolsTaskQueue)({
        settings: this.context.settingsRef(),
        call,
        sessionRules: this.context.sessionRules,
        ...(approved.length > 0 ? { approved } : {}),
      });
      if (result.status === 'done') return { ref: result.ref };
      const refusal = await this.awaitPermission(call, summary, result.asks, approved);
      if (refusal) return { role: 'tool', tool_call_id: call.id, content: refusal };
    }
  }

  /** Holds a call until it is allowed: asks a person when a rule says `ask`. Returns a refusal, or null when allowed. */
  private async awaitPermission(call: ToolCall, summary: string, asks: PermissionAsk[], approved: PermissionAsk[]): Promise<string | null> {
    const { approvals, sessionRules, show } = this.context;
    show();
    const answer = await approvals.request(call.name, summary, asks);
    show();
    if (answer.reply === 'reject') {
      return `The user did not allow ${summary} (it needs ${describeAsks(asks)}).${answer.message ? ` The user said: ${answer.message}` : ''}`;
    }
    if (answer.reply === 'always') {
      for (const ask of asks) sessionRules.push(...ask.always.map((pattern) => ({ permission: ask.permission, pattern, action: 'allow' as const })));
    }
    approved.push(...asks);
    return null;
  }

  /** task and todos change workflow state, so they run here, under the same rules as the activities. */
  private async runWorkflowTool(call: ToolCall, summary: string): Promise<string> {
    const { settings, sessionRules, depth, maxDepth, todos } = this.context;
    let args: unknown;
    try {
      args = JSON.parse(call.arguments || '{}');
    } catch {
      return `Invalid arguments for ${call.name}: not valid JSON (${call.arguments.slice(0, 200)}). Send a JSON object.`;
    }
    const parsed = call.name === 'task' ? TaskArguments.safeParse(args) : call.name === 'todowrite' ? TodoWriteArguments.safeParse(args) : { success: true as const, data: {} };
    if (!parsed.success) return describeArgumentError(call.name, parsed.error);
    const pattern = call.name === 'task' ? (parsed.data as TaskArguments).subagent_type : '*';
    if (call.name === 'task' && depth >= maxDepth) {
      return `Delegation refused: this session is ${depth} level(s) below its root and the depth limit is ${maxDepth}. Do the work yourself or report back what is needed.`;
    }
    const rule = evaluateWithSessionRules(call.name, pattern, settings.permission, sessionRules);
    if (rule.action === 'deny') return `Permission denied: ${call.name} "${pattern}" is not allowed for this agent. Do not retry it.`;
    if (rule.action === 'ask') {
      const refusal = await this.awaitPermission(call, summary, [{ permission: call.name, patterns: [pattern], always: [pattern] }], []);
      if (refusal) return refusal;
    }
    if (call.name === 'task') return this.context.delegation.run(parsed.data as TaskArguments);
    if (call.name === 'todowrite') todos.set((parsed.data as { todos: TodoItem[] }).todos);
    this.context.show();
    return JSON.stringify(todos.get(), null, 2);
  }

  /** `doom_loop` (default ask) guards against a model repeating one call; sessions older than the check skip it. */
  private async checkDoomLoop(call: ToolCall, summary: string): Promise<string | null> {
    const { settings, sessionRules, doomLoop } = this.context;
    if (!patched('doom-loop') || !doomLoop.record(call)) return null;
    const rule = evaluateWithSessionRules('doom_loop', call.name, settings.permission, sessionRules);
    if (rule.action === 'allow') return null;
    const refusal = `${summary} was called three times in a row with the same arguments and was stopped; try something different.`;
    if (rule.action === 'deny') return refusal;
    return this.awaitPermission(call, `${summary} (the third identical call in a row)`, [{ permission: 'doom_loop', patterns: [call.name], always: [call.name] }], []);
  }
}
