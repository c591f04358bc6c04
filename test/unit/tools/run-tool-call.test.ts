import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { parseToolArguments, runToolCall, ToolArgumentsError, toolsById, type PermissionRequest } from '../../../activities/tools/index.js';
import { readTool } from '../../../activities/tools/read.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

const allowAll = async () => true as const;

describe('runToolCall', () => {
  test('runs an allowed call and returns its output', async () => {
    await temporary.write({ 'a.txt': 'hi' });
    const isAllowed = vi.fn(allowAll);
    const result = await runToolCall('read', '{"filePath":"a.txt"}', temporary.context, isAllowed);
    expect(result).toMatchObject({ ok: true, title: 'a.txt' });
    expect(result.output).toContain('00001| hi');
    expect(isAllowed).toHaveBeenCalledWith([{ permission: 'read', patterns: ['a.txt'], always: ['*'] }]);
  });

  test('an unknown tool lists the available ones', async () => {
    const result = await runToolCall('raed', '{}', temporary.context, allowAll);
    expect((await runToolCall('toString', '{}', temporary.context, allowAll)).ok).toBe(false);
    expect(result.ok).toBe(false);
    expect(result.output).toBe(`Unknown tool "raed". Available tools: ${Object.keys(toolsById).join(', ')}. Call one of those instead.`);
  });

  test('arguments that are not JSON come back as an error the model can fix', async () => {
    const result = await runToolCall('read', '{"filePath": ', temporary.context, allowAll);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/^Invalid arguments for tool "read":\n- \(arguments\): not valid JSON/);
  });

  test('a schema mismatch names the argument and what was expected', async () => {
    const result = await runToolCall('read', '{"filePath": 42, "limit": 0}', temporary.context, allowAll);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('- filePath: Invalid input: expected string, received number');
    expect(result.output).toContain('- limit: Too small: expected number to be >=1');
  });

  test('a refusal is returned as it is and the tool does not run', async () => {
    const result = await runToolCall('write', '{"filePath":"a.txt","content":"x"}', temporary.context, async () => 'Denied by rule edit "*".');
    expect(result).toEqual({ ok: false, title: 'write a.txt', output: 'Denied by rule edit "*".' });
    await expect(readFile(`${temporary.workspace}/a.txt`)).rejects.toThrow();
  });

  test('an error thrown by the tool becomes ok: false text', async () => {
    const result = await runToolCall('read', '{"filePath":"missing.txt"}', temporary.context, allowAll);
    expect(result).toMatchObject({ ok: false, title: 'read missing.txt' });
    expect(result.output).toContain('File not found: missing.txt');
  });

  test('errors from the permission check itself propagate (they are infrastructure, not the model)', async () => {
    const failing = async (_requests: PermissionRequest[]): Promise<true | string> => {
      throw new Error('store unavailable');
    };
    await expect(runToolCall('read', '{"filePath":"a.txt"}', temporary.context, failing)).rejects.toThrow('store unavailable');
  });

  test('truncates a long output and saves the full text in outputDir', async () => {
    const result = await runToolCall('bash', JSON.stringify({ command: 'seq 1 3000', description: 'count' }), temporary.context, allowAll);
    expect(result.ok).toBe(true);
    expect(result.output).toMatch(/\.\.\. \d+ more lines truncated\. Full output saved to /);
    const outputPath = result.metadata?.outputPath as string;
    expect(outputPath.startsWith(temporary.context.outputDir)).toBe(true);
    expect(await readFile(outputPath, 'utf8')).toContain('\n3000\n<exit code: 0>');
  });
});

describe('parseToolArguments', () => {
  test('returns validated arguments, reading an empty string as {}', () => {
    expect(parseToolArguments(readTool, '{"filePath":"x","extra":1}')).toEqual({ filePath: 'x' });
    expect(() => parseToolArguments(readTool, '')).toThrow(/- filePath: /);
  });

  test('throws ToolArgumentsError carrying the tool id and issues', () => {
    try {
      parseToolArguments(readTool, '{}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ToolArgumentsError);
      expect(error).toMatchObject({ toolId: 'read', issues: [{ argument: 'filePath' }] });
    }
  });
});
