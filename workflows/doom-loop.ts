import type { ToolCall } from './session-types.js';

const REPEATS = 3;

/** The same tool with identical arguments three times in a row: the model is probably stuck. */
export class DoomLoopDetector {
  private recent: string[] = [];

  constructor(history: string[] = []) {
    this.recent = history.slice(-REPEATS);
  }

  get history(): string[] {
    return [...this.recent];
  }

  record(call: ToolCall): boolean {
    const key = `${call.name}\n${call.arguments}`;
    this.recent = [...this.recent, key].slice(-REPEATS);
    return this.recent.length === REPEATS && this.recent.every((entry) => entry === key);
  }
}
