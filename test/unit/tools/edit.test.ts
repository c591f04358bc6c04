import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { editTool } from '../../../activities/tools/edit.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

const content = (name: string) => readFile(path.join(temporary.workspace, name), 'utf8');

describe('edit', () => {
  test('replaces the one occurrence', async () => {
    await temporary.write({ 'a.ts': 'const a = 1;\nconst b = 2;\n' });
    const result = await temporary.run(editTool, { filePath: 'a.ts', oldString: 'const b = 2;', newString: 'const b = 3;' });
    expect(result.output).toBe('Replaced 1 occurrence in a.ts.');
    expect(await content('a.ts')).toBe('const a = 1;\nconst b = 3;\n');
  });

  test('fails clearly when oldString is missing', async () => {
    await temporary.write({ 'a.ts': 'const a = 1;\n' });
    await expect(temporary.run(editTool, { filePath: 'a.ts', oldString: 'const z = 9;', newString: 'x' }))
      .rejects.toThrow('oldString was not found in a.ts. Read the file again and copy the exact text');
  });

  test('says how many times an ambiguous oldString appears', async () => {
    await temporary.write({ 'a.ts': 'x();\nx();\nx();\n' });
    await expect(temporary.run(editTool, { filePath: 'a.ts', oldString: 'x();', newString: 'y();' }))
      .rejects.toThrow('oldString appears 3 times in a.ts. Include more surrounding lines to make it unique, or set replaceAll');
    expect(await content('a.ts')).toBe('x();\nx();\nx();\n');
  });

  test('replaceAll replaces every occurrence', async () => {
    await temporary.write({ 'a.ts': 'x();\nx();\nx();\n' });
    const result = await temporary.run(editTool, { filePath: 'a.ts', oldString: 'x();', newString: 'y();', replaceAll: true });
    expect(result.output).toBe('Replaced 3 occurrences in a.ts.');
    expect(await content('a.ts')).toBe('y();\ny();\ny();\n');
  });

  test('refuses identical oldString and newString', async () => {
    await temporary.write({ 'a.ts': 'x' });
    await expect(temporary.run(editTool, { filePath: 'a.ts', oldString: 'x', newString: 'x' })).rejects.toThrow('identical');
  });

  test('a retried edit whose oldString is gone but newString present succeeds with a note', async () => {
    await temporary.write({ 'a.ts': 'let value = 1;\n' });
    const args = { filePath: 'a.ts', oldString: 'let value = 1;', newString: 'let value = 2;' };
    await temporary.run(editTool, args);
    const retried = await temporary.run(editTool, args);
    expect(retried.output).toContain('already applied');
    expect(retried.metadata).toMatchObject({ alreadyApplied: true });
    expect(await content('a.ts')).toBe('let value = 2;\n');
  });

  test('an empty oldString creates a new file, and repeating it is harmless', async () => {
    const args = { filePath: 'new/b.ts', oldString: '', newString: 'export {};\n' };
    expect((await temporary.run(editTool, args)).output).toBe('Created new/b.ts.');
    expect((await temporary.run(editTool, args)).output).toContain('already applied');
    await expect(temporary.run(editTool, { ...args, newString: 'other' })).rejects.toThrow('already exists and is not empty');
  });

  test('matches LF oldString against a CRLF file and keeps CRLF', async () => {
    await temporary.write({ 'win.txt': 'one\r\ntwo\r\nthree\r\n' });
    await temporary.run(editTool, { filePath: 'win.txt', oldString: 'one\ntwo', newString: 'uno\ndos' });
    expect(await content('win.txt')).toBe('uno\r\ndos\r\nthree\r\n');
  });

  test('suggests similar names for a missing file', async () => {
    await temporary.write({ 'index.ts': '' });
    await expect(temporary.run(editTool, { filePath: 'indx.ts', oldString: 'a', newString: 'b' })).rejects.toThrow('File not found: indx.ts. Did you mean index.ts?');
  });

  test('asks edit, with external_directory outside the workspace', async () => {
    expect(await temporary.permissions(editTool, { filePath: 'a.ts', oldString: 'a', newString: 'b' }))
      .toEqual([{ permission: 'edit', patterns: ['a.ts'], always: ['*'] }]);
    const outside = await temporary.permissions(editTool, { filePath: path.join(temporary.outside, 'a.ts'), oldString: 'a', newString: 'b' });
    expect(outside.map((request) => request.permission)).toEqual(['external_directory', 'edit']);
  });
});
