import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PREBUILT_WORKFLOW_BUNDLE } from '../worker/create-worker.js';

const { code } = await bundleWorkflowCode({
  workflowsPath: fileURLToPath(new URL('../workflows/index.js', import.meta.url)),
  logger: { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} },
});
await writeFile(PREBUILT_WORKFLOW_BUNDLE, code);
console.error(`Workflow bundle: ${PREBUILT_WORKFLOW_BUNDLE}`);
