import { ApplicationFailure, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { AgentInfo } from '../agents/agent-info.js';
import { findAgent } from '../agents/agent-registry.js';
import type { Ruleset } from '../agents/permission-rule.js';
import { visibleTools } from '../agents/tool-visibility.js';
import { activity } from './activity-options.js';
import { ApprovalQueue } from './approvals.js';
import { answerApprovalUpdate, statusQuery, type SessionState, type SessionStatus } from './messages.js';
import { sessionDetails } from './session-details.js';
import type { MessageInput, PermissionAsk, SessionInput, SessionResult, SessionSettings, ToolCall, Usage } from './session-types.js';
import { summarizeToolCall } from './tool-call-summary.js';

export const DEFAULT_MAX_STEPS = 50;
export const WORKSPACE_TOOLS = ['read', 'glob', 'grep', 'list', 'write', 'edit', 'bash', 'webfetch'];
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

export async function sessionWorkflow(input: SessionInput): Promise<SessionResult> {
  const sessionId = workflowInfo().workflowId;
  const agents = input.agents ?? (await activity('loadAgents', 'load agents')({ workspace: input.workspace }));
  const agent = resolveAgent(agents, input.agent);
  const maxSteps = input.maxSteps ?? agent.steps ?? DEFAULT_MAX_STEPS;
  const settings: SessionSettings = {
    workspace: input.workspace,
    model: agent.model ?? input.model,
    temperature: agent.temperature,
    topP: agent.topP,
    tools: visibleTools(WORKSPACE_TOOLS, agent.permission),
    subagents: [],
    permission: agent.permission,
  };
  const modelLabel = settings.model ? `model ${settings.model}` : 'model';
  const sessionRules: Ruleset = [];
  const approvals = new ApprovalQueue(sessionId, input.onAsk ?? 'wait');
  const usage: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
  let state: SessionState = 'running';
  let step = 0;

  const status = (): SessionStatus => ({ sessionId, agent: agent.name, state, step, usage, pendingApprovals: approvals.pending });
  const showStatus = () => setCurrentDetails(sessionDetails(status()));
  setHandler(statusQuery, status);
  setHandler(
    answerApprovalUpdate,
    (answer) => approvals.answer(answer),
    { validator: (answer) => approvals.validate(answer) },
  );

  let settingsRef: SessionSettings | string = settings;
  let conversation: string | null = null;

  async function runToolCall(call: ToolCall): Promise<MessageInput> {
    const summary = summarizeToolCall(call);
    const approved: PermissionAsk[] = [];
    for (;;) {
      const result = await activity('runTool', summary)({
        settings: settingsRef as string,
        call,
        sessionRules,
        ...(approved.length > 0 ? { approved } : {}),
      });
      if (result.status === 'done') return { ref: result.ref };
      state = 'waiting-for-approval';
      showStatus();
      const answer = await approvals.request(call, summary, result.asks);
      state = approvals.pending.length > 0 ? 'waiting-for-approval' : 'running';
      showStatus();
      if (answer.reply === 'reject') {
        const correction = answer.message ? ` The user said: ${answer.message}` : '';
        return { role: 'tool', tool_call_id: call.id, content: `The user did not allow ${summary}.${correction}` };
      }
      if (answer.reply === 'always') {
        for (const ask of result.asks) {
          sessionRules.push(...ask.always.map((pattern) => ({ permission: ask.permission, pattern, action: 'allow' as const })));
        }
      }
      approved.push(...result.asks);
    }
  }

  let append: MessageInput[] = [
    ...(agent.prompt ? [{ role: 'system' as const, content: agent.prompt }] : []),
    { role: 'user', content: input.prompt },
  ];
  for (;;) {
    step += 1;
    const lastStep = step >= maxSteps;
    if (lastStep && settings.tools.length > 0) append.push({ role: 'user', content: STEP_LIMIT_MESSAGE });
    showStatus();
    const reply = await activity('invokeModel', `${modelLabel} step ${step}`)({
      settings: settingsRef,
      conversation,
      append,
      step,
      toolsDisabled: lastStep,
    });
    settingsRef = reply.settings;
    conversation = reply.conversation;
    usage.inputTokens += reply.usage.inputTokens;
    usage.outputTokens += reply.usage.outputTokens;
    usage.cachedTokens += reply.usage.cachedTokens;

    if (reply.toolCalls.length === 0 || lastStep) {
      state = 'completed';
      showStatus();
      const stopReason = reply.toolCalls.length === 0 && !lastStep ? 'final-answer' : 'step-limit';
      return { sessionId, agent: agent.name, text: reply.text, steps: step, stopReason, usage };
    }
    append = await Promise.all(reply.toolCalls.map(runToolCall));
  }
}
