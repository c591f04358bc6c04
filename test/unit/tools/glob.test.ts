import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { globTool } from '../../../activities/tools/glob.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

async function age(file: string, secondsAgo: number) {
  const when = new Date(Date.now() - secondsAgo * 1000);
  await utimes(path.join(temporary.workspace, file), when, when);
}

describe('glob', () => {
  test('lists matching files newest first, relative to the workspace', async () => {
    await temporary.write({ 'src/old.ts': '', 'src/new.ts': '', 'src/mid.ts': '', 'src/x.js': '', 'node_modules/m/i.ts': '' });
    await age('src/old.ts', 300);
    await age('src/mid.ts', 200);
    await age('src/new.ts', 100);
    const result = await temporary.run(globTool, { pattern: '**/*.ts' });
    expect(result.output).toBe('src/new.ts\nsrc/mid.ts\nsrc/old.ts');
  });

  test('searches inside path and still shows workspace-relative paths', async () => {
    await temporary.write({ 'src/a.ts': '', 'b.ts': '' });
    expect((await temporary.run(globTool, { pattern: '*.ts', path: 'src' })).output).toBe('src/a.ts');
  });

  test('a pattern ending in / lists directories', async () => {
    await temporary.write({ 'src/a.ts': '', 'test/b.ts': '', 'file.txt': '' });
    const result = await temporary.run(globTool, { pattern: '*/' });
    expect(result.output.split('\n').sort()).toEqual(['src/', 'test/']);
  });

  test('searches node_modules only when the pattern names it', async () => {
    await temporary.write({ 'node_modules/zod/package.json': '{}' });
    expect((await temporary.run(globTool, { pattern: '**/package.json' })).output).toBe('No files found');
    expect((await temporary.run(globTool, { pattern: 'node_modules/*/package.json' })).output).toBe('node_modules/zod/package.json');
  });

  test('caps results at 100 with a note', async () => {
    await temporary.write(Object.fromEntries(Array.from({ length: 120 }, (_, index) => [`f${index}.txt`, ''])));
    const result = await temporary.run(globTool, { pattern: '*.txt' });
    expect(result.output.split('\n').filter((line) => line.endsWith('.txt'))).toHaveLength(100);
    expect(result.output).toContain('(Showing the 100 newest of 120 matches.');
    expect(result.metadata).toMatchObject({ truncated: true, total: 120 });
  });

  test('refuses patterns that leave the search directory', async () => {
    await expect(temporary.run(globTool, { pattern: '../outside/*' })).rejects.toThrow('Put the directory in the path argument');
    await expect(temporary.run(globTool, { pattern: '/etc/*' })).rejects.toThrow('leaves the search directory');
  });

  test('asks glob with the pattern, plus external_directory for an outside path', async () => {
    expect(await temporary.permissions(globTool, { pattern: '**/*.ts' })).toEqual([{ permission: 'glob', patterns: ['**/*.ts'], always: ['*'] }]);
    expect(await temporary.permissions(globTool, { pattern: '*', path: temporary.outside })).toEqual([
      { permission: 'external_directory', patterns: [`${temporary.outside}/*`], always: [`${temporary.outside}/*`] },
      { permission: 'glob', patterns: ['*'], always: ['*'] },
    ]);
  });
});
