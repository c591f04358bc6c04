import { SERVER_VARIANTS, type ServerVariant } from '../bench-servers.js';
import { emit, progress, ratio } from '../figures.js';
import { toolStepResponder } from '../model-router.js';
import { openStack, type Stack } from '../stack.js';
import type { Scenario } from './scenario.js';
import { collectRound, emptyLatency, p50p95, stepRound, type StepLatency } from './step-latency.js';

const VARIANTS: ServerVariant[] = ['tuned', 'defaults', 'memory'];
const ROUNDS = 4;
const STEPS = 10;

export const devServerFlags: Scenario = {
  name: 'dev-server-flags',
  description: 'step latency on the embedded default (disk, Orca\'s flags), on the dev server\'s defaults, and in memory; raw Temporal on each',
  async run(context) {
    // All three servers run at once and rounds alternate between them, so the machine's load at any moment weighs on each alike.
    const stacks = new Map<ServerVariant, Stack>();
    try {
      for (const variant of VARIANTS) stacks.set(variant, await openStack(context, variant));
      context.model.use(toolStepResponder({ steps: () => STEPS }));
      const latencies = new Map<ServerVariant, StepLatency>(VARIANTS.map((variant) => [variant, emptyLatency()]));
      for (let round = 0; round <= ROUNDS; round++) {
        progress(`dev-server-flags: round ${round} of ${ROUNDS} (round 0 warms up), ${STEPS}-step sessions on ${VARIANTS.join(', ')}`);
        for (const variant of VARIANTS) {
          const stack = stacks.get(variant)!;
          const tags = await stepRound(context, stack, { label: `flags-${variant}`, round, steps: STEPS });
          if (round > 0) await collectRound(context, stack, tags, latencies.get(variant)!);
        }
      }
      const p50s = new Map<ServerVariant, { orca: number; raw: number }>();
      for (const variant of VARIANTS) {
        const latency = latencies.get(variant)!;
        const [orca, raw] = [p50p95(latency.orca), p50p95(latency.raw)];
        p50s.set(variant, { orca: orca.p50, raw: raw.p50 });
        emit({
          scenario: 'lever/dev-server', figure: `step p50, ${SERVER_VARIANTS[variant]}`, unit: 'ms',
          orca: orca.p50, raw: raw.p50, ratio: ratio(orca.p50, raw.p50), server: variant, p95: { orca: orca.p95, raw: raw.p95 },
        });
      }
      const [disk, memory, defaults] = [p50s.get('tuned')!, p50s.get('memory')!, p50s.get('defaults')!];
      emit({
        scenario: 'lever/dev-server', figure: 'step p50, embedded default on disk vs in memory', unit: 'ms',
        orca: disk.orca, baseline: memory.orca, ratio: ratio(disk.orca, memory.orca), against: 'Orca on the in-memory server',
        rawDiskPerMemory: ratio(disk.raw, memory.raw), target: 'ratio <= 1.3', meets: ratio(disk.orca, memory.orca)! <= 1.3,
      });
      emit({
        scenario: 'lever/dev-server', figure: 'step p50, Orca\'s flags vs the dev server\'s defaults (both on disk)', unit: 'ms',
        orca: disk.orca, baseline: defaults.orca, ratio: ratio(disk.orca, defaults.orca), against: 'Orca on the dev server\'s defaults',
        rawTunedPerDefaults: ratio(disk.raw, defaults.raw),
      });
    } finally {
      await Promise.all([...stacks.values()].map((stack) => stack.close()));
    }
  },
};
