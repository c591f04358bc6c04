import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isServing } from '../../client/dev-server.js';
import { EMBEDDED_ADDRESS } from '../../client/temporal-target.js';
import type { ColdStartResult } from '../cold-start-child.js';
import { emit, median, progress, ratio, round } from '../figures.js';
import { closeOnExit } from '../stack.js';
import type { Scenario } from './scenario.js';

const ROUNDS = 3;
const child = fileURLToPath(new URL('../cold-start-child.js', import.meta.url));

/** A network namespace of its own keeps the embedded ports free even when someone runs `orca dev` on this machine. */
function canUseNetworkNamespace(): boolean {
  return spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;
}

function runChild(isolated: boolean): Promise<ColdStartResult> {
  const [command, args] = isolated
    ? ['unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, child, String(ROUNDS)]]
    : [process.execPath, [child, String(ROUNDS)]];
  return new Promise((resolve, reject) => {
    const process_ = spawn(command, args as string[], { stdio: ['ignore', 'pipe', 'inherit'] });
    const forget = closeOnExit(async () => void process_.kill('SIGTERM'));
    let output = '';
    process_.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    process_.once('error', reject);
    process_.once('exit', (code) => {
      void forget();
      const line = output.trim().split('\n').at(-1);
      if (code !== 0 || !line?.startsWith('{')) return reject(new Error(`the cold-start rounds exited with ${code}`));
      resolve(JSON.parse(line) as ColdStartResult);
    });
  });
}

export const coldStart: Scenario = {
  name: 'cold-start',
  description: '`orca run` on the embedded default (fresh .orca/) until the first model request, against the floor: dev server ready + Worker.create with the prebuilt bundle',
  async run() {
    const isolated = canUseNetworkNamespace();
    if (!isolated && (await isServing(EMBEDDED_ADDRESS))) {
      emit({
        scenario: 'cold-start', figure: 'orca run to first model request', unit: 'ms', skipped: true,
        note: `a Temporal server already answers on ${EMBEDDED_ADDRESS} (orca dev?) and no network namespace is available (unshare -n), so orca run would not start its own`,
      });
      return;
    }
    progress(`cold-start: ${ROUNDS} rounds of orca run and of the floor${isolated ? ', in a network namespace of their own' : ''}`);
    const result = await runChild(isolated);
    const orca = round(median(result.orca), 0);
    const floor = round(median(result.floor), 0);
    emit({
      scenario: 'cold-start', figure: 'orca run to first model request', unit: 'ms', orca, raw: floor, ratio: ratio(orca, floor),
      against: 'the floor: dev server ready + Worker.create with the prebuilt bundle, in a fresh process',
      target: 'ratio <= 1.5', meets: ratio(orca, floor)! <= 1.5, rounds: ROUNDS,
      floorServerReadySinceSpawnMs: round(median(result.floorParts.map((part) => part.serverReadyMs)), 0),
      floorWorkerCreateMs: round(median(result.floorParts.map((part) => part.workerCreateMs)), 0),
      orcaRunTotalMs: round(median(result.orcaTotal), 0),
      serverListeningMs: { orca: round(median(result.orcaListening), 0), floor: round(median(result.floorListening), 0) },
      samples: { orca: result.orca.map((ms) => round(ms, 0)), floor: result.floor.map((ms) => round(ms, 0)) },
    });
  },
};
