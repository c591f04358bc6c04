import type { ToolCall } from './session-types.js';

const MAX_LENGTH = 80;
const SUBJECT_FIELDS = ['command', 'filePath', 'pattern', 'path', 'url', 'subagent_type', 'name'];

function clip(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line;
}

/** A one-line label for people reading the Web UI: `read src/x.ts`, `bash: npm test`. */
export function summarizeToolCall(call: ToolCall): string {
  let args: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(call.arguments);
    if (parsed && typeof parsed === 'object') args = parsed as Record<string, unknown>;
  } catch {
    return clip(`${call.name} (unreadable arguments)`);
  }
  if (call.name === 'bash' && typeof args.command === 'string') return clip(`bash: ${args.command}`);
  const subject = SUBJECT_FIELDS.map((field) => args[field]).find((value) => typeof value === 'string');
  return clip(subject ? `${call.name} ${subject as string}` : call.name);
}
