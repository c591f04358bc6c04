import type { Client } from '@temporalio/client';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, startDevServer, type DevServer } from '../../../client/dev-server.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';
import { connectClient, countOf, temporaryRoot, waitFor } from './fault-kit.js';
import { gatedCall, heldMark, heldSessions, HeldSessionRuns } from './held-sessions.js';

/**
 * The Temporal dev server is killed (SIGKILL: no chance to flush anything) while sessions are
 * mid-way, their held calls finish while it is down, and it comes back on the same SQLite file and
 * port. The worker process stays up throughout.
 */
const SESSIONS = heldSessions({ model: 2, bash: 2, 'child-model': 2, 'child-bash': 2 });
/** The worker retries delivering a result for about 10 s (the Temporal core SDK's retry budget); outlast it. */
const LONG_OUTAGE_MS = 15_000;

describe('a dev server restarted on the same database while sessions are mid-way', () => {
  const taskQueue = `faults-restart-${process.pid}-${Date.now()}`;
  let root: string;
  let port: number;
  let server: DevServer | undefined;
  let client: Client | undefined;
  let runs: HeldSessionRuns;
  let worker: WorkerProcess | undefined;

  const startServer = async () => {
    server = await startDevServer({ dbFilename: path.join(root, 'temporal.db'), port, logFile: path.join(root, 'temporal.log') });
    return server;
  };

  beforeAll(async () => {
    root = await temporaryRoot('orca-faults-restart-');
    port = await freePort();
    runs = await HeldSessionRuns.start(root, SESSIONS);
    await startServer();
  });

  afterAll(async () => {
    runs?.releaseAll();
    await worker?.stop();
    await runs?.model.close();
    await client?.connection.close();
    await server?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  let expected: Record<string, string>;

  /** Holds every session mid-way, kills the server, lets the held calls finish, restarts it after `downMs`. */
  async function restartMidWay(phase: string, downMs: number) {
    const restarted = await runs.startPhase(client!, taskQueue, phase);
    await waitFor(() => runs.allHeld(phase), 'the sessions to reach their long calls', 60_000);
    const callsBeforeKill = runs.calls(phase);
    await client!.connection.close();
    client = undefined;
    process.kill(server!.pid, 'SIGKILL');
    await server!.stop();
    const downAt = Date.now();

    // The held calls finish while the server is down; the worker retries delivering their results.
    await runs.release(phase);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await startServer();
    const upAt = Date.now();
    client = await connectClient(server!.address);
    const answers = await Promise.all([...restarted.keys()].map((key) => client!.workflow.getHandle(runs.workflowId(taskQueue, phase, key)).result()));
    const actual = Object.fromEntries([...restarted.keys()].map((key, index) => [key, answers[index]!.text.replaceAll(runs.workflowId(taskQueue, phase, key), '<session>')]));

    const calls = runs.calls(phase);
    const effects = await runs.sideEffects(phase);
    const inFlightCalls = SESSIONS.flatMap((session) => gatedCall(session, phase) ?? []);
    const heldCommands = SESSIONS.flatMap((session) => heldMark(session) ?? []);
    const stats = { downMs: upAt - downAt, doneMs: Date.now() - upAt, repeatedModelCalls: inFlightCalls.filter((call) => countOf(calls, call) > 1).length, repeatedCommands: heldCommands.filter((mark) => countOf(effects, mark) > 1).length };
    console.log(`[faults] server restart (${phase}): down ${stats.downMs} ms; sessions done ${stats.doneMs} ms after it was back; in-flight calls repeated: ${stats.repeatedModelCalls}/${inFlightCalls.length} model, ${stats.repeatedCommands}/${heldCommands.length} bash`);

    expect(actual).toEqual(expected);
    // Calls that had completed before the kill were not made again; those in flight at most twice.
    for (const call of new Set(callsBeforeKill)) if (!inFlightCalls.includes(call)) expect([call, countOf(calls, call)]).toEqual([call, 1]);
    for (const call of new Set(calls)) expect(countOf(calls, call)).toBeLessThanOrEqual(inFlightCalls.includes(call) ? 2 : 1);
    for (const effect of new Set(effects)) expect(countOf(effects, effect)).toBeLessThanOrEqual(heldCommands.includes(effect) ? 2 : 1);
    expect(new Set(effects)).toEqual(new Set(await runs.sideEffects('reference')));
    return stats;
  }

  test('sessions resume and complete with the answers of an uninterrupted run after a short restart', { timeout: 120_000 }, async () => {
    client = await connectClient(server!.address);
    worker = startWorkerProcess({
      temporalAddress: server!.address,
      taskQueue,
      modelBaseURL: runs.model.baseURL,
      storeDir: path.join(root, 'store'),
      configHome: path.join(root, 'config'),
      cwd: root,
    });
    await worker.ready;
    const reference = await runs.startPhase(client, taskQueue, 'reference');
    await waitFor(() => runs.allHeld('reference'), 'the reference sessions to reach their long calls', 60_000);
    await runs.release('reference');
    expected = await runs.answers(reference);

    await restartMidWay('short', 2_000);
  });

  test('after an outage longer than the worker retries delivering results, each call in flight runs once more', { timeout: 120_000 }, async () => {
    expect(expected, 'the first test ran').toBeDefined();
    const stats = await restartMidWay('long', LONG_OUTAGE_MS);
    expect(stats).toMatchObject({ repeatedModelCalls: 4, repeatedCommands: 4 });
    expect(worker!.output()).toContain('Orca worker polling');
  });
});
