import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const MAX_OUTPUT_LINES = 2000;
export const MAX_OUTPUT_BYTES = 50 * 1024;

export interface TruncatedOutput {
  output: string;
  truncated: boolean;
  /** Where the full text was saved, when truncated. */
  outputPath?: string;
}

/** Keeps the head of an output over 2000 lines or 50 KB and saves the full text in `outputDir`. */
export async function truncateOutput(
  text: string,
  options: { outputDir: string; name?: string },
): Promise<TruncatedOutput> {
  const lines = text.split('\n');
  if (lines.length <= MAX_OUTPUT_LINES && Buffer.byteLength(text, 'utf8') <= MAX_OUTPUT_BYTES) {
    return { output: text, truncated: false };
  }

  const kept: string[] = [];
  let bytes = 0;
  for (const line of lines.slice(0, MAX_OUTPUT_LINES)) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (bytes + size > MAX_OUTPUT_BYTES) {
      // A single huge line still shows its beginning rather than nothing.
      if (kept.length === 0) kept.push(cutToBytes(line, MAX_OUTPUT_BYTES));
      break;
    }
    kept.push(line);
    bytes += size;
  }

  await mkdir(options.outputDir, { recursive: true });
  const outputPath = path.join(options.outputDir, `${options.name ?? 'tool'}-${Date.now()}-${randomUUID().slice(0, 8)}.txt`);
  await writeFile(outputPath, text, 'utf8');

  const hidden = lines.length - kept.length + (kept.length === 1 && kept[0] !== lines[0] ? 1 : 0);
  const note =
    `... ${hidden} more lines truncated. Full output saved to ${outputPath}\n` +
    'Use grep on that file, or read it with offset and limit, to see the rest.';
  return { output: `${kept.join('\n')}\n\n${note}`, truncated: true, outputPath };
}

function cutToBytes(text: string, maxBytes: number): string {
  const cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  // A multi-byte character split at the boundary decodes as U+FFFD; drop it.
  return cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut;
}
