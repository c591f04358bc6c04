import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startScriptedModelServer } from '../client/scripted-model-server.js';
import { EMBEDDED_PORT } from '../client/temporal-target.js';
import { whenListening } from './port-probe.js';

// Runs the cold-start rounds where the embedded ports (7233, 8233) are free: the bench starts it in
// a network namespace of its own, so a server someone else runs on this machine does not count.

export interface ColdStartResult {
  /** `orca run` spawned to the first model request, per round. */
  orca: number[];
  /** `orca run` spawned to its exit (the answer printed, the embedded server stopped). */
  orcaTotal: number[];
  /** Floor process spawned to ready (dev server ready, then Worker.create with the prebuilt bundle). */
  floor: number[];
  floorParts: { serverReadyMs: number; workerCreateMs: number }[];
  /** Spawned to the embedded server's port accepting connections, per round. */
  orcaListening: number[];
  floorListening: number[];
}

const cli = fileURLToPath(new URL('../client/cli.js', import.meta.url));
const floor = fileURLToPath(new URL('./cold-start-floor.js', import.meta.url));
const rounds = Number(process.argv[2] ?? 3);

async function run(): Promise<ColdStartResult> {
  let onRequest: (() => void) | undefined;
  const model = await startScriptedModelServer({
    respond: () => {
      onRequest?.();
      return { content: 'done' };
    },
  });
  const environment: NodeJS.ProcessEnv = { ...process.env, OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'bench', ORCA_MODEL: 'scripted' };
  for (const variable of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'ORCA_TASK_QUEUE', 'ORCA_STORE_DIR']) delete environment[variable];
  const result: ColdStartResult = { orca: [], orcaTotal: [], floor: [], floorParts: [], orcaListening: [], floorListening: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      const cwd = await mkdtemp(path.join(tmpdir(), 'orca-cold-'));
      try {
        const firstRequest = new Promise<number>((resolve) => (onRequest = () => resolve(performance.now())));
        const started = performance.now();
        const listening = whenListening(EMBEDDED_PORT);
        const child = spawn(process.execPath, [cli, 'run', '--agent', 'build', '--on-ask', 'deny', 'Say done.'], { cwd, env: environment, stdio: ['ignore', 'ignore', 'pipe'] });
        let errors = '';
        child.stderr.setEncoding('utf8').on('data', (text: string) => (errors = (errors + text).slice(-4000)));
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        const first = await Promise.race([firstRequest, exited.then((code) => Promise.reject(new Error(`orca run exited with ${code} before calling the model:\n${errors}`)))]);
        result.orca.push(first - started);
        result.orcaListening.push((await listening)! - started);
        const code = await exited;
        if (code !== 0) throw new Error(`orca run exited with ${code}:\n${errors}`);
        result.orcaTotal.push(performance.now() - started);
      } finally {
        onRequest = undefined;
        await rm(cwd, { recursive: true, force: true });
      }

      const floorDir = await mkdtemp(path.join(tmpdir(), 'orca-floor-'));
      try {
        const started = performance.now();
        const listening = whenListening(EMBEDDED_PORT);
        const child = spawn(process.execPath, [floor, path.join(floorDir, '.orca')], { stdio: ['ignore', 'pipe', 'inherit'] });
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        const parts = await new Promise<ColdStartResult['floorParts'][number]>((resolve, reject) => {
          let output = '';
          child.stdout.setEncoding('utf8').on('data', (text: string) => {
            output += text;
            const match = /^ready (.*)$/m.exec(output);
            if (match) resolve(JSON.parse(match[1]!) as ColdStartResult['floorParts'][number]);
          });
          void exited.then((code) => reject(new Error(`the floor process exited with ${code} before it was ready`)));
        });
        result.floor.push(performance.now() - started);
        result.floorListening.push((await listening)! - started);
        result.floorParts.push(parts);
        child.kill('SIGTERM');
        await exited;
      } finally {
        await rm(floorDir, { recursive: true, force: true });
      }
    }
  } finally {
    await model.close();
  }
  return result;
}

run().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
