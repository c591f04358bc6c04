import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { describeAnswerFailure, sessionOfApproval } from '../../../client/approval-commands.js';

describe('sessionOfApproval', () => {
  test.each([
    ['orca-build-1a2b3c4d:1', 'orca-build-1a2b3c4d'],
    ['orca-general-9f8e:12', 'orca-general-9f8e'],
    ['ci:release:build:3', 'ci:release:build'],
  ])('%s belongs to %s', (approvalId, sessionId) => {
    expect(sessionOfApproval(approvalId)).toBe(sessionId);
  });

  test.each(['orca-build-1a2b3c4d', 'orca-build-1a2b3c4d:', ':1', 'orca-build-1a2b3c4d:one'])('%s is not an approval id', (approvalId) => {
    expect(() => sessionOfApproval(approvalId)).toThrow(`"${approvalId}" is not an approval id; they look like orca-build-1a2b3c4d:1`);
  });
});

describe('describeAnswerFailure', () => {
  test('passes on what the session says is waiting', () => {
    const cause = ApplicationFailure.create({ message: 'No approval "s:9" is waiting in s. Waiting: s:1' });
    expect(describeAnswerFailure(new WorkflowUpdateFailedError('Workflow Update failed', cause), 's:9', 's')).toBe('No approval "s:9" is waiting in s. Waiting: s:1');
  });

  test('explains a session that is not running', () => {
    expect(describeAnswerFailure(new WorkflowNotFoundError('workflow execution already completed', 's', undefined), 's:1', 's'))
      .toMatch(/^Session s is not running \(it finished, or the id is wrong\), so nothing waits for s:1\./);
  });

  test('leaves other errors to the caller', () => {
    expect(describeAnswerFailure(new Error('connection refused'), 's:1', 's')).toBeUndefined();
  });
});

test('`orca approve` with a malformed id exits 2 without connecting to Temporal', async () => {
  const cliPath = fileURLToPath(new URL('../../../dist/client/cli.js', import.meta.url));
  const { code, stderr } = await new Promise<{ code: unknown; stderr: string }>((resolve) => {
    execFile(process.execPath, [cliPath, 'approve', 'orca-build-1a2b3c4d'], { env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' } }, (error, _stdout, err) =>
      resolve({ code: error?.code ?? 0, stderr: err }));
  });
  expect(code).toBe(2);
  expect(stderr).toBe('orca: "orca-build-1a2b3c4d" is not an approval id; they look like orca-build-1a2b3c4d:1 (see `orca run` output or the session\'s details in the Web UI).\n');
});
