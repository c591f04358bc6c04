import { permissionsForToolName } from './tool-names.js';

/** One entry of a Claude Code tool list: `Read`, or `Bash(git diff:*)` with its command patterns. */
export type ToolEntry = { name: string; patterns: string[] };

/** `"Read, Grep, Bash(git diff:*, git log:*)"` or a YAML list of the same entries. */
export function parseToolList(tools: string | string[]): ToolEntry[] {
  const items = typeof tools === 'string' ? splitOutsideParentheses(tools) : tools;
  return items.map((item) => item.trim()).filter((item) => item !== '').map(parseToolEntry);
}

/** Permissions that every entry naming them limits to patterns; a bare `Bash` next to `Bash(git:*)` keeps all of bash. */
export function narrowedPermissions(entries: ToolEntry[]): Map<string, string[]> {
  const narrowed = new Map<string, string[]>();
  const unrestricted = new Set<string>();
  for (const entry of entries) {
    for (const permission of permissionsForToolName(entry.name)) {
      if (entry.patterns.length === 0) unrestricted.add(permission);
      else narrowed.set(permission, [...(narrowed.get(permission) ?? []), ...entry.patterns]);
    }
  }
  for (const permission of unrestricted) narrowed.delete(permission);
  return narrowed;
}

function splitOutsideParentheses(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += char;
  }
  return [...items, current];
}

// Claude's `:*` suffix means "followed by anything", which is Orca's trailing " *".
function parseToolEntry(entry: string): ToolEntry {
  const match = /^([^()]+)\((.*)\)$/s.exec(entry);
  if (!match) return { name: entry, patterns: [] };
  const patterns = match[2]!.split(',').map((pattern) => pattern.trim().replace(/:\*$/, ' *')).filter(Boolean);
  return { name: match[1]!.trim(), patterns };
}
