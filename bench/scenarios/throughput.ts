import { emit, progress, ratio, round } from '../figures.js';
import { toolStepResponder } from '../model-router.js';
import { inParallel, openStack, startOrcaSession, startRawSession, type Stack } from '../stack.js';
import type { Scenario } from './scenario.js';

const LOADS = [
  { sessions: 20, steps: 10 },
  { sessions: 100, steps: 4 },
];

/** Starts every session at once and waits for all; a step is one model call (the final answer counts as one). */
async function stepsPerSecond(stack: Stack, kind: 'orca' | 'raw', sessions: number, steps: number, workspace: string): Promise<number> {
  const started = performance.now();
  await inParallel(sessions, sessions, async (index) => {
    const tag = `throughput-${sessions}x${steps}-${kind}-${index}`;
    const handle = kind === 'orca'
      ? await startOrcaSession(stack, { tag, steps, workspace })
      : await startRawSession(stack, { tag, steps, toolsPerStep: 2, toolOutputBytes: 0, conversation: 'new' });
    await handle.result();
  });
  return (sessions * (steps + 1)) / ((performance.now() - started) / 1000);
}

export const throughput: Scenario = {
  name: 'throughput',
  description: 'steps per second at 20 and 100 concurrent sessions',
  async run(context) {
    const stack = await openStack(context, 'tuned');
    try {
      const workspace = await context.workspace(100);
      context.model.use(toolStepResponder({ steps: (tag) => Number(/^throughput-\d+x(\d+)-/.exec(tag)?.[1] ?? 0) }));
      // Warm both workers up, so neither pays for its first workflow in the measurement.
      await stepsPerSecond(stack, 'orca', 2, 1, workspace);
      await stepsPerSecond(stack, 'raw', 2, 1, workspace);
      for (const { sessions, steps } of LOADS) {
        progress(`throughput: ${sessions} concurrent sessions of ${steps + 1} steps, Orca then raw`);
        const orca = round(await stepsPerSecond(stack, 'orca', sessions, steps, workspace));
        const raw = round(await stepsPerSecond(stack, 'raw', sessions, steps, workspace));
        const target = sessions === 20 ? { target: 'ratio >= 0.75', meets: ratio(orca, raw)! >= 0.75 } : {};
        emit({ scenario: 'throughput', figure: `steps/s at ${sessions} sessions`, unit: 'steps/s', orca, raw, ratio: ratio(orca, raw), server: stack.variant, ...target });
      }
    } finally {
      await stack.close();
    }
  },
};
