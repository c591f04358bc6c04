import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { listTool } from '../../../activities/tools/list.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

describe('list', () => {
  test('renders a tree, directories first, skipping .git, node_modules and dist', async () => {
    await temporary.write({
      'README.md': '', 'src/index.ts': '', 'src/lib/util.ts': '', '.env': '',
      '.git/HEAD': '', 'node_modules/x/index.js': '', 'dist/index.js': '', 'src/node_modules/y.js': '',
    });
    await mkdir(path.join(temporary.workspace, 'empty'));
    const result = await temporary.run(listTool, {});
    expect(result.output).toBe([
      `${temporary.workspace}/`,
      '  empty/',
      '  src/',
      '    lib/',
      '      util.ts',
      '    index.ts',
      '  .env',
      '  README.md',
    ].join('\n'));
  });

  test('lists a subdirectory and honours extra ignore patterns at any depth', async () => {
    await temporary.write({ 'src/a.ts': '', 'src/a.log': '', 'src/deep/b.log': '', 'src/fixtures/c.ts': '' });
    const result = await temporary.run(listTool, { path: 'src', ignore: ['*.log', 'fixtures/'] });
    expect(result.output).toBe(`${path.join(temporary.workspace, 'src')}/\n  deep/\n  a.ts`);
  });

  test('caps at 100 entries, shallowest first, with a note', async () => {
    const files = Object.fromEntries(Array.from({ length: 150 }, (_, index) => [`dir/f${String(index).padStart(3, '0')}.txt`, '']));
    await temporary.write({ ...files, 'top.txt': '' });
    const result = await temporary.run(listTool, {});
    expect(result.output).toContain('  top.txt');
    expect(result.output).toContain('(Showing 100 of 152 entries.');
    expect(result.metadata).toMatchObject({ count: 100, truncated: true });
  });

  test('explains a missing directory and a file given as directory', async () => {
    await temporary.write({ 'a.txt': '' });
    await expect(temporary.run(listTool, { path: 'nope' })).rejects.toThrow('Directory not found: nope');
    await expect(temporary.run(listTool, { path: 'a.txt' })).rejects.toThrow('a.txt is a file, not a directory. Use the read tool');
  });

  test('asks list for the directory, and external_directory for the directory itself outside', async () => {
    expect(await temporary.permissions(listTool, {})).toEqual([{ permission: 'list', patterns: ['.'], always: ['*'] }]);
    const outside = await temporary.permissions(listTool, { path: '../outside' });
    expect(outside[0]).toEqual({ permission: 'external_directory', patterns: [`${temporary.outside}/*`], always: [`${temporary.outside}/*`] });
  });
});
