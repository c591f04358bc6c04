import type { Client, WorkflowHandle } from '@temporalio/client';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { messageText, startScriptedModelServer, type RecordedRequest, type ScriptedModelServer, type ScriptedReply } from '../../../client/scripted-model-server.js';
import type { sessionWorkflow } from '../../../workflows/session-workflow.js';
import { completedActivities, firstUserText, logLines, roleOf, stepOf, workflowTree, writeFiles, type ActivityAttempt } from './fault-kit.js';

/**
 * Sessions that each stop in one long call the test holds open, so a fault can strike while they
 * are mid-way: a model call (held at a gate in the scripted model), a bash call (held until a
 * `release` file appears), or a wait on a child session that is itself in one of those.
 * Each run ("phase") has its own workspace, so side effects can be counted per phase.
 */
export type Kind = 'model' | 'bash' | 'child-model' | 'child-bash';
export interface HeldSession { key: string; kind: Kind }

const PREFIX: Record<Kind, string> = { model: 'M', bash: 'B', 'child-model': 'C', 'child-bash': 'D' };

export function heldSessions(counts: Record<Kind, number>): HeldSession[] {
  return (Object.keys(counts) as Kind[]).flatMap((kind) => Array.from({ length: counts[kind] }, (_, index) => ({ key: `${PREFIX[kind]}${index + 1}`, kind })));
}

/** A primary agent that may delegate, and the subagent it delegates to; the fault tests script them by ROLE. */
export const LEAD = `---
description: Runs commands and delegates to helper
mode: primary
permission:
  task: allow
---
ROLE: lead
`;
export const HELPER = `---
description: Runs commands for the lead
mode: subagent
---
ROLE: helper
`;

const bash = (command: string) => ({ name: 'bash', arguments: { command, description: 'Runs the planned command' } });
/** A quick command whose side effect the test counts. */
const quick = (mark: string) => bash(`echo "${mark}" >> side-effects.log && echo "${mark} out"`);
/** Announces itself in started.log, holds until `release` exists (30 s at most), then leaves its side effect. */
const held = (mark: string) =>
  bash(`echo "${mark}" >> started.log; for i in $(seq 1 300); do [ -f release ] && break; sleep 0.1; done; echo "${mark}" >> side-effects.log && echo "${mark} out"`);
/** The final answer quotes every tool result of the conversation. */
const answer = (request: RecordedRequest, who: string): ScriptedReply => ({
  content: `${who} answer: ${request.body.messages.filter((message) => message.role === 'tool').map(messageText).join(' | ')}`,
});

/** The model step held at the gate on its first attempt, by session kind. */
export const GATED: Partial<Record<Kind, { role: string; step: number }>> = { model: { role: 'lead', step: 2 }, 'child-model': { role: 'helper', step: 2 } };

/** Prompts look like `M3 model` (root) and `C1 child-model` (helper); the script follows key, role and step. */
function script(request: RecordedRequest): ScriptedReply {
  const [key = '?', kind] = firstUserText(request).split(' ') as [string, Kind];
  const role = roleOf(request);
  const step = stepOf(request);
  if (role === 'lead' && kind === 'model') return step === 1 ? { toolCalls: [quick(`${key} s1`)] } : answer(request, key);
  if (role === 'lead' && kind === 'bash') {
    if (step === 1) return { toolCalls: [quick(`${key} s1`)] };
    return step === 2 ? { toolCalls: [held(`${key} s2`)] } : answer(request, key);
  }
  if (role === 'lead') {
    return step === 1 ? { toolCalls: [{ name: 'task', arguments: { description: 'Helper work', prompt: `${key} ${kind}`, subagent_type: 'helper' } }] } : answer(request, key);
  }
  if (role === 'helper' && kind === 'child-model') return step === 1 ? { toolCalls: [quick(`${key} c1`)] } : answer(request, `${key} helper`);
  if (role === 'helper' && kind === 'child-bash') {
    if (step === 1) return { toolCalls: [quick(`${key} c1`)] };
    return step === 2 ? { toolCalls: [held(`${key} c2`)] } : answer(request, `${key} helper`);
  }
  return { status: 400, errorMessage: `no script for ${role} ${key} ${kind}` };
}

/** The side-effect mark of the bash call a session of this kind is held in; undefined when it is held in a model call. */
export function heldMark({ key, kind }: HeldSession): string | undefined {
  return kind === 'bash' ? `${key} s2` : kind === 'child-bash' ? `${key} c2` : undefined;
}

/** The model call a session of this kind is held in, as callsOf names it; undefined when it is held in a bash call. */
export function gatedCall({ key, kind }: HeldSession, phase: string): string | undefined {
  const gatedStep = GATED[kind];
  return gatedStep && callId(phase, key, gatedStep.role, gatedStep.step);
}

function callId(phase: string, key: string, role: string, step: number): string {
  return `${phase} ${key} ${role} ${step}`;
}

const phaseOf = (request: RecordedRequest) => messageText(request.body.messages[0]).match(/PHASE: (\S+)/)?.[1] ?? '?';
const keyOf = (request: RecordedRequest) => firstUserText(request).split(' ')[0] ?? '?';
const idOf = (request: RecordedRequest) => callId(phaseOf(request), keyOf(request), roleOf(request), stepOf(request));

export class HeldSessionRuns {
  private readonly gates = new Map<string, { open: () => void; opened: Promise<void> }>();
  private readonly gated = new Set<string>();
  private readonly attempts = new Map<string, number>();
  /** The scripted model every phase talks to. */
  model!: ScriptedModelServer;

  private constructor(
    readonly root: string,
    readonly sessions: HeldSession[],
  ) {}

  /** Starts the scripted model for every phase; `root` holds one workspace per phase. */
  static async start(root: string, sessions: HeldSession[]): Promise<HeldSessionRuns> {
    const runs = new HeldSessionRuns(root, sessions);
    runs.model = await startScriptedModelServer({ respond: (request) => runs.respond(request) });
    return runs;
  }

  /** Follows the script; the first attempt of a gated model call waits for its phase's gate. */
  private async respond(request: RecordedRequest): Promise<ScriptedReply> {
    const id = idOf(request);
    const attempt = this.attempts.get(id) ?? 0;
    this.attempts.set(id, attempt + 1);
    const [, kind] = firstUserText(request).split(' ') as [string, Kind];
    const gatedStep = GATED[kind];
    if (attempt === 0 && gatedStep?.role === roleOf(request) && gatedStep.step === stepOf(request)) {
      this.gated.add(id);
      await this.gate(phaseOf(request)).opened;
    }
    return script(request);
  }

  private gate(phase: string) {
    if (!this.gates.has(phase)) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      this.gates.set(phase, { open, opened });
    }
    return this.gates.get(phase)!;
  }

  workspace(phase: string): string {
    return path.join(this.root, phase);
  }

  workflowId(taskQueue: string, phase: string, key: string): string {
    return `${taskQueue}-${phase}-${key}`;
  }

  /** Starts every session of the phase in its own workspace (the phase name is in the agents' prompts). */
  async startPhase(client: Client, taskQueue: string, phase: string): Promise<Map<string, WorkflowHandle<typeof sessionWorkflow>>> {
    await writeFiles(this.workspace(phase), { '.orca/agents/lead.md': `${LEAD}PHASE: ${phase}\n`, '.orca/agents/helper.md': `${HELPER}PHASE: ${phase}\n` });
    const handles = await Promise.all(
      this.sessions.map(({ key, kind }) =>
        client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
          taskQueue,
          workflowId: this.workflowId(taskQueue, phase, key),
          args: [{ agent: 'lead', prompt: `${key} ${kind}`, workspace: this.workspace(phase), model: 'scripted', onAsk: 'fail' }],
        }),
      ),
    );
    return new Map(this.sessions.map(({ key }, index) => [key, handles[index]!]));
  }

  /** True once every session of the phase is in its long call. */
  async allHeld(phase: string): Promise<boolean> {
    const started = await this.startedMarks(phase);
    return this.sessions.every((session) => {
      const call = gatedCall(session, phase);
      return call ? this.gated.has(call) : started.includes(heldMark(session)!);
    });
  }

  /** Lets every held call of the phase go on: opens the model gate and creates `release`. */
  async release(phase: string): Promise<void> {
    await writeFile(path.join(this.workspace(phase), 'release'), '');
    this.gate(phase).open();
  }

  releaseAll(): void {
    for (const gate of this.gates.values()) gate.open();
  }

  /** Final answers by session key; task ids, which name the parent session, read `<session>`. */
  async answers(handles: Map<string, WorkflowHandle<typeof sessionWorkflow>>): Promise<Record<string, string>> {
    const results = await Promise.all([...handles.values()].map((handle) => handle.result()));
    return Object.fromEntries([...handles.entries()].map(([key, handle], index) => [key, results[index]!.text.replaceAll(handle.workflowId, '<session>')]));
  }

  /** Every model request of the phase, named `<phase> <key> <role> <step>`. */
  calls(phase: string): string[] {
    return this.model.requests.filter((request) => phaseOf(request) === phase).map(idOf);
  }

  sideEffects(phase: string): Promise<string[]> {
    return logLines(path.join(this.workspace(phase), 'side-effects.log'));
  }

  startedMarks(phase: string): Promise<string[]> {
    return logLines(path.join(this.workspace(phase), 'started.log'));
  }

  /** Completed activities of a session and of every session below it, with the attempt that completed each. */
  async activities(client: Client, taskQueue: string, phase: string, key: string): Promise<ActivityAttempt[]> {
    const tree = await workflowTree(client, this.workflowId(taskQueue, phase, key));
    return (await Promise.all(tree.map((id) => completedActivities(client.workflow.getHandle(id))))).flat();
  }
}
