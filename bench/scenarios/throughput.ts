import { emit, progress, ratio, round } from '../figures.js';
import { toolStepResponder } from '../model-router.js';
import { inParallel, openStack, startOrcaSession, startRawSession, type Stack } from '../stack.js';
import { cpuMs } from '../workers.js';
import type { Scenario } from './scenario.js';

const LOADS = [
  { sessions: 20, steps: 10 },
  { sessions: 100, steps: 4 },
];

interface Load {
  stepsPerSecond: number;
  /** CPU used per step by the worker process and by the Temporal server. */
  workerCpuMsPerStep: number;
  serverCpuMsPerStep: number;
}

/** Two runs as one: steps/s over both (the mean of the rates, each run doing the same work), CPU per step averaged. */
function combine(a: Load, b: Load): Load {
  const mean = (field: keyof Load) => (a[field] + b[field]) / 2;
  return { stepsPerSecond: 2 / (1 / a.stepsPerSecond + 1 / b.stepsPerSecond), workerCpuMsPerStep: mean('workerCpuMsPerStep'), serverCpuMsPerStep: mean('serverCpuMsPerStep') };
}

let runs = 0;

/** Starts every session at once and waits for all; a step is one model call (the final answer counts as one). */
async function runLoad(stack: Stack, kind: 'orca' | 'raw', sessions: number, steps: number, workspace: string): Promise<Load> {
  const run = ++runs;
  const worker = stack[kind];
  const [workerCpu, serverCpu] = [worker.cpuMs(), cpuMs(stack.server.pid)];
  const started = performance.now();
  await inParallel(sessions, sessions, async (index) => {
    const tag = `throughput-${sessions}x${steps}-${kind}-${run}-${index}`;
    const handle = kind === 'orca'
      ? await startOrcaSession(stack, { tag, steps, workspace })
      : await startRawSession(stack, { tag, steps, toolsPerStep: 2, toolOutputBytes: 0, conversation: 'new' });
    await handle.result();
  });
  const total = sessions * (steps + 1);
  return {
    stepsPerSecond: total / ((performance.now() - started) / 1000),
    workerCpuMsPerStep: (worker.cpuMs() - workerCpu) / total,
    serverCpuMsPerStep: (cpuMs(stack.server.pid) - serverCpu) / total,
  };
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
      await runLoad(stack, 'orca', 2, 1, workspace);
      await runLoad(stack, 'raw', 2, 1, workspace);
      for (const { sessions, steps } of LOADS) {
        progress(`throughput: ${sessions} concurrent sessions of ${steps + 1} steps: Orca, raw, raw, Orca`);
        // Orca, raw, raw, Orca: a load on the machine that rises or falls during the runs weighs on both alike.
        const orcaFirst = await runLoad(stack, 'orca', sessions, steps, workspace);
        const rawLoad = combine(await runLoad(stack, 'raw', sessions, steps, workspace), await runLoad(stack, 'raw', sessions, steps, workspace));
        const orcaLoad = combine(orcaFirst, await runLoad(stack, 'orca', sessions, steps, workspace));
        const [orca, raw] = [round(orcaLoad.stepsPerSecond), round(rawLoad.stepsPerSecond)];
        const target = sessions === 20 ? { target: 'ratio >= 0.75', meets: ratio(orca, raw)! >= 0.75 } : {};
        emit({ scenario: 'throughput', figure: `steps/s at ${sessions} sessions`, unit: 'steps/s', orca, raw, ratio: ratio(orca, raw), server: stack.variant, ...target });
        for (const [field, label] of [['workerCpuMsPerStep', 'worker'], ['serverCpuMsPerStep', 'Temporal server']] as const) {
          const [orcaCpu, rawCpu] = [round(orcaLoad[field]), round(rawLoad[field])];
          emit({ scenario: 'throughput', figure: `${label} CPU per step at ${sessions} sessions`, unit: 'ms', orca: orcaCpu, raw: rawCpu, ratio: ratio(orcaCpu, rawCpu) });
        }
      }
    } finally {
      await stack.close();
    }
  },
};
