/** One line of `npm run bench` output: an Orca figure beside the same figure for raw Temporal, measured in the same run. */
export interface Figure {
  scenario: string;
  figure: string;
  unit: string;
  orca?: number;
  raw?: number;
  /** orca / raw, or orca / baseline when the figure names another baseline. */
  ratio?: number;
  /** The value the ratio compares with when it is not raw Temporal's, named by `against`. */
  baseline?: number;
  /** What the ratio compares with, when it is not raw Temporal in the same run. */
  against?: string;
  target?: string;
  meets?: boolean;
  skipped?: boolean;
  note?: string;
  [detail: string]: unknown;
}

export function emit(figure: Figure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

export function progress(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

export function ratio(value: number | undefined, baseline: number | undefined): number | undefined {
  if (value === undefined || baseline === undefined || baseline === 0) return undefined;
  return round(value / baseline, 2);
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}
