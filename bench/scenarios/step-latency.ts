import { percentile, round } from '../figures.js';
import { activityTimings, fetchAllRuns, stepHistories, workflowTaskTimings, type ActivityTiming, type StepHistory } from '../history-bytes.js';
import { toolStepResponder } from '../model-router.js';
import { startOrcaSession, startRawSession, type BenchContext, type Stack } from '../stack.js';

export interface StepLatency {
  orca: number[];
  raw: number[];
  orcaSteps: StepHistory[];
  rawSteps: StepHistory[];
  orcaActivities: ActivityTiming[];
  rawActivities: ActivityTiming[];
  orcaWorkflowTasks: { queuedMs: number; runMs: number }[];
  rawWorkflowTasks: { queuedMs: number; runMs: number }[];
}

/** Time from one model request to the next of the same session: the step's model reply, two tool calls, the next model call. */
export function stepIntervals(context: BenchContext, tag: string): number[] {
  const times = (context.model.records.get(tag) ?? []).map((record) => record.receivedAt);
  return times.slice(1).map((time, index) => time - times[index]!);
}

/**
 * One Orca session of `steps` steps (a model call, then two parallel tool calls) and one raw session,
 * Orca first in odd rounds and raw first in even ones: a server that idled before the round (its rate
 * limiter's tokens refilled, as with the dev server's defaults) favours neither.
 */
export async function stepRound(context: BenchContext, stack: Stack, options: { label: string; round: number; steps: number }) {
  const workspace = await context.workspace(100);
  const orcaTag = `${options.label}-orca-${options.round}`;
  const rawTag = `${options.label}-raw-${options.round}`;
  const orca = async () => (await startOrcaSession(stack, { tag: orcaTag, steps: options.steps, workspace })).result();
  const raw = async () =>
    (await startRawSession(stack, { tag: rawTag, steps: options.steps, toolsPerStep: 2, toolOutputBytes: 0, conversation: 'new' })).result();
  for (const session of options.round % 2 === 1 ? [orca, raw] : [raw, orca]) await session();
  return { orcaTag, rawTag };
}

export function emptyLatency(): StepLatency {
  return { orca: [], raw: [], orcaSteps: [], rawSteps: [], orcaActivities: [], rawActivities: [], orcaWorkflowTasks: [], rawWorkflowTasks: [] };
}

/** Adds a round's step intervals, activity and workflow task timings, and (for the first) its per-step history. */
export async function collectRound(context: BenchContext, stack: Stack, tags: { orcaTag: string; rawTag: string }, into: StepLatency): Promise<void> {
  into.orca.push(...stepIntervals(context, tags.orcaTag));
  into.raw.push(...stepIntervals(context, tags.rawTag));
  const [orcaEvents, rawEvents] = [await fetchAllRuns(stack.client, tags.orcaTag), await fetchAllRuns(stack.client, tags.rawTag)];
  into.orcaActivities.push(...activityTimings(orcaEvents));
  into.rawActivities.push(...activityTimings(rawEvents));
  into.orcaWorkflowTasks.push(...workflowTaskTimings(orcaEvents));
  into.rawWorkflowTasks.push(...workflowTaskTimings(rawEvents));
  if (into.orcaSteps.length === 0) {
    into.orcaSteps = stepHistories(orcaEvents, 'invokeModel').slice(0, -1);
    into.rawSteps = stepHistories(rawEvents, 'modelCall').slice(0, -1);
  }
}

/**
 * Sessions of `steps` steps, one at a time, Orca and raw Temporal alternating; the first round of
 * each warms the workers up and is not counted.
 */
export async function measureStepLatency(
  context: BenchContext,
  stack: Stack,
  options: { label: string; rounds: number; steps: number },
): Promise<StepLatency> {
  context.model.use(toolStepResponder({ steps: () => options.steps }));
  const result = emptyLatency();
  for (let round = 0; round <= options.rounds; round++) {
    const tags = await stepRound(context, stack, { ...options, round });
    if (round > 0) await collectRound(context, stack, tags, result);
  }
  return result;
}

export function p50p95(values: number[]): { p50: number; p95: number } {
  return { p50: round(percentile(values, 50)), p95: round(percentile(values, 95)) };
}

/** Average of a count over the tool steps of a session (the final model-only step is left out). */
export function perStep(steps: StepHistory[], field: keyof StepHistory): number {
  return steps.length ? round(steps.reduce((sum, step) => sum + step[field], 0) / steps.length, 2) : NaN;
}
