import type { z } from 'zod';
import type { Ruleset } from '../../agents/permission-rule.js';

export interface ToolContext {
  /** Absolute, real path of the workspace root. */
  workspace: string;
  /** Aborted when the activity is cancelled. */
  signal: AbortSignal;
  heartbeat(details?: unknown): void;
  /** The last heartbeat details of the attempt before this one, when this is a retry. */
  previousAttempt?: unknown;
  /** Absolute directory where the full text of truncated outputs is saved. */
  outputDir: string;
}

/** What a description may depend on: the session's workspace and its agent's rules. */
export interface ToolDescriptionContext {
  workspace: string;
  permission: Ruleset;
}

export interface PermissionRequest {
  permission: string;
  patterns: string[];
  /** Patterns suggested for an "always allow" reply. */
  always: string[];
}

export interface ToolOutput {
  title: string;
  output: string;
  /** A tool that limits its own output sets `truncated`; runToolCall then leaves the output alone. */
  metadata?: Record<string, unknown>;
}

export interface ToolDefinition<Parameters extends z.ZodType = z.ZodType> {
  /** The name the model calls the tool by. */
  id: string;
  /** What the model reads to decide when and how to call the tool. */
  description: string;
  parameters: Parameters;
  /**
   * A description built for one session (e.g. listing the skills of its workspace), used instead of
   * `description` when the model is called; undefined when the tool has nothing to offer there.
   */
  describeFor?(context: ToolDescriptionContext): Promise<string | undefined>;
  /** Short label for UIs, e.g. "read src/x.ts". */
  summarize(args: z.infer<Parameters>): string;
  /** What must be allowed before execute runs. */
  permissions(args: z.infer<Parameters>, context: ToolContext): Promise<PermissionRequest[]>;
  /** Handles the success path only; throws errors whose message tells the model what to do next. */
  execute(args: z.infer<Parameters>, context: ToolContext): Promise<ToolOutput>;
}

export function defineTool<P extends z.ZodType>(definition: ToolDefinition<P>): ToolDefinition<P> {
  return definition;
}

export interface ToolArgumentIssue {
  /** Dotted path of the argument, e.g. "filePath" or "edits.0.oldString"; empty for the whole object. */
  argument: string;
  message: string;
}

/** The model sent arguments that are not JSON or do not match the tool's schema. */
export class ToolArgumentsError extends Error {
  override readonly name = 'ToolArgumentsError';

  constructor(
    readonly toolId: string,
    readonly issues: ToolArgumentIssue[],
  ) {
    const lines = issues.map((issue) => `- ${issue.argument || '(arguments)'}: ${issue.message}`);
    super(`Invalid arguments for tool "${toolId}":\n${lines.join('\n')}\nFix the arguments and call the tool again.`);
  }
}
