import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../../client/dev-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

/** One real dev server and one workflow bundle for the whole run; each test file runs its own worker. */
export default async function setup(project: TestProject) {
  const directory = await mkdtemp(path.join(tmpdir(), 'orca-test-'));
  const [server, bundle] = await Promise.all([
    startDevServer({ dbFilename: path.join(directory, 'temporal.db') }),
    bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
      logger: { info() {}, debug() {}, trace() {}, log() {}, warn: console.warn, error: console.error },
    }),
  ]);
  const workflowBundlePath = path.join(directory, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, bundle.code);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  return async () => {
    await server.stop();
    await rm(directory, { recursive: true, force: true });
  };
}
