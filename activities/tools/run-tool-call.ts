import { ToolArgumentsError, type PermissionRequest, type ToolContext } from './define-tool.js';
import { parseToolArguments } from './parse-tool-arguments.js';
import { toolsById } from './tool-registry.js';
import { truncateOutput } from './truncate-output.js';

const KEEP_ALIVE_INTERVAL_MS = 5000;

export interface ToolCallResult {
  /** False when the call failed; output then says why and what to do next. */
  ok: boolean;
  title: string;
  output: string;
  metadata?: Record<string, unknown>;
}

/** Resolves to true when every request is allowed, or to refusal text for the model. */
export type PermissionCheck = (requests: PermissionRequest[]) => Promise<true | string>;

/**
 * Runs one tool call from the model. Model mistakes (unknown tool, bad arguments, a missing file,
 * a refused permission) come back as `ok: false` text. Infrastructure failures (including an
 * isAllowed that throws, e.g. to suspend for approval) and errors raised by cancellation propagate,
 * so Temporal can retry or cancel the activity.
 */
export async function runToolCall(
  toolId: string,
  rawArguments: string,
  context: ToolContext,
  isAllowed: PermissionCheck,
  /** The tools this session offers; an unknown tool's error names only these. */
  availableTools: string[] = Object.keys(toolsById),
): Promise<ToolCallResult> {
  const tool = Object.hasOwn(toolsById, toolId) ? toolsById[toolId] : undefined;
  if (!tool) {
    return { ok: false, title: toolId, output: `Unknown tool "${toolId}". Available tools: ${availableTools.join(', ')}. Call one of those instead.` };
  }

  let args: unknown;
  try {
    args = parseToolArguments(tool, rawArguments);
  } catch (error) {
    if (error instanceof ToolArgumentsError) return { ok: false, title: toolId, output: error.message };
    throw error;
  }
  const title = tool.summarize(args);

  const requests = await modelFacing(context, () => tool.permissions(args, context));
  if ('error' in requests) return { ok: false, title, output: requests.error };
  const verdict = await isAllowed(requests.value);
  if (verdict !== true) return { ok: false, title, output: verdict };

  const executed = await whileHeartbeating(context, () => modelFacing(context, () => tool.execute(args, context)));
  if ('error' in executed) return { ok: false, title, output: executed.error };
  const result = executed.value;
  // A tool that limits its own output (read, list, glob, grep) reports `truncated` itself.
  if (result.metadata?.truncated !== undefined) return { ok: true, ...result };
  const truncated = await truncateOutput(result.output, { outputDir: context.outputDir, name: toolId });
  const metadata = truncated.truncated ? { ...result.metadata, truncated: true, outputPath: truncated.outputPath } : result.metadata;
  return { ok: true, title: result.title, output: truncated.output, ...(metadata ? { metadata } : {}) };
}

// A slow grep or webfetch must not look like a dead worker to the activity's heartbeat timeout.
async function whileHeartbeating<T>(context: ToolContext, run: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => context.heartbeat(), KEEP_ALIVE_INTERVAL_MS);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}

// Errors thrown by a tool are written for the model; cancellation must still reach Temporal.
async function modelFacing<T>(context: ToolContext, run: () => Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await run() };
  } catch (error) {
    if (context.signal.aborted) throw error;
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
