import {
  ApplicationFailure,
  condition,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  patched,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AgentInfo } from '../agents/agent-info.js';
import { findAgent } from '../agents/agent-registry.js';
import { evaluatePermission } from '../agents/evaluate-permission.js';
import type { Ruleset } from '../agents/permission-rule.js';
import { activity } from './activity-options.js';
import { ApprovalQueue, describeAsks } from './approvals.js';
import {
  answerApprovalSignal,
  answerApprovalUpdate,
  conversationQuery,
  descendantApprovalsSignal,
  sendPromptUpdate,
  statusQuery,
  todosQuery,
  usageQuery,
  type SessionState,
  type SessionStatus,
} from './messages.js';
import { DoomLoopDetector } from './doom-loop.js';
import { promptTooLarge } from './prompt-limit.js';
import { PromptQueue } from './prompt-queue.js';
import { sessionAttributes, sessionMemo, statusAttributes } from './session-attributes.js';
import { sessionDetails } from './session-details.js';
import { DEFAULT_MAX_DEPTH, sessionSettings } from './session-settings.js';
import type { MessageInput, PermissionAsk, SessionInput, SessionResult, SessionSettings, ToolCall, Usage } from './session-types.js';
import { TaskDelegation } from './task-delegation.js';
import { summarizeToolCall } from './tool-call-summary.js';
import { describeArgumentError, isWorkflowTool, TaskArguments, TodoWriteArguments, type TodoItem } from './workflow-tools.js';

export const DEFAULT_MAX_STEPS = 50;
export const STEP_LIMIT_MESSAGE =
  'This is the last step allowed for this session: tools are disabled. Reply with text only: ' +
  'summarise what was done, what remains to be done, and anything the user should check.';

function resolveAgent(agents: AgentInfo[], name: string): AgentInfo {
  try {
    return findAgent(agents, name);
  } catch (error) {
    throw ApplicationFailure.nonRetryable((error as Error).message, 'UnknownAgent');
  }
}

export { MAX_PROMPT_CHARACTERS } from './prompt-limit.js';

function checkPromptSize(prompt: string): void {
  const problem = promptTooLarge(prompt);
  if (problem) throw ApplicationFailure.nonRetryable(problem, 'PromptTooLarge');
}

function addUsage(total: Usage, more: Usage): void {
  total.inputTokens += more.inputTokens;
  total.outputTokens += more.outputTokens;
  total.cachedTokens += more.cachedTokens;
  if (more.costUsd !== undefined) total.costUsd = (total.costUsd ?? 0) + more.costUsd;
}

export async function sessionWorkflow(input: SessionInput): Promise<SessionResult> {
  const info = workflowInfo();
  const sessionId = info.workflowId;
  const rootSessionId = input.rootSessionId ?? sessionId;
  checkPromptSize(input.prompt);
  // Answer status queries while the registry is still loading; replaced once the session is set up.
  setHandler(statusQuery, () => ({
    sessionId,
    agent: input.agent,
    state: 'running',
    step: 0,
    usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 },
    pendingApprovals: [],
    tasks: [],
    todos: [],
  }));
  const snapshot = await activity('loadAgents', input.agentsSnapshot ? 'agents of the root session' : 'load agents')({
    workspace: input.workspace,
    snapshot: input.agentsSnapshot,
  });
  const agents = snapshot.agents;
  const agent = resolveAgent(agents, input.agent);
  const settings = sessionSettings(agent, agents, input);
  const maxSteps = input.maxSteps ?? agent.steps ?? DEFAULT_MAX_STEPS;
  const modelLabel = settings.model ? `model ${settings.model}` : 'model';
  const carry = input.resume;
  const childInput = { ...input, agentsSnapshot: snapshot.ref };

  const sessionRules: Ruleset = [...(carry?.sessionRules ?? [])];
  const usage: Usage = carry?.usage ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
  let todos: TodoItem[] = carry?.todos ?? [];
  let ended: SessionState | undefined;
  const state = (): SessionState => ended ?? (approvals.pending.length > 0 ? 'waiting-for-approval' : 'running');
  let totalSteps = carry?.totalSteps ?? 0;
  let stepsInTurn = carry?.stepsInTurn ?? 0;
  let settingsRef: SessionSettings | string = settings;
  let conversation: string | null = carry?.conversation ?? null;

  const status = (): SessionStatus => ({
    sessionId,
    agent: agent.name,
    state: state(),
    step: totalSteps,
    usage,
    pendingApprovals: approvals.pending,
    tasks: delegation.records,
    todos,
  });
  let shownState: SessionState | undefined;
  const show = () => {
    setCurrentDetails(sessionDetails(status()));
    if (state() !== shownState) upsertSearchAttributes(statusAttributes(state()));
    shownState = state();
  };
  const approvals = new ApprovalQueue(sessionId, input.onAsk ?? 'wait', info.parent?.workflowId, show);
  const delegation = new TaskDelegation(
    { sessionId, rootSessionId, input: childInput, subagents: settings.subagents.map((subagent) => subagent.name) },
    carry?.tasks,
  );
  const prompts = new PromptQueue();
  const doomLoop = new DoomLoopDetector(carry?.recentCalls);

  setHandler(statusQuery, status);
  setHandler(todosQuery, () => todos);
  setHandler(usageQuery, () => usage);
  setHandler(conversationQuery, () => conversation);
  setHandler(answerApprovalUpdate, (answer) => approvals.answer(answer), { validator: (answer) => approvals.validate(answer) });
  setHandler(answerApprovalSignal, async (answer) => {
    await approvals.answer(answer);
  });
  setHandler(descendantApprovalsSignal, ({ sessionId: child, pending }) => approvals.updateBelow(child, pending));
  setHandler(sendPromptUpdate, (prompt) => prompts.enqueue(prompt), {
    validator: (prompt) => {
      if (!prompt.trim()) throw new Error('The prompt is empty.');
      if (ended) throw new Error(`Session ${sessionId} has ended; resume it instead.`);
    },
  });
  upsertSearchAttributes(sessionAttributes({ agent: agent.name, parentId: info.parent?.workflowId, rootSessionId, ciRunId: input.ciRunId }));
  // Sessions started before the memo existed replay without it (test/fixtures/histories/v1).
  if (patched('session-memo')) upsertMemo(sessionMemo(agent.name, input.prompt));

  /** Holds a call until it is allowed: asks a person when a rule says `ask`. Returns a refusal, or null when allowed. */
  async function awaitPermission(call: ToolCall, summary: string, asks: PermissionAsk[], approved: PermissionAsk[]): Promise<string | null> {
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
  async function runWorkflowTool(call: ToolCall, summary: string): Promise<string> {
    let args: unknown;
    try {
      args = JSON.parse(call.arguments || '{}');
    } catch {
      return `Invalid arguments for ${call.name}: not valid JSON (${call.arguments.slice(0, 200)}). Send a JSON object.`;
    }
    const parsed = call.name === 'task' ? TaskArguments.safeParse(args) : call.name === 'todowrite' ? TodoWriteArguments.safeParse(args) : { success: true as const, data: {} };
    if (!parsed.success) return describeArgumentError(call.name, parsed.error);
    const pattern = call.name === 'task' ? (parsed.data as TaskArguments).subagent_type : '*';
    const depth = input.depth ?? 0;
    if (call.name === 'task' && depth >= (input.maxDepth ?? DEFAULT_MAX_DEPTH)) {
      return `Delegation refused: this session is ${depth} level(s) below its root and the depth limit is ${input.maxDepth ?? DEFAULT_MAX_DEPTH}. Do the work yourself or report back what is needed.`;
    }
    const rule = evaluatePermission(call.name, pattern, settings.permission, sessionRules);
    if (rule.action === 'deny') return `Permission denied: ${call.name} "${pattern}" is not allowed for this agent. Do not retry it.`;
    if (rule.action === 'ask') {
      const refusal = await awaitPermission(call, summary, [{ permission: call.name, patterns: [pattern], always: [pattern] }], []);
      if (refusal) return refusal;
    }
    if (call.name === 'task') return delegation.run(parsed.data as TaskArguments);
    if (call.name === 'todowrite') todos = (parsed.data as { todos: TodoItem[] }).todos;
    show();
    return JSON.stringify(todos, null, 2);
  }

  /** `doom_loop` (default ask) guards against a model repeating one call; sessions older than the check skip it. */
  async function checkDoomLoop(call: ToolCall, summary: string): Promise<string | null> {
    if (!patched('doom-loop') || !doomLoop.record(call)) return null;
    const rule = evaluatePermission('doom_loop', call.name, settings.permission, sessionRules);
    if (rule.action === 'allow') return null;
    const refusal = `${summary} was called three times in a row with the same arguments and was stopped; try something different.`;
    if (rule.action === 'deny') return refusal;
    return awaitPermission(call, `${summary} (the third identical call in a row)`, [{ permission: 'doom_loop', patterns: [call.name], always: [call.name] }], []);
  }

  async function runToolCall(call: ToolCall): Promise<MessageInput> {
    const summary = summarizeToolCall(call);
    const loopRefusal = await checkDoomLoop(call, summary);
    if (loopRefusal) return { role: 'tool', tool_call_id: call.id, content: loopRefusal };
    if (isWorkflowTool(call.name)) return { role: 'tool', tool_call_id: call.id, content: await runWorkflowTool(call, summary) };
    const approved: PermissionAsk[] = [];
    for (;;) {
      const result = await activity('runTool', summary)({
        settings: settingsRef as string,
        call,
        sessionRules,
        ...(approved.length > 0 ? { approved } : {}),
      });
      if (result.status === 'done') return { ref: result.ref };
      const refusal = await awaitPermission(call, summary, result.asks, approved);
      if (refusal) return { role: 'tool', tool_call_id: call.id, content: refusal };
    }
  }

  let append: MessageInput[] =
    carry?.pending ??
    [
      ...(!carry && agent.prompt ? [{ role: 'system' as const, content: agent.prompt }] : []),
      { role: 'user' as const, content: input.prompt },
    ];
  let stepsThisRun = 0;
  try {
    for (;;) {
      const continueAfter = input.continueAsNewAfterSteps;
      if (stepsThisRun > 0 && (info.continueAsNewSuggested || (continueAfter && stepsThisRun >= continueAfter)) && prompts.idle) {
        await condition(() => !approvals.waitingHere);
        return await continueAsNew<typeof sessionWorkflow>({
          ...input,
          agentsSnapshot: snapshot.ref,
          resume: {
            conversation: conversation!,
            pending: append,
            stepsInTurn,
            totalSteps,
            usage,
            todos,
            sessionRules,
            tasks: delegation.records,
            recentCalls: doomLoop.history,
          },
        });
      }
      stepsInTurn += 1;
      totalSteps += 1;
      stepsThisRun += 1;
      const lastStep = stepsInTurn >= maxSteps;
      if (lastStep && settings.tools.length > 0) append.push({ role: 'user', content: STEP_LIMIT_MESSAGE });
      show();
      const reply = await activity('invokeModel', `${modelLabel} step ${totalSteps}`)({
        settings: settingsRef,
        conversation,
        append,
        step: totalSteps,
        toolsDisabled: lastStep,
      });
      settingsRef = reply.settings;
      conversation = reply.conversation;
      addUsage(usage, reply.usage);

      if (reply.toolCalls.length > 0 && !lastStep) {
        append = await Promise.all(reply.toolCalls.map(runToolCall));
        continue;
      }
      prompts.answer(reply.text);
      if (prompts.hasQueued) {
        append = prompts.take().map((prompt) => ({ role: 'user', content: prompt }));
        stepsInTurn = 0;
        continue;
      }
      ended = 'completed';
      show();
      return {
        sessionId,
        agent: agent.name,
        text: reply.text,
        steps: totalSteps,
        stopReason: lastStep ? 'step-limit' : 'final-answer',
        usage,
        conversation,
        todos,
      };
    }
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    ended = isCancellation(error) ? 'cancelled' : 'failed';
    show();
    throw error;
  }
}
