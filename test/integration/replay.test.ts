import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, test } from 'vitest';

const FIXTURES = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));
/** One folder per version of the workflow code that recorded them: sessions of every version may still be running. */
const versions = readdirSync(FIXTURES).sort();
const fixtures = versions.flatMap((version) => readdirSync(FIXTURES + version).filter((file) => file.endsWith('.json')).map((file) => `${version}/${file}`));

/**
 * The determinism gate: recorded histories of representative sessions must replay against the
 * current workflow code, or sessions in flight would break on the next deployment.
 * After a patched change, record the new version beside the old ones:
 * ORCA_RECORD_HISTORIES=v2 npx vitest run --project record
 */
describe('recorded sessions replay against the current workflow code', () => {
  test.each(versions)('%s has every representative session', (version) => {
    const scenarios = new Set(fixtures.filter((file) => file.startsWith(`${version}/`)).map((file) => file.slice(version.length + 1).replace(/-\d+\.json$/, '')));
    expect([...scenarios].sort()).toEqual(['approval', 'continue-as-new', 'delegation-tree', 'plain-session']);
  });

  test.each(fixtures)('%s', async (file) => {
    const { workflowId, history } = JSON.parse(readFileSync(FIXTURES + file, 'utf8')) as { workflowId: string; history: string };
    const decoded = temporal.api.history.v1.History.decode(Buffer.from(history, 'base64'));
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, decoded, workflowId);
  });
});
