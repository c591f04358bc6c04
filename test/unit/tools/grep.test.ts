import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { grepTool } from '../../../activities/tools/grep.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

describe('grep', () => {
  test('prints path:line: text for every match, skipping node_modules and .git', async () => {
    await temporary.write({
      'src/a.ts': 'const x = 1;\nfunction foo() {}\n',
      'src/b.ts': 'function bar() {}\n',
      'node_modules/m/index.ts': 'function hidden() {}\n',
      '.git/config': 'function git() {}\n',
    });
    const result = await temporary.run(grepTool, { pattern: 'function\\s+\\w+' });
    expect(result.output).toBe('src/a.ts:2: function foo() {}\nsrc/b.ts:1: function bar() {}');
  });

  test('filters files with include and searches a single file given as path', async () => {
    await temporary.write({ 'a.ts': 'needle', 'b.md': 'needle', 'deep/c.ts': 'needle' });
    expect((await temporary.run(grepTool, { pattern: 'needle', include: '*.ts' })).output).toBe('a.ts:1: needle\ndeep/c.ts:1: needle');
    expect((await temporary.run(grepTool, { pattern: 'needle', path: 'b.md' })).output).toBe('b.md:1: needle');
  });

  test('supports a leading (?i) for case-insensitive search', async () => {
    await temporary.write({ 'a.txt': 'TODO: fix' });
    expect((await temporary.run(grepTool, { pattern: '(?i)todo' })).output).toBe('a.txt:1: TODO: fix');
  });

  test('skips binary files', async () => {
    await temporary.write({ 'blob.bin': Buffer.from([0, 1, 2, 110, 101, 101, 100, 108, 101, 0, 0]), 'a.txt': 'needle' });
    expect((await temporary.run(grepTool, { pattern: 'needle' })).output).toBe('a.txt:1: needle');
  });

  test('explains an invalid regular expression', async () => {
    await expect(temporary.run(grepTool, { pattern: 'foo(' })).rejects.toThrow(/Invalid regular expression "foo\(": .*Escape special characters/);
  });

  test('reports no matches and a missing path', async () => {
    await temporary.write({ 'a.txt': 'hay' });
    expect((await temporary.run(grepTool, { pattern: 'needle' })).output).toBe('No matches found');
    await expect(temporary.run(grepTool, { pattern: 'x', path: 'missing' })).rejects.toThrow('Search path not found: missing');
  });

  test('caps at 100 matches and counts the rest', async () => {
    await temporary.write({ 'many.txt': Array.from({ length: 150 }, (_, index) => `hit ${index}`).join('\n') });
    const result = await temporary.run(grepTool, { pattern: 'hit' });
    expect(result.output.split('\n').filter((line) => line.startsWith('many.txt:'))).toHaveLength(100);
    expect(result.output).toContain('(Showing the first 100 of 150 matches.');
    expect(result.metadata).toMatchObject({ matches: 100, total: 150, truncated: true });
  });

  test('asks grep with the pattern, plus external_directory for an outside path', async () => {
    expect(await temporary.permissions(grepTool, { pattern: 'foo' })).toEqual([{ permission: 'grep', patterns: ['foo'], always: ['*'] }]);
    const outside = await temporary.permissions(grepTool, { pattern: 'foo', path: '../outside' });
    expect(outside.map((request) => request.permission)).toEqual(['external_directory', 'grep']);
  });
});
