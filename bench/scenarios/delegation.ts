import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionInput } from '../../workflows/session-types.js';
import { emit, progress, ratio } from '../figures.js';
import { openStack, SESSION_TIMEOUT, type BenchContext, type Stack } from '../stack.js';
import type { Scenario } from './scenario.js';
import { p50p95 } from './step-latency.js';

const ROUNDS = 8;
const SUBAGENT = 'general';

function startOrchestrator(stack: Stack, tag: string, workspace: string) {
  const input: SessionInput = { agent: 'orchestrator', prompt: tag, workspace, model: 'scripted', maxSteps: 3, onAsk: 'deny' };
  return stack.client.workflow.start('sessionWorkflow', {
    taskQueue: stack.orca.config.taskQueue,
    workflowId: tag,
    workflowExecutionTimeout: SESSION_TIMEOUT,
    args: [input],
  });
}

interface DelegationTimes {
  /** The child workflow's start (its first history event) to its first model request. */
  childStart: number;
  /** The parent's model request that answers with the delegation to the child's first model request. */
  fromParent: number;
}

function timestampMs(time: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;
}

async function delegationTimes(context: BenchContext, stack: Stack, parentTag: string, childTag: string): Promise<DelegationTimes | undefined> {
  const parent = context.model.records.get(parentTag)?.[0];
  const child = context.model.records.get(childTag)?.[0];
  if (!parent || !child) return undefined;
  const parentHistory = await stack.client.workflow.getHandle(parentTag).fetchHistory();
  const childId = parentHistory.events
    ?.map((event) => event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId)
    .find(Boolean);
  if (!childId) return undefined;
  const childHistory = await stack.client.workflow.getHandle(childId).fetchHistory();
  return { childStart: child.receivedAt - timestampMs(childHistory.events?.[0]?.eventTime), fromParent: child.receivedAt - parent.receivedAt };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`${what} did not finish within ${ms} ms`)))]);
}

export const delegation: Scenario = {
  name: 'delegation',
  description: 'a `task` call from the orchestrator: child start to its first model call',
  async run(context) {
    const stack = await openStack(context, 'tuned');
    try {
      const workspace = await context.workspace(100);
      const probe = 'delegation-probe';
      context.model.use(() => ({ content: 'done' }));
      await withTimeout((await startOrchestrator(stack, probe, workspace)).result(), 60_000, 'The probe session');
      const offered = context.model.records.get(probe)?.[0]?.tools ?? [];
      if (!offered.includes('task')) {
        emit({
          scenario: 'delegation', figure: 'child start to first model call p50', unit: 'ms', skipped: true,
          note: `delegation is not available yet: the orchestrator was offered [${offered.join(', ')}], no task tool`,
        });
        return;
      }
      context.model.use((info) => {
        if (info.tag.startsWith('child-') || !info.offeredTools || info.step > 0) return { content: 'done' };
        return { toolCalls: [{ id: `${info.tag}-task`, name: 'task', arguments: { description: 'bench child', prompt: `child-${info.tag}`, subagent_type: SUBAGENT } }] };
      });

      progress(`delegation: ${ROUNDS} rounds of an orchestrator delegating to ${SUBAGENT}, and of a raw parent starting a child`);
      const orcaTimes: DelegationTimes[] = [];
      const rawTimes: DelegationTimes[] = [];
      for (let round = 0; round <= ROUNDS; round++) {
        const orcaTag = `delegation-orca-${round}`;
        await withTimeout((await startOrchestrator(stack, orcaTag, workspace)).result(), 60_000, 'An orchestrator session');
        const rawTag = `delegation-raw-${round}`;
        await stack.client.workflow.execute('rawParentWorkflow', {
          taskQueue: stack.raw.config.taskQueue,
          workflowId: rawTag,
          workflowExecutionTimeout: SESSION_TIMEOUT,
          args: [{ tag: rawTag, childTag: `child-${rawTag}` }],
        });
        if (round === 0) continue;
        const orcaTime = await delegationTimes(context, stack, orcaTag, `child-${orcaTag}`);
        const rawTime = await delegationTimes(context, stack, rawTag, `child-${rawTag}`);
        if (!orcaTime || !rawTime) {
          emit({ scenario: 'delegation', figure: 'child start to first model call p50', unit: 'ms', skipped: true, note: 'the orchestrator offered task, but no child model request arrived for it' });
          return;
        }
        orcaTimes.push(orcaTime);
        rawTimes.push(rawTime);
      }
      const common = { scenario: 'delegation', unit: 'ms', server: stack.variant, samples: orcaTimes.length, subagent: SUBAGENT };
      for (const [field, label] of [['childStart', 'child start to first model call'], ['fromParent', 'parent model call to child model call']] as const) {
        const orca = p50p95(orcaTimes.map((times) => times[field]));
        const raw = p50p95(rawTimes.map((times) => times[field]));
        const target = field === 'childStart' ? { target: 'ratio <= 1.3', meets: ratio(orca.p50, raw.p50)! <= 1.3 } : {};
        emit({ ...common, figure: `${label} p50`, orca: orca.p50, raw: raw.p50, ratio: ratio(orca.p50, raw.p50), ...target });
        emit({ ...common, figure: `${label} p95`, orca: orca.p95, raw: raw.p95, ratio: ratio(orca.p95, raw.p95) });
      }
    } finally {
      await stack.close();
    }
  },
};
