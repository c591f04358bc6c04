import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { pathPermissions, resolveWorkspacePath } from '../../../activities/tools/workspace-path.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

describe('resolveWorkspacePath', () => {
  test.each([
    ['src/x.ts', 'src/x.ts'],
    ['./src/../src/x.ts', 'src/x.ts'],
    ['.', '.'],
    ['..foo', '..foo'],
  ])('%s stays inside as %s', async (given, relative) => {
    const resolved = await resolveWorkspacePath(temporary.workspace, given);
    expect(resolved).toMatchObject({ relative, external: false, absolute: path.join(temporary.workspace, relative) });
  });

  test('an absolute path inside the workspace is inside', async () => {
    const resolved = await resolveWorkspacePath(temporary.workspace, path.join(temporary.workspace, 'a.txt'));
    expect(resolved).toMatchObject({ relative: 'a.txt', external: false });
  });

  test.each(['../outside/secret.txt', '../../etc/passwd', 'src/../../outside/x'])('traversal %s is external', async (given) => {
    expect((await resolveWorkspacePath(temporary.workspace, given)).external).toBe(true);
  });

  test('an absolute path elsewhere is external', async () => {
    const resolved = await resolveWorkspacePath(temporary.workspace, '/etc/hosts');
    expect(resolved).toMatchObject({ absolute: '/etc/hosts', external: true });
  });

  test('a symlink leaving the workspace is external, even for files not yet created under it', async () => {
    await symlink(temporary.outside, path.join(temporary.workspace, 'escape'));
    const existing = await resolveWorkspacePath(temporary.workspace, 'escape');
    const missing = await resolveWorkspacePath(temporary.workspace, 'escape/new/file.txt');
    expect(existing).toMatchObject({ relative: 'escape', external: true, real: temporary.outside });
    expect(missing).toMatchObject({ external: true, real: path.join(temporary.outside, 'new/file.txt') });
  });

  test('a symlink that stays inside the workspace is inside', async () => {
    await mkdir(path.join(temporary.workspace, 'real'));
    await symlink(path.join(temporary.workspace, 'real'), path.join(temporary.workspace, 'alias'));
    expect((await resolveWorkspacePath(temporary.workspace, 'alias/x.ts')).external).toBe(false);
  });
});

describe('pathPermissions', () => {
  test('inside: the relative path only', async () => {
    const target = await resolveWorkspacePath(temporary.workspace, 'src/x.ts');
    expect(pathPermissions('read', target)).toEqual([{ permission: 'read', patterns: ['src/x.ts'], always: ['*'] }]);
  });

  test('outside: external_directory for the parent directory, then the permission with the real path', async () => {
    const target = await resolveWorkspacePath(temporary.workspace, '../outside/secret.txt');
    expect(pathPermissions('edit', target)).toEqual([
      { permission: 'external_directory', patterns: [`${temporary.outside}/*`], always: [`${temporary.outside}/*`] },
      { permission: 'edit', patterns: [path.join(temporary.outside, 'secret.txt')], always: ['*'] },
    ]);
  });

  test('a directory asks for itself rather than its parent', async () => {
    const target = await resolveWorkspacePath(temporary.workspace, temporary.outside);
    expect(pathPermissions('list', target, 'directory')[0]?.patterns).toEqual([`${temporary.outside}/*`]);
  });

  test('the root directory does not produce a double slash', async () => {
    const target = await resolveWorkspacePath(temporary.workspace, '/etc');
    expect(pathPermissions('read', target)[0]?.patterns).toEqual(['/*']);
  });
});
