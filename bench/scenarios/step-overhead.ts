import { emit, progress, ratio } from '../figures.js';
import { openStack } from '../stack.js';
import type { Scenario } from './scenario.js';
import { measureStepLatency, p50p95, perStep } from './step-latency.js';

export const stepOverhead: Scenario = {
  name: 'step-overhead',
  description: 'one agent step (a model call, then two parallel tool calls), p50/p95, and what each step costs in history',
  async run(context) {
    const stack = await openStack(context, 'tuned');
    try {
      progress('step-overhead: 4 rounds of 20-step sessions, Orca and raw alternating');
      const latency = await measureStepLatency(context, stack, { label: 'step', rounds: 4, steps: 20 });
      const orca = p50p95(latency.orca);
      const raw = p50p95(latency.raw);
      const common = { scenario: 'step-overhead', unit: 'ms', server: stack.variant, samples: latency.orca.length };
      emit({ ...common, figure: 'step p50', orca: orca.p50, raw: raw.p50, ratio: ratio(orca.p50, raw.p50), target: 'ratio <= 1.3', meets: ratio(orca.p50, raw.p50)! <= 1.3 });
      emit({ ...common, figure: 'step p95', orca: orca.p95, raw: raw.p95, ratio: ratio(orca.p95, raw.p95), target: 'ratio <= 1.3', meets: ratio(orca.p95, raw.p95)! <= 1.3 });

      // Where the difference goes: each activity's own run and its wait in the task queue (server event times).
      for (const [orcaType, rawType] of [['invokeModel', 'modelCall'], ['runTool', 'tool']] as const) {
        for (const field of ['runMs', 'queuedMs'] as const) {
          const pick = (timings: typeof latency.orcaActivities, type: string) => timings.filter((timing) => timing.type === type).map((timing) => timing[field]);
          const [orcaMs, rawMs] = [p50p95(pick(latency.orcaActivities, orcaType)).p50, p50p95(pick(latency.rawActivities, rawType)).p50];
          emit({
            scenario: 'step-overhead', figure: `${orcaType} ${field === 'runMs' ? 'run (started to completed)' : 'queued (scheduled to started)'} p50`, unit: 'ms',
            orca: orcaMs, raw: rawMs, ratio: ratio(orcaMs, rawMs), rawActivity: rawType,
          });
        }
      }

      for (const field of ['runMs', 'queuedMs'] as const) {
        const [orcaMs, rawMs] = [p50p95(latency.orcaWorkflowTasks.map((task) => task[field])).p50, p50p95(latency.rawWorkflowTasks.map((task) => task[field])).p50];
        emit({
          scenario: 'step-overhead', figure: `workflow task ${field === 'runMs' ? 'run (started to completed)' : 'queued (scheduled to started)'} p50`, unit: 'ms',
          orca: orcaMs, raw: rawMs, ratio: ratio(orcaMs, rawMs),
        });
      }

      // Lever: no more activities, workflow tasks or messages per step than the loop needs.
      for (const [field, figure] of [
        ['activities', 'activities per step'],
        ['workflowTasks', 'workflow tasks per step'],
        ['messages', 'signals and updates per step'],
        ['events', 'history events per step'],
      ] as const) {
        const orcaCount = perStep(latency.orcaSteps, field);
        const rawCount = perStep(latency.rawSteps, field);
        emit({ scenario: 'lever/steps', figure, unit: 'count', orca: orcaCount, raw: rawCount, ratio: ratio(orcaCount, rawCount) });
      }
    } finally {
      await stack.close();
    }
  },
};
