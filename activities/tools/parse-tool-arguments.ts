import type { z } from 'zod';
import { ToolArgumentsError, type ToolDefinition } from './define-tool.js';

/** Parses the model's raw JSON arguments against the tool's schema, or throws ToolArgumentsError. */
export function parseToolArguments<P extends z.ZodType>(tool: ToolDefinition<P>, rawJson: string): z.infer<P> {
  let json: unknown;
  try {
    // Some models send "" for a tool without required arguments.
    json = rawJson.trim() === '' ? {} : JSON.parse(rawJson);
  } catch (error) {
    throw new ToolArgumentsError(tool.id, [{ argument: '', message: `not valid JSON (${(error as Error).message}); send a JSON object` }]);
  }
  const result = tool.parameters.safeParse(json);
  if (!result.success) {
    throw new ToolArgumentsError(tool.id, result.error.issues.map((issue) => ({ argument: issue.path.join('.'), message: issue.message })));
  }
  return result.data;
}
