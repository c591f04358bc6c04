import { z } from 'zod';
import { bashTool } from './bash.js';
import type { ToolDefinition, ToolDescriptionContext } from './define-tool.js';
import { editTool } from './edit.js';
import { globTool } from './glob.js';
import { grepTool } from './grep.js';
import { listTool } from './list.js';
import { readTool } from './read.js';
import { skillTool } from './skill.js';
import { webfetchTool } from './webfetch.js';
import { writeTool } from './write.js';

const allTools: ToolDefinition[] = [readTool, writeTool, editTool, listTool, globTool, grepTool, bashTool, webfetchTool, skillTool];

export const toolsById: Record<string, ToolDefinition> = Object.fromEntries(allTools.map((tool) => [tool.id, tool]));

export interface FunctionToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

function toolsFor(ids: string[]): ToolDefinition[] {
  const unknown = ids.filter((id) => !Object.hasOwn(toolsById, id));
  if (unknown.length > 0) {
    throw new Error(`No activity tool with id ${unknown.join(', ')}. Available: ${Object.keys(toolsById).join(', ')}.`);
  }
  return ids.map((id) => toolsById[id] as ToolDefinition);
}

function specFor(tool: ToolDefinition, description: string): FunctionToolSpec {
  // Input mode: fields with defaults are optional for the model, which is what it sends.
  const parameters: Record<string, unknown> = z.toJSONSchema(tool.parameters, { io: 'input' });
  delete parameters.$schema;
  return { type: 'function', function: { name: tool.id, description, parameters } };
}

/** OpenAI chat-completions tool specs for the given tool ids, in the order given, with their fixed descriptions. */
export function toolSpecs(ids: string[]): FunctionToolSpec[] {
  return toolsFor(ids).map((tool) => specFor(tool, tool.description));
}

/**
 * Specs as one session's model sees them: descriptions that depend on the workspace (the skills
 * found there) are built for it, and a tool with nothing to offer there is left out.
 */
export async function sessionToolSpecs(ids: string[], context: ToolDescriptionContext): Promise<FunctionToolSpec[]> {
  const specs = await Promise.all(toolsFor(ids).map(async (tool) => {
    const description = tool.describeFor ? await tool.describeFor(context) : tool.description;
    return description === undefined ? undefined : specFor(tool, description);
  }));
  return specs.filter((spec) => spec !== undefined);
}
