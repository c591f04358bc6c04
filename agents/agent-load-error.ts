export type AgentLoadErrorDetails = {
  file: string;
  line?: number;
  field?: string;
  reason: string;
};

/**
 * A Markdown agent that could not be loaded. The message reads like
 * `.opencode/agent/review.md:3: field "temperature": expected number, received string`.
 */
export class AgentLoadError extends Error {
  override readonly name = 'AgentLoadError';
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
  readonly reason: string;

  constructor({ file, line, field, reason }: AgentLoadErrorDetails) {
    const location = line === undefined ? file : `${file}:${line}`;
    super(`${location}: ${field === undefined ? '' : `field "${field}": `}${reason}`);
    this.file = file;
    if (line !== undefined) this.line = line;
    if (field !== undefined) this.field = field;
    this.reason = reason;
  }

  /** Keeps the message when the registry is serialised into workflow history. */
  toJSON(): AgentLoadErrorDetails & { name: string; message: string } {
    return { name: this.name, file: this.file, line: this.line, field: this.field, reason: this.reason, message: this.message };
  }
}
