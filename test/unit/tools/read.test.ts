import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readTool } from '../../../activities/tools/read.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

describe('read', () => {
  test('returns numbered lines and says where the file ends', async () => {
    await temporary.write({ 'src/x.ts': 'one\ntwo\nthree\n' });
    const result = await temporary.run(readTool, { filePath: 'src/x.ts' });
    expect(result.title).toBe('src/x.ts');
    expect(result.output).toBe('<file>\n00001| one\n00002| two\n00003| three\n\n(End of file - total 3 lines)\n</file>');
  });

  test('reads a window with offset and limit and points at the next offset', async () => {
    await temporary.write({ 'long.txt': Array.from({ length: 10 }, (_, index) => `line ${index + 1}`).join('\n') });
    const result = await temporary.run(readTool, { filePath: 'long.txt', offset: 4, limit: 2 });
    expect(result.output).toContain('00004| line 4\n00005| line 5\n');
    expect(result.output).not.toContain('line 6');
    expect(result.output).toContain('showing 4-5 of 10. Use offset=6');
    expect(result.metadata).toMatchObject({ truncated: true });
  });

  test('stops at 2000 lines by default and cuts lines over 2000 characters', async () => {
    await temporary.write({ 'big.txt': ['x'.repeat(2500), ...Array.from({ length: 2999 }, () => 'y')].join('\n') });
    const result = await temporary.run(readTool, { filePath: 'big.txt' });
    const numbered = result.output.split('\n').filter((line) => /^\d{5}\| /.test(line));
    expect(numbered).toHaveLength(2000);
    expect(numbered[0]).toBe(`00001| ${'x'.repeat(2000)}... (line cut at 2000 characters)`);
    expect(result.output).toContain('showing 1-2000 of 3000');
  });

  test('keeps its output under 50 KB even when 2000 lines would be more', async () => {
    await temporary.write({ 'wide.txt': Array.from({ length: 1500 }, () => 'z'.repeat(100)).join('\n') });
    const result = await temporary.run(readTool, { filePath: 'wide.txt' });
    expect(Buffer.byteLength(result.output)).toBeLessThan(52 * 1024);
    expect(result.output).toMatch(/showing 1-\d+ of 1500/);
  });

  test('accepts offset and limit given as strings', async () => {
    await temporary.write({ 'a.txt': 'a\nb\nc' });
    const result = await readTool.execute(readTool.parameters.parse({ filePath: 'a.txt', offset: '2', limit: '1' }), temporary.context);
    expect(result.output).toContain('00002| b');
  });

  test('reports an empty file', async () => {
    await temporary.write({ 'empty.txt': '' });
    expect((await temporary.run(readTool, { filePath: 'empty.txt' })).output).toContain('(File is empty)');
  });

  test('refuses an offset past the end', async () => {
    await temporary.write({ 'a.txt': 'a\nb' });
    await expect(temporary.run(readTool, { filePath: 'a.txt', offset: 5 })).rejects.toThrow('Offset 5 is beyond the end of a.txt (2 lines)');
  });

  test('refuses binary files politely', async () => {
    await temporary.write({ 'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]) });
    await expect(temporary.run(readTool, { filePath: 'image.png' })).rejects.toThrow('Cannot read binary file: image.png');
  });

  test('suggests similar names for a missing file', async () => {
    await temporary.write({ 'src/config.json': '{}', 'src/other.ts': '' });
    await expect(temporary.run(readTool, { filePath: 'src/confg.json' })).rejects.toThrow('File not found: src/confg.json\n\nDid you mean one of these?\nsrc/config.json');
  });

  test('without similar names says how to find the file', async () => {
    await expect(temporary.run(readTool, { filePath: 'nowhere/x.ts' })).rejects.toThrow('File not found: nowhere/x.ts. Check the path with the list or glob tool.');
  });

  test('points directories to the list tool', async () => {
    await temporary.write({ 'src/a.ts': '' });
    await expect(temporary.run(readTool, { filePath: 'src' })).rejects.toThrow('src is a directory, not a file. Use the list tool');
  });

  describe('permissions', () => {
    test('asks read for the path relative to the workspace', async () => {
      expect(await temporary.permissions(readTool, { filePath: path.join(temporary.workspace, 'src/x.ts') })).toEqual([
        { permission: 'read', patterns: ['src/x.ts'], always: ['*'] },
      ]);
    });

    test.each(['../outside/secret.txt', 'ABSOLUTE'])('asks external_directory for %s', async (given) => {
      const filePath = given === 'ABSOLUTE' ? path.join(temporary.outside, 'secret.txt') : given;
      const requests = await temporary.permissions(readTool, { filePath });
      expect(requests).toEqual([
        { permission: 'external_directory', patterns: [`${temporary.outside}/*`], always: [`${temporary.outside}/*`] },
        { permission: 'read', patterns: [path.join(temporary.outside, 'secret.txt')], always: ['*'] },
      ]);
    });

    test('asks external_directory for a symlink whose target leaves the workspace', async () => {
      await symlink(temporary.outside, path.join(temporary.workspace, 'linked'));
      const requests = await temporary.permissions(readTool, { filePath: 'linked/secret.txt' });
      expect(requests[0]).toEqual({ permission: 'external_directory', patterns: [`${temporary.outside}/*`], always: [`${temporary.outside}/*`] });
    });
  });
});
