import { describe, expect, test } from 'vitest';
import { detectCiRun } from '../../../client/ci-run.js';
import { parseDuration } from '../../../client/duration.js';
import { EXIT } from '../../../client/exit-codes.js';
import { listQuery } from '../../../client/list-command.js';
import { createSearchAttributesCommand, devServerSearchAttributeArgs } from '../../../client/search-attribute-setup.js';
import { exitCodeForOutcome, type SessionOutcome } from '../../../client/session-outcome.js';
import { sessionStartOptions, sessionSummary } from '../../../client/session-start.js';
import type { PendingApproval } from '../../../workflows/messages.js';
import { ORCA_SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes.js';

const approval: PendingApproval = { id: 'orca-build-1:1', sessionId: 'orca-build-1', tool: 'bash', summary: 'bash: rm -rf dist', asks: [] };
const result = { sessionId: 's', agent: 'build', text: 'done', steps: 1, stopReason: 'final-answer' as const, usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 }, conversation: 'c', todos: [] };

describe('exit codes', () => {
  test.each<[SessionOutcome, number]>([
    [{ status: 'completed', result }, EXIT.success],
    [{ status: 'failed', error: 'boom' }, EXIT.failed],
    [{ status: 'failed', error: 'needs approval', failureType: 'ApprovalRequired' }, EXIT.waitingForApproval],
    [{ status: 'terminated', error: 'by hand' }, EXIT.failed],
    [{ status: 'cancelled' }, EXIT.cancelled],
    [{ status: 'timed-out' }, EXIT.timedOut],
    [{ status: 'running', pendingApprovals: [approval] }, EXIT.waitingForApproval],
    [{ status: 'running', pendingApprovals: [] }, EXIT.timedOut],
  ])('%j exits %i', (outcome, code) => {
    expect(exitCodeForOutcome(outcome)).toBe(code);
  });

  test('are the documented ones', () => {
    expect(EXIT).toEqual({ success: 0, failed: 1, usage: 2, cancelled: 3, waitingForApproval: 4, timedOut: 5 });
  });
});

describe('CI run detection', () => {
  test.each([
    [{ GITHUB_RUN_ID: '123', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/app' }, { id: '123', provider: 'github-actions', url: 'https://github.com/acme/app/actions/runs/123' }],
    [{ CI_PIPELINE_ID: '77', CI_PIPELINE_URL: 'https://gitlab.example/p/77' }, { id: '77', provider: 'gitlab', url: 'https://gitlab.example/p/77' }],
    [{ BUILD_ID: '9' }, { id: '9', provider: 'jenkins', url: undefined }],
    [{ ORCA_CI_RUN_ID: 'mine', GITHUB_RUN_ID: '123' }, { id: 'mine', provider: 'orca', url: undefined }],
    [{ GITHUB_RUN_ID: '' }, undefined],
  ])('%j', (env, expected) => {
    expect(detectCiRun(env)).toEqual(expected);
  });

  test('--ci-run-id wins over the environment', () => {
    expect(detectCiRun({ GITHUB_RUN_ID: '123' }, 'given')).toEqual({ id: 'given', provider: 'flag' });
  });
});

describe('session start options', () => {
  test('the summary is the agent and the first line of the prompt, clipped', () => {
    expect(sessionSummary('build', '\n  Fix the flaky test  \nin ci.yml')).toBe('build: Fix the flaky test');
    expect(sessionSummary('build', 'x'.repeat(300))).toHaveLength(120);
  });

  test('set the agent and CI run as search attributes, and attach re-runs of a chosen id', () => {
    const request = { agent: 'plan', prompt: 'Plan it', workspace: '/w', onAsk: 'deny' as const, taskQueue: 'q', ciRun: { id: '42', provider: 'flag' } };
    const chosen = sessionStartOptions({ ...request, id: 'orca-ci-42' }, 'orca-ci-42');
    expect(chosen).toMatchObject({
      workflowId: 'orca-ci-42',
      taskQueue: 'q',
      staticSummary: 'plan: Plan it',
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      args: [{ agent: 'plan', prompt: 'Plan it', workspace: '/w', onAsk: 'deny', ciRunId: '42' }],
    });
    expect(chosen.typedSearchAttributes).toEqual([
      { key: expect.objectContaining({ name: 'OrcaAgent' }), value: 'plan' },
      { key: expect.objectContaining({ name: 'OrcaCiRunId' }), value: '42' },
    ]);
    expect(chosen.staticDetails).toContain('CI run `42`');
    expect(sessionStartOptions(request, 'orca-plan-1')).toMatchObject({ workflowIdConflictPolicy: 'FAIL' });
  });
});

describe('search attributes', () => {
  test('every key is registered on the dev server and named in the create command', () => {
    const args = devServerSearchAttributeArgs();
    for (const key of ORCA_SEARCH_ATTRIBUTES) {
      expect(args).toContain(`${key.name}=Keyword`);
      expect(createSearchAttributesCommand('default')).toContain(`--name ${key.name} --type Keyword`);
    }
    expect(args.filter((arg) => arg === '--search-attribute')).toHaveLength(ORCA_SEARCH_ATTRIBUTES.length);
  });
});

describe('orca list', () => {
  test('filters on the search attributes', () => {
    expect(listQuery({})).toBe("WorkflowType = 'sessionWorkflow'");
    expect(listQuery({ agent: 'build', ciRunId: '42', status: 'waiting-for-approval' })).toBe(
      "WorkflowType = 'sessionWorkflow' AND OrcaAgent = 'build' AND OrcaCiRunId = '42' AND ExecutionStatus = 'Running' AND OrcaStatus = 'waiting-for-approval'",
    );
    expect(listQuery({ root: 'orca-build-1', status: 'cancelled' })).toBe("WorkflowType = 'sessionWorkflow' AND OrcaRootSession = 'orca-build-1' AND ExecutionStatus = 'Canceled'");
  });

  test('refuses values that would break out of the query', () => {
    expect(() => listQuery({ agent: "x' OR 'a'='a" })).toThrow('--agent cannot contain quotes');
  });
});

describe('durations', () => {
  test.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1_500],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['', 'soon', '10 minutes', '5d', '1h 30m'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow('expected a duration such as 90, 90s, 15m or 1h30m');
  });
});
