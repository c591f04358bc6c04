import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bashTool } from '../../../activities/tools/bash.js';
import { markProcessGroup } from '../../../activities/tools/leftover-process-group.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

const run = (command: string, extra: { timeout?: number; workdir?: string } = {}) =>
  temporary.run(bashTool, { command, description: 'test command', ...extra });

/** Alive and not a zombie waiting to be reaped. */
async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/^\d+ \(.*\) Z/.test(stat);
}

async function pidFrom(file: string): Promise<number> {
  return Number((await readFile(path.join(temporary.workspace, file), 'utf8')).trim());
}

describe('bash', () => {
  test('returns stdout and the exit code', async () => {
    const result = await run('echo hello');
    expect(result.output).toBe('hello\n<exit code: 0>');
    expect(result.metadata).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.title).toBe('test command');
  });

  test('shows stderr and a failing exit code', async () => {
    const result = await run('echo out; echo oops >&2; exit 3');
    expect(result.output).toContain('out');
    expect(result.output).toContain('oops');
    expect(result.output.endsWith('<exit code: 3>')).toBe(true);
  });

  test('says when there was no output', async () => {
    expect((await run('true')).output).toBe('(no output)\n<exit code: 0>');
  });

  test('runs in workdir, relative to the workspace', async () => {
    await temporary.write({ 'sub/marker': '' });
    expect((await run('ls', { workdir: 'sub' })).output).toBe('marker\n<exit code: 0>');
    await expect(run('ls', { workdir: 'missing' })).rejects.toThrow('Working directory not found: missing');
  });

  test('heartbeats every second while running', async () => {
    await run('sleep 1.5');
    expect(temporary.context.heartbeat).toHaveBeenCalled();
  });

  test('on timeout kills the whole process tree and says so', async () => {
    const started = Date.now();
    const result = await run('sleep 30 & echo $! > child.pid; sleep 30; wait', { timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.output).toContain('(Command timed out after 1000 ms; it and every process it started were killed.');
    expect(result.metadata).toMatchObject({ timedOut: true, exitCode: null });
    expect(await isAlive(await pidFrom('child.pid'))).toBe(false);
  });

  test('on cancellation kills the whole process tree and says so', async () => {
    setTimeout(() => temporary.abort.abort(), 500);
    const result = await run('sh -c "sleep 30" & echo $! > child.pid; wait');
    expect(result.output).toContain('(Command was cancelled');
    expect(result.metadata).toMatchObject({ aborted: true });
    expect(await isAlive(await pidFrom('child.pid'))).toBe(false);
  });

  test('follows SIGTERM with SIGKILL when the command ignores it', async () => {
    const started = Date.now();
    const result = await run("trap '' TERM; sleep 30 & echo $! > child.pid; wait", { timeout: 500 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(2400);
    expect(elapsed).toBeLessThan(10_000);
    expect(result.output).toContain('<killed by signal: SIGKILL>');
    expect(await isAlive(await pidFrom('child.pid'))).toBe(false);
  });

  test('does not wait for a background process that keeps its output open', async () => {
    const started = Date.now();
    const result = await run('(sleep 5; echo late) & echo $$ > group.pid; echo done');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.output).toBe('done\n<exit code: 0>');
    process.kill(-(await pidFrom('group.pid')), 'SIGKILL');
  });

  test('rejects a timeout over 10 minutes in its schema', () => {
    expect(bashTool.parameters.safeParse({ command: 'x', description: 'x', timeout: 600_001 }).success).toBe(false);
  });

  describe('permissions', () => {
    test('asks bash for every sub-command, suggesting prefix patterns for always', async () => {
      const requests = await temporary.permissions(bashTool, { command: 'git status --short && npm test | tee out.txt', description: 'x' });
      expect(requests).toEqual([{
        permission: 'bash',
        patterns: ['git status --short', 'npm test', 'tee out.txt'],
        always: ['git status *', 'npm test *', 'tee *'],
      }]);
    });

    test('asks external_directory for a workdir outside the workspace', async () => {
      const requests = await temporary.permissions(bashTool, { command: 'ls', description: 'x', workdir: temporary.outside });
      expect(requests[0]).toEqual({ permission: 'external_directory', patterns: [`${temporary.outside}/*`], always: [`${temporary.outside}/*`] });
      expect(requests[1]?.permission).toBe('bash');
    });
  });
});

test('a denied command behind an assignment or a wrapper is checked as the command it runs', async () => {
  const requests = await temporary.permissions(bashTool, { command: 'FOO=1 env git push origin', description: 'test' });
  expect(requests.find((request) => request.permission === 'bash')?.patterns).toEqual(['FOO=1 env git push origin', 'git push origin']);
});

describe('bash operands outside the workspace', () => {
  test.each([
    ['cat ../outside.txt', true],
    ['cat /etc/hostname && echo done', true],
    ['rm -rf ~/projects', true],
    ['cp src/a.ts src/b.ts', false],
    ['ls', false],
    ['echo ../not-a-file', false],
    ['cat notes.txt > /dev/null', false],
    ['echo leaked > /tmp/outside.txt', true],
    ['env cat ../outside.txt', true],
  ])('%s asks external_directory: %s', async (command, asks) => {
    const requests = await temporary.permissions(bashTool, { command, description: 'test' });
    expect(requests.some((request) => request.permission === 'external_directory')).toBe(asks);
  });
});

describe('a retried bash call', () => {
  async function leftoverGroup(): Promise<number> {
    const { spawn } = await import('node:child_process');
    const child = spawn('bash', ['-c', 'sleep 30'], { detached: true, stdio: 'ignore' });
    child.unref();
    return child.pid!;
  }

  test('kills what the previous attempt left running before it runs the command again', async () => {
    const pid = await leftoverGroup();
    temporary.context.previousAttempt = await markProcessGroup(pid);
    const result = await run('echo second attempt');
    expect(result.output).toContain('second attempt');
    await expect.poll(() => isAlive(pid)).toBe(false);
  });

  test('leaves a process alone when the mark does not prove it is the same one', async () => {
    const pid = await leftoverGroup();
    temporary.context.previousAttempt = { ...(await markProcessGroup(pid))!, startTime: '1' };
    await run('true');
    expect(await isAlive(pid)).toBe(true);
    process.kill(-pid, 'SIGKILL');
  });
});
