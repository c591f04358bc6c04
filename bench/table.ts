import { createInterface } from 'node:readline';
import type { Figure } from './figures.js';

// Turns `npm run bench` output (JSON lines on stdin) into the Markdown table of bench/README.md.

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1).replace(/\.?0+$/, '');
  return String(value).replace(/\|/g, '\\|');
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim().startsWith('{')) figures.push(JSON.parse(line) as Figure);
  }
  const rows = [
    '| scenario | figure | unit | Orca | raw Temporal (or baseline) | ratio | target | met |',
    '|---|---|---|---:|---:|---:|---|---|',
  ];
  for (const figure of figures) {
    const baseline = figure.baseline ?? figure.raw;
    const against = figure.against ? ` (${figure.against})` : '';
    const extra = figure.orcaPerNew !== undefined ? `; new in step: ${cell(figure.new)} B, Orca/new ${cell(figure.orcaPerNew)}, raw/new ${cell(figure.rawPerNew)}` : '';
    const note = figure.skipped ? `skipped: ${cell(figure.note)}` : '';
    rows.push(
      `| ${cell(figure.scenario)} | ${cell(figure.figure)}${against}${extra} | ${cell(figure.unit)} | ${cell(figure.orca)} | ${cell(baseline)} | ${cell(figure.ratio)} | ${cell(figure.target)}${note} | ${figure.meets === undefined ? '' : figure.meets ? 'yes' : 'no'} |`,
    );
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
