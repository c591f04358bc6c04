import type { Client } from '@temporalio/client';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { cliEnvironment, runCli } from '../support/orca-cli.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';
import { connectClient, countOf, temporaryRoot, waitFor } from './fault-kit.js';
import { gatedCall, heldMark, heldSessions, HeldSessionRuns } from './held-sessions.js';

/**
 * 20 sessions are stopped mid-way by a SIGKILL of their worker process: 7 in a model call, 7 in a
 * bash call, 6 waiting on a child session (3 children in a model call, 3 in a bash call). A new
 * worker process finishes them. The same 20 sessions first run without a kill, for reference.
 */
const SESSIONS = heldSessions({ model: 7, bash: 7, 'child-model': 3, 'child-bash': 3 });

describe('a worker process killed while 20 sessions are mid-way', () => {
  const address = inject('temporalAddress');
  const taskQueue = `faults-crash-${process.pid}-${Date.now()}`;
  let root: string;
  let client: Client;
  let runs: HeldSessionRuns;
  const workers: WorkerProcess[] = [];

  function startWorker(): WorkerProcess {
    const worker = startWorkerProcess({
      temporalAddress: address,
      taskQueue,
      modelBaseURL: runs.model.baseURL,
      storeDir: path.join(root, 'store'),
      configHome: path.join(root, 'config'),
      cwd: root,
    });
    workers.push(worker);
    return worker;
  }

  beforeAll(async () => {
    root = await temporaryRoot('orca-faults-crash-');
    runs = await HeldSessionRuns.start(root, SESSIONS);
    client = await connectClient(address);
  });

  afterAll(async () => {
    runs?.releaseAll();
    await Promise.all(workers.map((worker) => worker.stop()));
    await runs?.model.close();
    await client?.connection.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('every session completes with the reference answer; only the calls in flight at the kill run twice', { timeout: 180_000 }, async () => {
    const first = startWorker();
    await first.ready;

    // Reference: the same sessions, held at the same points, then let go without a kill.
    const reference = await runs.startPhase(client, taskQueue, 'reference');
    await waitFor(() => runs.allHeld('reference'), 'the reference sessions to reach their long calls', 60_000);
    await runs.release('reference');
    const expected = await runs.answers(reference);

    const crashed = await runs.startPhase(client, taskQueue, 'crash');
    await waitFor(() => runs.allHeld('crash'), 'the sessions to reach their long calls', 60_000);
    const callsBeforeKill = runs.calls('crash');
    const effectsBeforeKill = await runs.sideEffects('crash');
    const killedAt = Date.now();
    await first.kill('SIGKILL');

    // What a person sees meanwhile: the session runs, and nothing answers for it.
    const status = await runCli(['status', runs.workflowId(taskQueue, 'crash', 'M1')], { env: cliEnvironment({ TEMPORAL_ADDRESS: address }), cwd: root });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/status\s+running/);
    expect(status.stdout).toContain('(no worker answered the status query: is a worker running on its task queue?)');

    // The bash commands of the dead worker live on in their own process groups: let them finish too.
    await runs.release('crash');
    const second = startWorker();
    await second.ready;
    const actual = await runs.answers(crashed);
    const recoveredInMs = Date.now() - killedAt;

    expect(actual).toEqual(expected);
    for (const { key } of SESSIONS) expect(actual[key]).toMatch(new RegExp(`^${key} answer: .*${key}`, "s"));
    expect(actual.D1).toBe('D1 answer: <task id="<session>/helper-1" state="completed">\n<task_result>\nD1 helper answer: D1 c1 out\n<exit code: 0> | D1 c2 out\n<exit code: 0>\n</task_result>\n</task>');

    // Model calls, per (session, role, step): each once, except the one held in flight at the kill.
    const calls = runs.calls('crash');
    const inFlightCalls = SESSIONS.flatMap((session) => gatedCall(session, 'crash') ?? []);
    expect(inFlightCalls).toHaveLength(10);
    expect(new Set(calls)).toEqual(new Set(runs.calls('reference').map((call) => call.replace(/^reference/, 'crash'))));
    for (const call of new Set(calls)) expect([call, countOf(calls, call)]).toEqual([call, inFlightCalls.includes(call) ? 2 : 1]);
    expect(callsBeforeKill).toHaveLength(new Set(callsBeforeKill).size);

    // Side effects: each bash call that completed before the kill ran once; each held one ran twice,
    // once in the orphaned process group of the dead worker and once in the retried activity.
    const effects = await runs.sideEffects('crash');
    const heldCalls = SESSIONS.flatMap((session) => heldMark(session) ?? []);
    expect(heldCalls).toHaveLength(10);
    expect(new Set(effects)).toEqual(new Set(await runs.sideEffects('reference')));
    for (const effect of new Set(effects)) expect([effect, countOf(effects, effect)]).toEqual([effect, heldCalls.includes(effect) ? 2 : 1]);
    for (const effect of effectsBeforeKill) expect(heldCalls).not.toContain(effect);
    const started = await runs.startedMarks('crash');
    for (const mark of heldCalls) expect([mark, countOf(started, mark)]).toEqual([mark, 2]);

    // Histories agree with the reference's activity for activity; only the call in flight at the kill took attempt 2.
    for (const session of SESSIONS) {
      const activities = await runs.activities(client, taskQueue, 'crash', session.key);
      const referenceActivities = await runs.activities(client, taskQueue, 'reference', session.key);
      expect(activities.map((activity) => `${activity.type}: ${activity.summary}`)).toEqual(referenceActivities.map((activity) => `${activity.type}: ${activity.summary}`));
      expect(referenceActivities.filter((activity) => activity.attempt !== 1)).toEqual([]);
      const retried = activities.filter((activity) => activity.attempt !== 1).map((activity) => `${activity.type} attempt ${activity.attempt}`);
      expect([session.key, retried]).toEqual([session.key, [heldMark(session) ? 'runTool attempt 2' : 'invokeModel attempt 2']]);
    }
    console.log(`[faults] worker crash: 20 sessions completed ${recoveredInMs} ms after the SIGKILL`);
  });
});
