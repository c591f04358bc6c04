import { z } from 'zod';
import type { SubagentSummary } from './session-types.js';

/** Tools the workflow carries out itself: they change workflow state or start child workflows, so they are not activities. */
export const TaskArguments = z.object({
  description: z.string().min(1).describe('A short (3-5 words) description of the task'),
  prompt: z.string().min(1).describe('The task for the subagent: everything it needs to know, and what to report back'),
  subagent_type: z.string().min(1).describe('The name of the subagent to use'),
  task_id: z.string().optional().describe('Set to continue an earlier task session (the id from its <task id="..."> result) instead of starting a new one'),
});
export type TaskArguments = z.infer<typeof TaskArguments>;

export const TodoItem = z.object({
  id: z.string().optional().describe('Stable id of the item'),
  content: z.string().min(1).describe('What needs doing, in a few words'),
  status: z.enum(['pending', 'in_progress', 'completed', 'cancelled']).describe('Where the item stands'),
  priority: z.enum(['high', 'medium', 'low']).optional().describe('How much it matters'),
});
export type TodoItem = z.infer<typeof TodoItem>;

export const TodoWriteArguments = z.object({
  todos: z.array(TodoItem).describe('The whole updated todo list'),
});

export const TodoReadArguments = z.object({});

export const WORKFLOW_TOOLS = ['task', 'todowrite', 'todoread'] as const;
export type WorkflowToolId = (typeof WORKFLOW_TOOLS)[number];

export function isWorkflowTool(name: string): name is WorkflowToolId {
  return (WORKFLOW_TOOLS as readonly string[]).includes(name);
}

export function taskDescription(subagents: SubagentSummary[]): string {
  const list = subagents.map((agent) => `- ${agent.name}: ${agent.description ?? '(no description)'}`).join('\n');
  return [
    'Delegate a task to a subagent, which works in its own session with its own tools and reports back.',
    'Several task calls in one reply run in parallel. The result names the task id; pass it as task_id to continue that session later with more instructions.',
    '',
    'Available subagents:',
    list,
  ].join('\n');
}

export const TODOWRITE_DESCRIPTION =
  'Replace the session\'s todo list. Use it to plan multi-step work and mark progress: one item in_progress at a time, completed as soon as it is done.';
export const TODOREAD_DESCRIPTION = 'Read the session\'s current todo list.';

export const workflowToolParameters: Record<WorkflowToolId, z.ZodType> = {
  task: TaskArguments,
  todowrite: TodoWriteArguments,
  todoread: TodoReadArguments,
};

/** Explains invalid arguments to the model in words it can act on. */
export function describeArgumentError(tool: string, error: z.ZodError): string {
  const problems = error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`).join('; ');
  return `Invalid arguments for ${tool}: ${problems}. Fix the arguments and call ${tool} again.`;
}
