import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../client/config.js';
import { registerSessionCommands } from '../../../client/session-commands.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

const workflow = parse(readFileSync(fileURLToPath(new URL('../../../examples/github-actions/orca.yml', import.meta.url)), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, { env: Record<string, string>; steps: Step[]; 'timeout-minutes': number }>;
};
const job = workflow.jobs.orca!;
const runStep = job.steps.find((step) => step.run?.includes(' run --json'))!;

describe('examples/github-actions/orca.yml', () => {
  test('runs `orca run --json` with an id of the workflow run, so a re-run attaches to the same session', () => {
    expect(runStep.run).toContain('node "$ORCA" run --json --id "orca-ci-${{ github.run_id }}"');
    expect(runStep.run).toContain('> orca-result.json');
    expect(runStep.if).toBeUndefined();
  });

  test('uses only options `orca run` has, and stops waiting before GitHub stops the job', () => {
    const program = new Command('orca');
    registerSessionCommands(program);
    const known = new Set(program.commands.find((command) => command.name() === 'run')!.options.map((option) => option.long));
    const used = runStep.run!.match(/ --[a-z-]+/g)!.map((flag) => flag.trim());
    for (const flag of used) expect(known, flag).toContain(flag);
    const timeout = Number(runStep.run!.match(/--timeout (\d+)m/)![1]);
    expect(timeout).toBeLessThan(job['timeout-minutes']);
  });

  test('takes the server from a secret (unset: the embedded one) and the rest from variables Orca reads', () => {
    expect(job.env.TEMPORAL_ADDRESS).toBe('${{ secrets.TEMPORAL_ADDRESS }}');
    expect(job.env.OPENAI_API_KEY).toBe('${{ secrets.OPENAI_API_KEY }}');
    const config = loadConfig({ cwd: '/', env: { ORCA_AGENT: 'plan', ORCA_ON_ASK: job.env.ORCA_ON_ASK, TEMPORAL_ADDRESS: '' } });
    expect(config).toMatchObject({ agent: 'plan', onAsk: 'deny', temporalAddress: undefined });
  });

  test('uploads the JSON result (and the embedded server database) even when the run step failed', () => {
    const upload = job.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe('always()');
    expect(String(upload.with!.path)).toContain('orca-result.json');
    expect(String(upload.with!.path)).toContain('.orca/temporal.db');
    expect(job.steps.indexOf(upload)).toBeGreaterThan(job.steps.indexOf(runStep));
  });
});
