import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emit, progress } from './figures.js';
import { startModelRouter } from './model-router.js';
import { coldStart } from './scenarios/cold-start.js';
import { delegation } from './scenarios/delegation.js';
import { devServerFlags } from './scenarios/dev-server-flags.js';
import { history, longSession } from './scenarios/history.js';
import { manySessions } from './scenarios/many-sessions.js';
import type { Scenario } from './scenarios/scenario.js';
import { stepOverhead } from './scenarios/step-overhead.js';
import { throughput } from './scenarios/throughput.js';
import { workerCreate } from './scenarios/worker-create.js';
import { bundleRawWorkflows, closeEverything, workspaces, type BenchContext } from './stack.js';

const SCENARIOS: Scenario[] = [stepOverhead, delegation, throughput, history, longSession, manySessions, devServerFlags, workerCreate, coldStart];

const USAGE = `npm run bench [-- <scenario>...]   JSON figures on stdout, progress on stderr
Scenarios (all but the opt-in ones when none is named):
${SCENARIOS.map((scenario) => `  ${scenario.name.padEnd(18)}${scenario.description}${scenario.optIn ? ' (opt-in)' : ''}`).join('\n')}`;

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  if (names.includes('--help') || names.includes('-h')) return void console.error(USAGE);
  const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) throw new Error(`Unknown scenario ${unknown.join(', ')}.\n${USAGE}`);
  const chosen = names.length > 0 ? SCENARIOS.filter((scenario) => names.includes(scenario.name)) : SCENARIOS.filter((scenario) => !scenario.optIn);

  const directory = await realpath(await mkdtemp(path.join(tmpdir(), 'orca-bench-')));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping the servers and workers of this run`);
      void closeEverything()
        .then(() => rm(directory, { recursive: true, force: true }))
        .finally(() => process.exit(130));
    });
  }
  const model = await startModelRouter();
  const started = performance.now();
  try {
    const context: BenchContext = { directory, model, rawBundlePath: await bundleRawWorkflows(directory), workspace: workspaces(directory) };
    for (const scenario of chosen) {
      const scenarioStarted = performance.now();
      progress(`${scenario.name}: ${scenario.description}`);
      try {
        await scenario.run(context);
      } catch (error) {
        progress(`${scenario.name} failed: ${(error as Error).stack ?? String(error)}`);
        emit({ scenario: scenario.name, figure: 'failed', unit: '', skipped: true, note: (error as Error).message });
        process.exitCode = 1;
      }
      progress(`${scenario.name}: ${Math.round((performance.now() - scenarioStarted) / 1000)} s`);
    }
  } finally {
    await model.close();
    await rm(directory, { recursive: true, force: true });
  }
  progress(`done in ${Math.round((performance.now() - started) / 1000)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
