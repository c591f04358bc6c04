import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MAX_OUTPUT_BYTES, truncateOutput } from '../../../activities/tools/truncate-output.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

const lines = (count: number, width = 5) => Array.from({ length: count }, (_, index) => `${index + 1}`.padStart(width, 'x')).join('\n');

describe('truncateOutput', () => {
  test('leaves short output alone and saves nothing', async () => {
    const result = await truncateOutput('hello\nworld', { outputDir: temporary.context.outputDir });
    expect(result).toEqual({ output: 'hello\nworld', truncated: false });
  });

  test('keeps the first 2000 of more lines and saves the full text in a new directory', async () => {
    const text = lines(2500);
    const result = await truncateOutput(text, { outputDir: temporary.context.outputDir, name: 'bash' });
    expect(result.truncated).toBe(true);
    expect(result.output.split('\n').slice(0, 2000).at(-1)).toBe('x2000');
    expect(result.output).not.toContain('x2001');
    expect(result.output).toContain(`... 500 more lines truncated. Full output saved to ${result.outputPath}`);
    expect(result.outputPath).toMatch(/outputs\/nested\/bash-.*\.txt$/);
    expect(await readFile(result.outputPath as string, 'utf8')).toBe(text);
  });

  test('keeps at most 50 KB of fewer, longer lines', async () => {
    const text = lines(1000, 100);
    const result = await truncateOutput(text, { outputDir: temporary.context.outputDir });
    const head = result.output.split('\n\n... ')[0] as string;
    expect(Buffer.byteLength(head)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    expect(result.output).toMatch(/\.\.\. 4\d\d more lines truncated/);
    expect(await readFile(result.outputPath as string, 'utf8')).toBe(text);
  });

  test('shows the beginning of a single line over 50 KB', async () => {
    const result = await truncateOutput('é'.repeat(40_000), { outputDir: temporary.context.outputDir });
    expect(result.output.startsWith('éééé')).toBe(true);
    expect(result.output).not.toContain('\uFFFD');
    expect(result.output).toContain('... 1 more lines truncated');
  });
});
