import { emit, progress, ratio, round } from '../figures.js';
import { fetchAllRuns, stepHistories, totalEventBytes, type StepHistory } from '../history-bytes.js';
import { toolStepResponder } from '../model-router.js';
import { openStack, startOrcaSession, startRawSession, type BenchContext, type Stack } from '../stack.js';
import type { Scenario } from './scenario.js';

const STEPS = 200;
const MEASURED_STEPS = [10, 100, 200];
/** File sizes whose `read` output (numbered lines) is about 1 KB and 50 KB: 2 KB and 100 KB of tool output per step. */
const SIZES = [
  { label: '2 KB', fileBytes: 930, rawBytes: 1_000, inlineSteps: 100 },
  { label: '100 KB', fileBytes: 46_500, rawBytes: 50_000, inlineSteps: 15 },
];
const HISTORY_LIMIT = 50 * 2 ** 20;

interface Measured {
  steps: StepHistory[];
  totalBytes: number;
}

async function measure(stack: Stack, tag: string, modelActivity: string): Promise<Measured> {
  const events = await fetchAllRuns(stack.client, tag);
  return { steps: stepHistories(events, modelActivity), totalBytes: totalEventBytes(events) };
}

/** Bytes of the messages step k added to the conversation: the model's reply and the tool results (request k+1 minus request k). */
function newBytes(context: BenchContext, tag: string, step: number): number | undefined {
  const records = context.model.records.get(tag) ?? [];
  const after = records[step]?.messageBytes;
  const before = records[step - 1]?.messageBytes;
  return after !== undefined && before !== undefined ? after - before : undefined;
}

/** The step at which history passes 50 MB, if each step keeps adding what its last step added more than the one before. */
function stepReachingLimit(steps: StepHistory[]): number | undefined {
  const sizes = steps.map((step) => step.eventBytes);
  const n = sizes.length;
  if (n < 3) return undefined;
  let total = sizes.reduce((sum, size) => sum + size, 0);
  let size = sizes[n - 1]!;
  const growth = Math.max(0, (sizes[n - 1]! - sizes[1]!) / (n - 2));
  for (let step = n + 1; step < 1_000_000; step++) {
    size += growth;
    total += size;
    if (total >= HISTORY_LIMIT) return step;
  }
  return undefined;
}

export const history: Scenario = {
  name: 'history',
  description: `history bytes per step at steps ${MEASURED_STEPS.join(', ')}, with 2 KB and 100 KB of tool output per step, against the bytes new in that step`,
  async run(context) {
    // Compaction off: the whole conversation goes to the model at every step, the case that makes history quadratic when it is inline.
    const stack = await openStack(context, 'tuned', { contextLimit: 1_000_000_000 });
    try {
      const steps = new Map<string, number>();
      context.model.use(toolStepResponder({ steps: (tag) => steps.get(tag) ?? 0 }), { measureBytes: true });
      progress(`history: Orca and raw sessions of ${STEPS} steps (inline raw: fewer), all at once`);
      const runs: Promise<unknown>[] = [];
      for (const size of SIZES) {
        const tags = { orca: `history-${size.fileBytes}-orca`, raw: `history-${size.fileBytes}-raw`, inline: `history-${size.fileBytes}-inline` };
        steps.set(tags.orca, STEPS).set(tags.raw, STEPS).set(tags.inline, size.inlineSteps);
        const workspace = await context.workspace(size.fileBytes);
        runs.push(
          startOrcaSession(stack, { tag: tags.orca, steps: STEPS, workspace }).then((handle) => handle.result()),
          startRawSession(stack, { tag: tags.raw, steps: STEPS, toolsPerStep: 2, toolOutputBytes: size.rawBytes, conversation: 'new' }).then((handle) => handle.result()),
          startRawSession(stack, { tag: tags.inline, steps: size.inlineSteps, toolsPerStep: 2, toolOutputBytes: size.rawBytes, conversation: 'inline' }).then((handle) => handle.result()),
        );
      }
      await Promise.all(runs);

      for (const size of SIZES) {
        const orca = await measure(stack, `history-${size.fileBytes}-orca`, 'invokeModel');
        const raw = await measure(stack, `history-${size.fileBytes}-raw`, 'modelCall');
        const inline = await measure(stack, `history-${size.fileBytes}-inline`, 'modelCall');
        for (const step of MEASURED_STEPS) {
          const fresh = newBytes(context, `history-${size.fileBytes}-orca`, step);
          const orcaBytes = orca.steps[step - 1]?.payloadBytes;
          const rawBytes = raw.steps[step - 1]?.payloadBytes;
          const orcaPerNew = ratio(orcaBytes, fresh);
          emit({
            scenario: 'history', figure: `history bytes added by step ${step} (${size.label} tool output)`, unit: 'bytes',
            orca: orcaBytes, raw: rawBytes, ratio: ratio(orcaBytes, rawBytes), new: fresh, orcaPerNew, rawPerNew: ratio(rawBytes, fresh),
            target: 'orcaPerNew <= 2', meets: orcaPerNew !== undefined && orcaPerNew <= 2,
            orcaEventBytes: orca.steps[step - 1]?.eventBytes, rawEventBytes: raw.steps[step - 1]?.eventBytes,
          });
          const inlineBytes = inline.steps[step - 1]?.payloadBytes;
          if (inlineBytes !== undefined) {
            emit({
              scenario: 'lever/content-store', figure: `history bytes added by step ${step} (${size.label} tool output)`, unit: 'bytes',
              orca: orcaBytes, raw: inlineBytes, ratio: ratio(orcaBytes, inlineBytes), new: fresh,
              note: 'raw = a raw workflow that passes the whole conversation to every model call',
            });
          }
        }
        const sumTo = (measured: Measured, count: number) => measured.steps.slice(0, count).reduce((sum, step) => sum + step.eventBytes, 0);
        emit({
          scenario: 'lever/content-store', figure: `history after ${size.inlineSteps} steps (${size.label} tool output)`, unit: 'bytes',
          orca: sumTo(orca, size.inlineSteps), raw: sumTo(inline, size.inlineSteps), ratio: ratio(sumTo(orca, size.inlineSteps), sumTo(inline, size.inlineSteps)),
          rawNewOnly: sumTo(raw, size.inlineSteps),
          inlineReaches50MBAtStep: stepReachingLimit(inline.steps), orcaTotalAfter200Steps: orca.totalBytes,
          note: 'raw = whole conversation passed to every model call; rawNewOnly = a raw workflow passing only the new messages',
        });
      }
    } finally {
      await stack.close();
    }
  },
};

export const longSession: Scenario = {
  name: 'history-500',
  description: 'a 500-step session with 100 KB of tool output per step completes (Orca defaults: compaction, continue-as-new when suggested)',
  async run(context) {
    const stack = await openStack(context, 'tuned');
    try {
      const steps = 500;
      const size = SIZES[1]!;
      const workspace = await context.workspace(size.fileBytes);
      // After a compaction the prompt is no longer the first user message: unknown tags get tools until the step limit.
      context.model.use(toolStepResponder({ steps: (tag) => (tag === 'long-raw' ? steps - 1 : Infinity) }));
      progress(`history-500: an Orca session and a raw one (tool outputs inline, only the new messages) of ${steps} steps with ${size.label} of tool output each`);
      const started = performance.now();
      const orcaRun = startOrcaSession(stack, { tag: 'long-orca', steps, maxSteps: steps, workspace })
        .then((handle) => handle.result())
        .then((result) => ({ ok: true, steps: result.steps, ms: performance.now() - started }), (error: Error) => ({ ok: false, error: error.message, ms: performance.now() - started }));
      const rawRun = startRawSession(stack, { tag: 'long-raw', steps: steps - 1, toolsPerStep: 2, toolOutputBytes: size.rawBytes, conversation: 'new' })
        .then((handle) => handle.result())
        .then((count) => ({ ok: true, steps: count, ms: performance.now() - started }), (error: Error) => ({ ok: false, error: (error.cause as Error | undefined)?.message ?? error.message, ms: performance.now() - started }));
      const [orca, raw] = await Promise.all([orcaRun, rawRun]);
      const orcaEvents = await fetchAllRuns(stack.client, 'long-orca');
      const rawEvents = await fetchAllRuns(stack.client, 'long-raw');
      const runsOf = (events: typeof orcaEvents) => events.filter((event) => event.workflowExecutionStartedEventAttributes).length;
      const stepsOf = (events: typeof orcaEvents, modelActivity: string) => stepHistories(events, modelActivity).length;
      emit({
        scenario: 'history-500', figure: `${steps}-step session, ${size.label} tool output per step: history size`, unit: 'bytes',
        orca: totalEventBytes(orcaEvents), raw: totalEventBytes(rawEvents), ratio: ratio(totalEventBytes(orcaEvents), totalEventBytes(rawEvents)),
        target: 'Orca completes', meets: orca.ok,
        completed: { orca: orca.ok, raw: raw.ok },
        modelCalls: { orca: stepsOf(orcaEvents, 'invokeModel'), raw: stepsOf(rawEvents, 'modelCall') },
        runs: { orca: runsOf(orcaEvents), raw: runsOf(rawEvents) },
        errors: { orca: 'error' in orca ? orca.error : undefined, raw: 'error' in raw ? raw.error : undefined },
        orcaWallSeconds: round(orca.ms / 1000),
        note: 'raw = a raw workflow returning tool outputs inline and passing only the new messages to the model call; Orca with its defaults (compaction near the 128k context, continue-as-new when Temporal suggests it)',
      });
    } finally {
      await stack.close();
    }
  },
};
