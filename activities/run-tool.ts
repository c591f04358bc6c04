import { Context } from '@temporalio/activity';
import { realpath } from 'node:fs/promises';
import { evaluateWithSessionRules } from '../agents/evaluate-permission.js';
import type { PermissionAsk, RunToolInput, RunToolResult, SessionSettings } from '../workflows/session-types.js';
import type { ContentStore } from './content-store.js';
import type { PermissionRequest } from './tools/define-tool.js';
import { runToolCall } from './tools/index.js';

export interface ToolDependencies {
  store: ContentStore;
  /** Where full outputs of truncated tool results are kept, outside the workspace. */
  outputDir: string;
}

const PREVIEW_CHARACTERS = 300;

class ApprovalNeeded {
  constructor(readonly asks: PermissionAsk[]) {}
}

function isApproved(approved: PermissionAsk[], permission: string, pattern: string): boolean {
  return approved.some((ask) => ask.permission === permission && ask.patterns.includes(pattern));
}

export function createRunTool(deps: ToolDependencies) {
  return async function runTool(input: RunToolInput): Promise<RunToolResult> {
    const settings = await deps.store.get<SessionSettings>(input.settings);
    const context = Context.current();
    const approved = input.approved ?? [];
    let lastDetails: unknown;

    // The same rules the workflow filtered with are enforced again here, before any side effect.
    const isAllowed = async (requests: PermissionRequest[]): Promise<true | string> => {
      const asks: PermissionAsk[] = [];
      for (const request of requests) {
        const pending: string[] = [];
        for (const pattern of request.patterns) {
          const rule = evaluateWithSessionRules(request.permission, pattern, settings.permission, input.sessionRules);
          if (rule.action === 'deny') {
            return `Permission denied: ${request.permission} "${pattern}" is not allowed for this agent (rule ${rule.permission} "${rule.pattern}": deny). Do not retry it; choose another approach or report that it is needed.`;
          }
          if (rule.action === 'ask' && !isApproved(approved, request.permission, pattern)) pending.push(pattern);
        }
        if (pending.length > 0) asks.push({ permission: request.permission, patterns: pending, always: request.always });
      }
      if (asks.length > 0) throw new ApprovalNeeded(asks);
      return true;
    };

    let result;
    try {
      result = await runToolCall(input.call.name, input.call.arguments, {
        workspace: await realpath(settings.workspace),
        signal: context.cancellationSignal,
        // Keep-alive heartbeats without details must not erase what a tool recorded (bash's process group).
        heartbeat: (details) => {
          if (details !== undefined) lastDetails = details;
          context.heartbeat(lastDetails);
        },
        previousAttempt: context.info.heartbeatDetails,
        outputDir: deps.outputDir,
      }, isAllowed, settings.tools);
    } catch (error) {
      if (error instanceof ApprovalNeeded) return { status: 'ask', asks: error.asks };
      throw error;
    }
    const ref = await deps.store.put({ role: 'tool', tool_call_id: input.call.id, content: result.output });
    return { status: 'done', ref, ok: result.ok, title: result.title, preview: result.output.slice(0, PREVIEW_CHARACTERS) };
  };
}
