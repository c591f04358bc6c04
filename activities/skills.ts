import matter from 'gray-matter';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { quoteColonValues } from '../agents/front-matter-fallback.js';

/** Where a workspace keeps skills, one directory per skill holding a SKILL.md; earlier wins on a name clash. */
export const SKILL_DIRECTORIES = ['.orca/skills', '.opencode/skills', '.opencode/skill', '.claude/skills'];

export interface Skill {
  name: string;
  description: string;
  /** The skill's directory relative to the workspace, with forward slashes. */
  directory: string;
  /** The body of SKILL.md: the instructions the model receives. */
  content: string;
}

/** A SKILL.md that could not be used, with the reason in words a person can act on. */
export interface SkillProblem {
  /** The directory's name, which is the name a model would try. */
  name: string;
  file: string;
  reason: string;
}

export interface WorkspaceSkills {
  skills: Skill[];
  problems: SkillProblem[];
}

const SkillFrontMatter = z.looseObject({
  name: z.string().trim().min(1).optional(),
  description: z.string({ error: 'missing; the front matter must say what the skill is for and when to use it' }).trim().min(1),
});

export type ParsedSkill = { ok: true; skill: Skill } | { ok: false; problem: SkillProblem };
interface Candidate { name: string; file: string; directory: string; absolute: string; stamp: string }

// Listing is a few readdir/stat calls on every model step; the files are parsed again only when one
// of them was added, removed or changed (size or mtime).
const byWorkspace = new Map<string, { stamp: string; result: WorkspaceSkills }>();
const CACHED_WORKSPACES = 200;

/** The skills in a workspace, sorted by name. */
export async function loadSkills(workspace: string): Promise<WorkspaceSkills> {
  const candidates = await findCandidates(workspace);
  const stamp = candidates.map((candidate) => `${candidate.file}@${candidate.stamp}`).join('\n');
  const cached = byWorkspace.get(workspace);
  if (cached?.stamp === stamp) return cached.result;

  const skills = new Map<string, Skill>();
  const problems: SkillProblem[] = [];
  for (const candidate of candidates) {
    const parsed = await parseCandidate(candidate);
    if (!parsed.ok) problems.push(parsed.problem);
    else if (!skills.has(parsed.skill.name)) skills.set(parsed.skill.name, parsed.skill);
  }
  const result = { skills: [...skills.values()].sort((a, b) => a.name.localeCompare(b.name)), problems };
  byWorkspace.delete(workspace);
  if (byWorkspace.size >= CACHED_WORKSPACES) byWorkspace.delete(byWorkspace.keys().next().value as string);
  byWorkspace.set(workspace, { stamp, result });
  return result;
}

async function findCandidates(workspace: string): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const root of SKILL_DIRECTORIES) {
    const entries = await readdir(path.join(workspace, root)).catch(() => [] as string[]);
    for (const entry of entries.sort()) {
      const directory = `${root}/${entry}`;
      const file = `${directory}/SKILL.md`;
      const absolute = path.join(workspace, file);
      const stats = await stat(absolute).catch(() => undefined);
      if (stats?.isFile()) candidates.push({ name: entry, file, directory, absolute, stamp: `${stats.size}:${stats.mtimeMs}` });
    }
  }
  return candidates;
}

async function parseCandidate(candidate: Candidate): Promise<ParsedSkill> {
  let text: string;
  try {
    text = await readFile(candidate.absolute, 'utf8');
  } catch (error) {
    return { ok: false, problem: { name: candidate.name, file: candidate.file, reason: `cannot be read: ${(error as Error).message}` } };
  }
  return parseSkillFile(text, candidate);
}

/** Front matter (`name`, `description`) and a body, as in Claude Code and OpenCode. */
export function parseSkillFile(text: string, source: { name: string; file: string; directory: string }): ParsedSkill {
  const problem = (reason: string): ParsedSkill => ({ ok: false, problem: { name: source.name, file: source.file, reason } });
  let file: { data: unknown; content: string };
  try {
    file = matter(text, {});
  } catch {
    try {
      file = matter(quoteColonValues(text), {});
    } catch (error) {
      return problem(`invalid YAML front matter: ${(error as { reason?: string }).reason ?? (error as Error).message}`);
    }
  }
  const result = SkillFrontMatter.safeParse(file.data ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return problem(issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
  }
  const name = result.data.name ?? source.name;
  return { ok: true, skill: { name, description: result.data.description, directory: source.directory, content: file.content.trim() } };
}
