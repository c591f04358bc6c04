/**
 * Claude Code accepts front matter that is not valid YAML, typically an unquoted
 * `description: Use this agent when: ...`. Like OpenCode, a file that fails to parse
 * is retried once with such top-level values quoted. Lines stay where they were,
 * so errors from the retry still point at the right line.
 */
export function quoteColonValues(text: string): string {
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== '---') return text;
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trimEnd() === '---') break;
    const match = /^([A-Za-z_][\w-]*)\s*:\s+(.*?)(\r?)$/.exec(line);
    if (!match || !needsQuotes(match[2]!)) continue;
    lines[index] = `${match[1]}: ${JSON.stringify(match[2])}${match[3]}`;
  }
  return lines.join('\n');
}

function needsQuotes(value: string): boolean {
  if (!value.includes(':')) return false;
  if (/^["'|>&*!]/.test(value)) return false;
  return !/^\[.*\]$|^\{.*\}$/.test(value);
}
