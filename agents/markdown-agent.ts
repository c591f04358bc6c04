import matter from 'gray-matter';
import type { z } from 'zod';
import { AgentFrontMatter, agentConfigFromFrontMatter, type AgentConfig } from './agent-config.js';
import { AgentLoadError } from './agent-load-error.js';
import { quoteColonValues } from './front-matter-fallback.js';

export type MarkdownAgentSource = {
  /** How the file is named in errors, e.g. `.opencode/agent/review.md`. */
  file: string;
  /** The name the file gives the agent unless its front matter has `name`. */
  name: string;
  text: string;
};

export type MarkdownAgentResult = { ok: true; config: AgentConfig } | { ok: false; error: AgentLoadError };

/** Front matter is the config, the body is the prompt; a file with no front matter is a valid agent. */
export function parseMarkdownAgent({ file, name, text }: MarkdownAgentSource): MarkdownAgentResult {
  const parsed = readFrontMatter(text);
  if ('yamlError' in parsed) {
    return failure({ file, line: parsed.yamlError.line, reason: `invalid YAML front matter: ${parsed.yamlError.reason}` });
  }
  const data: unknown = parsed.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return failure({ file, line: 1, reason: 'front matter must be a mapping of fields (key: value)' });
  }
  // An empty value (`model:`) means the field was left out, as in Claude Code.
  const present = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== null));
  const result = AgentFrontMatter.safeParse(present);
  if (!result.success) {
    const { path, message } = describeIssue(result.error.issues[0]!);
    return failure({ file, line: lineOfField(text, path), field: path.join('.'), reason: message });
  }
  return { ok: true, config: agentConfigFromFrontMatter(result.data, name, parsed.content) };
}

type FrontMatter = { data: unknown; content: string } | { yamlError: { line?: number; reason: string } };

function readFrontMatter(text: string): FrontMatter {
  try {
    return parseFrontMatter(text);
  } catch {
    try {
      return parseFrontMatter(quoteColonValues(text));
    } catch (error) {
      return { yamlError: describeYamlError(error) };
    }
  }
}

function parseFrontMatter(text: string): { data: unknown; content: string } {
  // Passing options turns off gray-matter's cache, which would also cache a failed parse.
  const file = matter(text, {});
  return { data: file.data, content: file.content };
}

function describeYamlError(error: unknown): { line?: number; reason: string } {
  const yamlError = error as { reason?: string; mark?: { line?: number }; message?: string };
  const reason = yamlError.reason ?? yamlError.message ?? String(error);
  // js-yaml counts lines from 0 within the text after the opening `---`, which begins on line 1.
  const line = typeof yamlError.mark?.line === 'number' ? yamlError.mark.line + 1 : undefined;
  return line === undefined ? { reason } : { line, reason };
}

function failure(details: ConstructorParameters<typeof AgentLoadError>[0]): MarkdownAgentResult {
  return { ok: false, error: new AgentLoadError(details) };
}

/** Unions report "Invalid input"; the branch that got furthest explains the problem better. */
function describeIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (issue.code === 'invalid_union') {
    const deepest = issue.errors
      .map((branch) => branch[0])
      .filter((branchIssue): branchIssue is z.core.$ZodIssue => branchIssue !== undefined && branchIssue.path.length > 0)
      .sort((left, right) => right.path.length - left.path.length)[0];
    if (deepest) {
      const inner = describeIssue(deepest);
      return { path: [...issue.path, ...inner.path], message: inner.message };
    }
  }
  return { path: issue.path, message: issue.message.replace(/^Invalid (input|option): /, '') };
}

/** The line of the (possibly nested) key in the front matter, found by scanning forward. */
function lineOfField(text: string, path: PropertyKey[]): number | undefined {
  const lines = text.split('\n');
  let line: number | undefined;
  let from = 1;
  for (const key of path) {
    if (typeof key !== 'string') continue;
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`^\\s*(["']?)${escaped}\\1\\s*:`);
    let index = from;
    while (index < lines.length && lines[index]!.trimEnd() !== '---' && !pattern.test(lines[index]!)) index++;
    if (index >= lines.length || lines[index]!.trimEnd() === '---') break;
    line = index + 1;
    from = index + 1;
  }
  return line;
}
