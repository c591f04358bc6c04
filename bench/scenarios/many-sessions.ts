import type { WorkerTuning } from '../../worker/create-worker.js';
import { emit, progress, ratio, round } from '../figures.js';
import { toolStepResponder } from '../model-router.js';
import { inParallel, openStack, startOrcaSession, startRawSession, type BenchContext, type Stack } from '../stack.js';
import { cpuMs, type WorkerProcess } from '../workers.js';
import type { Scenario } from './scenario.js';

const SESSIONS = 1000;
const MODEL_MS = 5000;

/** What the bench proposes for the agent workload: activities mostly wait on a model, so slots are cheap. */
export const AGENT_WORKLOAD_TUNING: WorkerTuning = { maxConcurrentActivityTaskExecutions: 2000 };

interface Run {
  wallMs: number;
  /** From the first start to the last session's model request: how long sessions queued before their model call. */
  lastModelRequestMs: number;
  completed: number;
  rssPerSession: number;
  peakRss: number;
  workerCpuMsPerSession: number;
  serverCpuMsPerSession: number;
}

async function runSessions(context: BenchContext, stack: Stack, kind: 'orca' | 'raw', label: string, workspace: string): Promise<Run> {
  const worker: WorkerProcess = stack[kind];
  const [workerCpu, serverCpu] = [worker.cpuMs(), cpuMs(stack.server.pid)];
  const startedAt = Date.now();
  const baseline = worker.rss();
  let peakRss = baseline;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, worker.rss())), 200);
  const started = performance.now();
  let completed = 0;
  try {
    await inParallel(SESSIONS, SESSIONS, async (index) => {
      const tag = `many-${label}-${kind}-${index}`;
      const handle = kind === 'orca'
        ? await startOrcaSession(stack, { tag, steps: 0, workspace })
        : await startRawSession(stack, { tag, steps: 0, toolsPerStep: 0, toolOutputBytes: 0, conversation: 'new' });
      await handle.result();
      completed += 1;
    });
  } finally {
    clearInterval(sampler);
  }
  const wallMs = performance.now() - started;
  const requests = Array.from({ length: SESSIONS }, (_, index) => context.model.records.get(`many-${label}-${kind}-${index}`)?.[0]?.receivedAt ?? NaN);
  return {
    wallMs,
    lastModelRequestMs: Math.max(...requests) - startedAt,
    completed,
    peakRss,
    rssPerSession: (peakRss - baseline) / SESSIONS,
    workerCpuMsPerSession: (worker.cpuMs() - workerCpu) / SESSIONS,
    serverCpuMsPerSession: (cpuMs(stack.server.pid) - serverCpu) / SESSIONS,
  };
}

export const manySessions: Scenario = {
  name: 'many-sessions',
  description: `${SESSIONS} concurrent sessions, each waiting ${MODEL_MS / 1000} s on its model, with Temporal's default worker options and with the agent-workload tuning`,
  async run(context) {
    const workspace = await context.workspace(100);
    for (const [label, tuning] of [['default', undefined], ['tuned', AGENT_WORKLOAD_TUNING]] as const) {
      const stack = await openStack(context, 'tuned', { tuning });
      try {
        context.model.use(toolStepResponder({ steps: () => 0, delayMs: MODEL_MS }));
        progress(`many-sessions (${label} worker options): warming up, then ${SESSIONS} Orca sessions, then ${SESSIONS} raw`);
        await Promise.all([
          startOrcaSession(stack, { tag: `many-${label}-warm-orca`, steps: 0, workspace }).then((handle) => handle.result()),
          startRawSession(stack, { tag: `many-${label}-warm-raw`, steps: 0, toolsPerStep: 0, toolOutputBytes: 0, conversation: 'new' }).then((handle) => handle.result()),
        ]);
        const orca = await runSessions(context, stack, 'orca', label, workspace);
        const raw = await runSessions(context, stack, 'raw', label, workspace);
        const common = { scenario: 'many-sessions', sessions: SESSIONS, modelMs: MODEL_MS, workerOptions: tuning ?? 'Temporal defaults' };
        emit({
          ...common, figure: `wall time (${label} worker options)`, unit: 'ms', orca: round(orca.wallMs, 0), raw: round(raw.wallMs, 0),
          ratio: ratio(orca.wallMs, raw.wallMs), orcaPerModelTime: ratio(orca.wallMs, MODEL_MS), rawPerModelTime: ratio(raw.wallMs, MODEL_MS),
          completed: { orca: orca.completed, raw: raw.completed },
          lastModelRequestMs: { orca: round(orca.lastModelRequestMs, 0), raw: round(raw.lastModelRequestMs, 0) },
        });
        emit({
          ...common, figure: `worker CPU per session (${label} worker options)`, unit: 'ms',
          orca: round(orca.workerCpuMsPerSession), raw: round(raw.workerCpuMsPerSession), ratio: ratio(orca.workerCpuMsPerSession, raw.workerCpuMsPerSession),
          serverCpuMsPerSession: { orca: round(orca.serverCpuMsPerSession), raw: round(raw.serverCpuMsPerSession) },
        });
        emit({
          ...common, figure: `worker RSS per session (${label} worker options)`, unit: 'KB',
          orca: round(orca.rssPerSession / 1024, 0), raw: round(raw.rssPerSession / 1024, 0), ratio: ratio(orca.rssPerSession, raw.rssPerSession),
          peakRssMB: { orca: round(orca.peakRss / 2 ** 20, 0), raw: round(raw.peakRss / 2 ** 20, 0) },
        });
      } finally {
        await stack.close();
      }
    }
  },
};
