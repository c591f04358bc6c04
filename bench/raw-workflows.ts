import { executeChild, proxyActivities } from '@temporalio/workflow';
import type { RawActivities } from './raw-activities.js';

// Raw Temporal baselines for the bench, bundled on their own: the same number of activities and
// workflow tasks per step as an Orca session, with nothing of Orca's in them.

export interface RawSessionInput {
  /** Sent as the first user message, so the scripted model can tell sessions apart. */
  tag: string;
  /** Steps with tool calls; one more model call ends the session, as Orca's final answer does. */
  steps: number;
  toolsPerStep: number;
  /** Size of each tool output; returned inline, as a plain Temporal activity would. */
  toolOutputBytes: number;
  /** `new`: each model call gets only the previous step's messages; `inline`: the whole conversation. */
  conversation: 'new' | 'inline';
}

const { setup, modelCall, tool } = proxyActivities<RawActivities>({
  startToCloseTimeout: '15 minutes',
  retry: { maximumAttempts: 3 },
});

export async function rawSessionWorkflow(input: RawSessionInput): Promise<number> {
  await setup();
  const conversation: string[] = [];
  let fresh: string[] = [];
  for (let step = 0; ; step++) {
    const reply = await modelCall({ tag: input.tag, messages: input.conversation === 'inline' ? conversation : fresh });
    if (step >= input.steps) return step + 1;
    const outputs = await Promise.all(
      Array.from({ length: input.toolsPerStep }, (_, index) => tool({ bytes: input.toolOutputBytes, index })),
    );
    fresh = [reply, ...outputs];
    conversation.push(...fresh);
  }
}

/** A model call that delegates: the parent starts a child whose first act is a model call. */
export async function rawParentWorkflow(input: { tag: string; childTag: string }): Promise<void> {
  await setup();
  await modelCall({ tag: input.tag, messages: [] });
  const childReply = await executeChild(rawChildWorkflow, { workflowId: `${input.tag}-child`, args: [{ tag: input.childTag }] });
  await modelCall({ tag: input.tag, messages: [childReply] });
}

export async function rawChildWorkflow(input: { tag: string }): Promise<string> {
  return modelCall({ tag: input.tag, messages: [] });
}
