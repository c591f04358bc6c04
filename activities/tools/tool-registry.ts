import { z } from 'zod';
import { bashTool } from './bash.js';
import type { ToolDefinition } from './define-tool.js';
import { editTool } from './edit.js';
import { globTool } from './glob.js';
import { grepTool } from './grep.js';
import { listTool } from './list.js';
import { readTool } from './read.js';
import { webfetchTool } from './webfetch.js';
import { writeTool } from './write.js';

const allTools: ToolDefinition[] = [readTool, writeTool, editTool, listTool, globTool, grepTool, bashTool, webfetchTool];

export const toolsById: Record<string, ToolDefinition> = Object.fromEntries(allTools.map((tool) => [tool.id, tool]));

export interface FunctionToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** OpenAI chat-completions tool specs for the given tool ids, in the order given. */
export function toolSpecs(ids: string[]): FunctionToolSpec[] {
  const unknown = ids.filter((id) => !Object.hasOwn(toolsById, id));
  if (unknown.length > 0) {
    throw new Error(`No activity tool with id ${unknown.join(', ')}. Available: ${Object.keys(toolsById).join(', ')}.`);
  }
  return ids.map((id) => {
    const tool = toolsById[id] as ToolDefinition;
    // Input mode: fields with defaults are optional for the model, which is what it sends.
    const parameters: Record<string, unknown> = z.toJSONSchema(tool.parameters, { io: 'input' });
    delete parameters.$schema;
    return { type: 'function', function: { name: tool.id, description: tool.description, parameters } };
  });
}
