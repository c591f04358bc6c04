import type { BenchContext } from '../stack.js';

export interface Scenario {
  name: string;
  description: string;
  /** Left out of a full run; run it by naming it. */
  optIn?: boolean;
  run(context: BenchContext): Promise<void>;
}
