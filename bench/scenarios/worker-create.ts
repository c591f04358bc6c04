import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBenchServer } from '../bench-servers.js';
import { emit, median, progress, ratio, round } from '../figures.js';
import { closeOnExit } from '../stack.js';
import type { Scenario } from './scenario.js';

const probe = fileURLToPath(new URL('../worker-create-probe.js', import.meta.url));
const ROUNDS = 3;

function timeWorkerCreate(address: string, kind: string, rawBundlePath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [probe, address, kind, rawBundlePath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = output.split('\n').find((text) => text.startsWith('{'));
      if (code !== 0 || !line) return reject(new Error(`Worker.create probe ${kind} exited with ${code}`));
      resolve((JSON.parse(line) as { ms: number }).ms);
    });
  });
}

export const workerCreate: Scenario = {
  name: 'worker-create',
  description: 'Worker.create in a fresh process with the prebuilt workflow bundle vs bundling the workflows at start',
  async run(context) {
    const server = await startBenchServer('memory', context.directory);
    const stopServer = closeOnExit(() => server.stop());
    try {
      const times = new Map<string, number[]>();
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of ['orca-prebuilt', 'raw-prebuilt', 'orca-bundling', 'raw-bundling']) {
          times.set(kind, [...(times.get(kind) ?? []), await timeWorkerCreate(server.address, kind, context.rawBundlePath)]);
        }
        progress(`worker-create: round ${round + 1} of ${ROUNDS}`);
      }
      const at = (kind: string) => round(median(times.get(kind)!), 0);
      for (const source of ['prebuilt', 'bundling'] as const) {
        emit({
          scenario: 'lever/bundle', figure: `Worker.create, ${source === 'prebuilt' ? 'prebuilt bundle' : 'bundling at start'}`, unit: 'ms',
          orca: at(`orca-${source}`), raw: at(`raw-${source}`), ratio: ratio(at(`orca-${source}`), at(`raw-${source}`)), rounds: ROUNDS,
        });
      }
      emit({
        scenario: 'lever/bundle', figure: 'Worker.create, prebuilt vs bundling at start (Orca)', unit: 'ms',
        orca: at('orca-prebuilt'), baseline: at('orca-bundling'), ratio: ratio(at('orca-prebuilt'), at('orca-bundling')), against: 'Orca bundling at start',
      });
    } finally {
      await stopServer();
    }
  },
};
