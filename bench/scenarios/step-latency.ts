import { percentile, round } from '../figures.js';
import { fetchAllRuns, stepHistories, type StepHistory } from '../history-bytes.js';
import { toolStepResponder } from '../model-router.js';
import { startOrcaSession, startRawSession, type BenchContext, type Stack } from '../stack.js';

export interface StepLatency {
  orca: number[];
  raw: number[];
  orcaSteps: StepHistory[];
  rawSteps: StepHistory[];
}

/** Time from one model request to the next of the same session: the step's model reply, two tool calls, the next model call. */
export function stepIntervals(context: BenchContext, tag: string): number[] {
  const times = (context.model.records.get(tag) ?? []).map((record) => record.receivedAt);
  return times.slice(1).map((time, index) => time - times[index]!);
}

/**
 * Sessions of `steps` steps (a model call, then two parallel tool calls), one at a time, Orca and
 * raw Temporal alternating; the first round of each warms the worker up and is not counted.
 */
export async function measureStepLatency(
  context: BenchContext,
  stack: Stack,
  options: { label: string; rounds: number; steps: number },
): Promise<StepLatency> {
  const workspace = await context.workspace(100);
  context.model.use(toolStepResponder({ steps: () => options.steps }));
  const result: StepLatency = { orca: [], raw: [], orcaSteps: [], rawSteps: [] };
  for (let round = 0; round <= options.rounds; round++) {
    const orcaTag = `${options.label}-orca-${round}`;
    await (await startOrcaSession(stack, { tag: orcaTag, steps: options.steps, workspace })).result();
    const rawTag = `${options.label}-raw-${round}`;
    await (await startRawSession(stack, { tag: rawTag, steps: options.steps, toolsPerStep: 2, toolOutputBytes: 0, conversation: 'new' })).result();
    if (round === 0) continue;
    result.orca.push(...stepIntervals(context, orcaTag));
    result.raw.push(...stepIntervals(context, rawTag));
    if (round === 1) {
      result.orcaSteps = stepHistories(await fetchAllRuns(stack.client, orcaTag), 'invokeModel').slice(0, -1);
      result.rawSteps = stepHistories(await fetchAllRuns(stack.client, rawTag), 'modelCall').slice(0, -1);
    }
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
