import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { writeTool } from '../../../activities/tools/write.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

describe('write', () => {
  test('creates missing directories and the file', async () => {
    const result = await temporary.run(writeTool, { filePath: 'deep/new/file.txt', content: 'hello' });
    expect(result.output).toBe('Created deep/new/file.txt (5 bytes).');
    expect(await readFile(path.join(temporary.workspace, 'deep/new/file.txt'), 'utf8')).toBe('hello');
  });

  test('is idempotent: writing again leaves the same file', async () => {
    await temporary.run(writeTool, { filePath: 'a.txt', content: 'same' });
    const again = await temporary.run(writeTool, { filePath: 'a.txt', content: 'same' });
    expect(again.output).toBe('Overwrote a.txt (4 bytes).');
    expect(await readFile(path.join(temporary.workspace, 'a.txt'), 'utf8')).toBe('same');
  });

  test('refuses to write over a directory', async () => {
    await temporary.write({ 'src/a.ts': '' });
    await expect(temporary.run(writeTool, { filePath: 'src', content: 'x' })).rejects.toThrow('src is a directory');
  });

  test('asks edit for the relative path, and external_directory outside', async () => {
    expect(await temporary.permissions(writeTool, { filePath: 'a.txt', content: '' })).toEqual([{ permission: 'edit', patterns: ['a.txt'], always: ['*'] }]);
    const outside = await temporary.permissions(writeTool, { filePath: '../outside/new/x.txt', content: '' });
    expect(outside.map((request) => request.permission)).toEqual(['external_directory', 'edit']);
    expect(outside[0]?.patterns).toEqual([`${temporary.outside}/new/*`]);
  });
});
