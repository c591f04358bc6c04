import { SERVER_VARIANTS, type ServerVariant } from '../bench-servers.js';
import { emit, progress, ratio } from '../figures.js';
import { openStack } from '../stack.js';
import type { Scenario } from './scenario.js';
import { measureStepLatency, p50p95 } from './step-latency.js';

const VARIANTS: ServerVariant[] = ['tuned', 'defaults', 'memory'];

export const devServerFlags: Scenario = {
  name: 'dev-server-flags',
  description: 'step latency on the embedded default (disk, Orca\'s flags), on the dev server\'s defaults, and in memory; raw Temporal on each',
  async run(context) {
    const p50s = new Map<ServerVariant, { orca: number; raw: number }>();
    for (const variant of VARIANTS) {
      const stack = await openStack(context, variant);
      try {
        progress(`dev-server-flags: ${variant} (${SERVER_VARIANTS[variant]}), 2 rounds of 10-step sessions`);
        const latency = await measureStepLatency(context, stack, { label: `flags-${variant}`, rounds: 2, steps: 10 });
        const orca = p50p95(latency.orca);
        const raw = p50p95(latency.raw);
        p50s.set(variant, { orca: orca.p50, raw: raw.p50 });
        emit({ scenario: 'lever/dev-server', figure: `step p50, ${SERVER_VARIANTS[variant]}`, unit: 'ms', orca: orca.p50, raw: raw.p50, ratio: ratio(orca.p50, raw.p50), server: variant });
      } finally {
        await stack.close();
      }
    }
    const disk = p50s.get('tuned')!;
    const memory = p50s.get('memory')!;
    const defaults = p50s.get('defaults')!;
    emit({
      scenario: 'lever/dev-server', figure: 'step p50, embedded default on disk vs in memory', unit: 'ms',
      orca: disk.orca, inMemory: memory.orca, ratio: ratio(disk.orca, memory.orca), against: 'Orca on the in-memory server',
      rawDiskPerMemory: ratio(disk.raw, memory.raw), target: 'ratio <= 1.3', meets: ratio(disk.orca, memory.orca)! <= 1.3,
    });
    emit({
      scenario: 'lever/dev-server', figure: 'step p50, Orca\'s flags vs the dev server\'s defaults (both on disk)', unit: 'ms',
      orca: disk.orca, defaults: defaults.orca, ratio: ratio(disk.orca, defaults.orca), against: 'Orca on the dev server\'s defaults',
      rawTunedPerDefaults: ratio(disk.raw, defaults.raw),
    });
  },
};
