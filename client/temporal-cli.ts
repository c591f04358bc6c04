import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export function orcaCacheDir(): string {
  const base = process.env.ORCA_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'orca');
  return path.resolve(base);
}

export function cachedTemporalCliPath(): string {
  return path.join(orcaCacheDir(), `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** TEMPORAL_CLI_PATH, then `temporal` on PATH, then the cached build. */
export function findTemporalCli(): string | undefined {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_CLI_PATH=${configured} is not an executable file.`);
    return configured;
  }
  const cached = cachedTemporalCliPath();
  return onPath('temporal') ?? (isExecutable(cached) ? cached : undefined);
}

/** Finds the Temporal CLI, building it from the Go module proxy into the cache when none exists. */
export async function ensureTemporalCli(log: (line: string) => void = console.error): Promise<string> {
  const found = findTemporalCli();
  if (found) return found;
  const go = onPath('go');
  if (!go) {
    throw new Error(
      'No Temporal CLI found (looked at TEMPORAL_CLI_PATH, PATH and ' + cachedTemporalCliPath() + ') and no Go toolchain to build it. ' +
        `Install Go, or set TEMPORAL_CLI_PATH to a temporal binary, or set TEMPORAL_ADDRESS to use a running server.`,
    );
  }
  const target = cachedTemporalCliPath();
  const staging = `${path.dirname(target)}.building-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${path.dirname(target)} (a few minutes, once)...`);
  const started = Date.now();
  try {
    await runGoInstall(go, staging, (packages) => log(`  ...${Math.round((Date.now() - started) / 1000)} s, ${packages} packages compiled`));
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(path.join(staging, 'temporal'), target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`Temporal CLI ready: ${target} (${Math.round((Date.now() - started) / 1000)} s)`);
  return target;
}

function runGoInstall(go: string, gobin: string, progress: (packages: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', '-v', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let packages = 0;
    let tail = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      packages += chunk.split('\n').filter((line) => line && !line.startsWith('go: ')).length;
      tail = (tail + chunk).slice(-4000);
    });
    const ticker = setInterval(() => progress(packages), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`go install ${TEMPORAL_CLI_MODULE} failed with exit code ${code}:\n${tail}`));
    });
  });
}
