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
import type { Ruleset } from '../agents/permission-rule.js';
import { activity, localActivity } from './activity-options.js';
import { ApprovalQueue } from './approvals.js';
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
import type { MessageInput, SessionInput, SessionResult, SessionSettings, Usage } from './session-types.js';
import { TaskDelegation } from './task-delegation.js';
import { ToolDispatcher } from './tool-dispatch.js';
import type { TodoItem } from './workflow-tools.js';

export const DEFAULT_MAX_STEPS = 50;
export const STEP_LIMIT_MESSAGE =
  'This is the last step allowed for this session: tools are disabled. Reply with text only: ' +
  'summarise what was done, what remains to be done, and anything the user should check.';

/** An unknown agent's error also names its file when that file failed to load. */
function resolveAgent(agents: AgentInfo[], name: string, loadErrors: string[] = []): AgentInfo {
  try {
    return findAgent(agents, name);
  } catch (error) {
    const fileError = loadErrors.find((message) => message.split(':')[0]!.replace(/\.md$/, '').endsWith(`/${name}`));
    const reason = fileError ? ` Its file failed to load: ${fileError}` : '';
    throw ApplicationFailure.nonRetryable(`${(error as Error).message}.${reason}`, 'UnknownAgent');
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
  const snapshot = input.agentsSnapshot
    ? // Children of sessions older than the local read fetch the snapshot as a normal activity, as they did then.
      await (patched('local-agent-snapshot') ? localActivity : activity)('loadAgents', 'agents of the root session')({
        workspace: input.workspace,
        snapshot: input.agentsSnapshot,
      })
    : await activity('loadAgents', 'load agents', input.taskQueues?.tools)({ workspace: input.workspace });
  const agents = snapshot.agents;
  const agent = resolveAgent(agents, input.agent, snapshot.errors);
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
  const approvals = new ApprovalQueue(sessionId, input.onAsk ?? 'wait', info.parent?.workflowId, show, carry?.approvalCount);
  const delegation = new TaskDelegation(
    {
      sessionId,
      rootSessionId,
      input: childInput,
      subagents: settings.subagents.map((subagent) => subagent.name),
      onChildEnded: (child) => approvals.updateBelow(child, []),
    },
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

  const tools = new ToolDispatcher({
    settings,
    settingsRef: () => settingsRef as string,
    sessionRules,
    approvals,
    delegation,
    doomLoop,
    todos: { get: () => todos, set: (next) => (todos = next) },
    depth: input.depth ?? 0,
    maxDepth: input.maxDepth ?? DEFAULT_MAX_DEPTH,
    toolsTaskQueue: input.taskQueues?.tools,
    show,
  });

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
            approvalCount: approvals.asked,
          },
        });
      }
      stepsInTurn += 1;
      totalSteps += 1;
      stepsThisRun += 1;
      const lastStep = stepsInTurn >= maxSteps;
      if (lastStep && settings.tools.length > 0) append.push({ role: 'user', content: STEP_LIMIT_MESSAGE });
      show();
      const reply = await activity('invokeModel', `${modelLabel} step ${totalSteps}`, input.taskQueues?.model)({
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
        append = await Promise.all(reply.toolCalls.map((call) => tools.run(call)));
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
