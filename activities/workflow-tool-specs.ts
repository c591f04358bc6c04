import { z } from 'zod';
import type { SessionSettings } from '../workflows/session-types.js';
import {
  isWorkflowTool,
  taskDescription,
  TODOREAD_DESCRIPTION,
  TODOWRITE_DESCRIPTION,
  workflowToolParameters,
  type WorkflowToolId,
} from '../workflows/workflow-tools.js';
import type { FunctionToolSpec } from './tools/tool-registry.js';

function describe(id: WorkflowToolId, settings: SessionSettings): string {
  if (id === 'task') return taskDescription(settings.subagents);
  return id === 'todowrite' ? TODOWRITE_DESCRIPTION : TODOREAD_DESCRIPTION;
}

/** Specs of the tools the workflow itself carries out (task, todos); the task tool lists only the subagents this agent may use. */
export function workflowToolSpecs(settings: SessionSettings): FunctionToolSpec[] {
  return settings.tools.filter(isWorkflowTool).map((id) => {
    const parameters: Record<string, unknown> = z.toJSONSchema(workflowToolParameters[id], { io: 'input' });
    delete parameters.$schema;
    return { type: 'function', function: { name: id, description: describe(id, settings), parameters } };
  });
}
