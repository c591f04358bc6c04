import path from 'node:path';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { evaluatePermission } from '../../agents/evaluate-permission.js';
import { loadSkills, SKILL_DIRECTORIES, type Skill } from '../skills.js';
import { defineTool } from './define-tool.js';

const LISTED_FILES = 20;

const SkillParameters = z.object({
  name: z.string().trim().min(1).describe('The name of the skill, as listed in this tool\'s description'),
});

const INTRODUCTION = `Loads a skill: instructions and resources for a specific kind of task, kept in the workspace.
- Load a skill when the user asks for it, or when the task clearly matches its description; not merely because a tool or command it mentions comes up.
- The result is the skill's instructions, with the directory its other files live in (read them with the read tool).`;

function listing(skills: Skill[]): string {
  return ['', 'Available skills:', ...skills.map((skill) => `- ${skill.name}: ${skill.description.replace(/\s+/g, ' ')}`)].join('\n');
}

export const skillTool = defineTool({
  id: 'skill',
  description: `${INTRODUCTION}\n- The available skills are those in ${SKILL_DIRECTORIES.map((directory) => `${directory}/<name>/SKILL.md`).join(', ')}.`,
  parameters: SkillParameters,
  // Only the skills this agent may load are offered; without any, the tool is not offered at all.
  async describeFor({ workspace, permission }) {
    const { skills } = await loadSkills(workspace);
    const offered = skills.filter((skill) => evaluatePermission('skill', skill.name, permission).action !== 'deny');
    return offered.length > 0 ? INTRODUCTION + '\n' + listing(offered) : undefined;
  },
  summarize: (args) => `skill ${args.name}`,
  async permissions(args) {
    return [{ permission: 'skill', patterns: [args.name], always: [args.name] }];
  },
  async execute(args, context) {
    const { skills, problems } = await loadSkills(context.workspace);
    const skill = skills.find((candidate) => candidate.name === args.name);
    if (!skill) {
      const problem = problems.find((candidate) => candidate.name === args.name);
      if (problem) throw new Error(`The skill "${args.name}" cannot be loaded: ${problem.file}: ${problem.reason}. Tell the user to fix that file.`);
      const available = skills.map((candidate) => candidate.name).join(', ') || 'none';
      throw new Error(`Skill "${args.name}" not found. Available skills: ${available}. Use one of those names exactly.`);
    }
    const files = (await glob('**/*', { cwd: path.join(context.workspace, skill.directory), onlyFiles: true }))
      .filter((file) => file !== 'SKILL.md')
      .sort();
    const shown = files.slice(0, LISTED_FILES).map((file) => `- ${skill.directory}/${file}`);
    if (files.length > LISTED_FILES) shown.push(`- ... and ${files.length - LISTED_FILES} more (use the glob tool on ${skill.directory})`);
    return {
      title: `skill ${skill.name}`,
      output: [
        `<skill name="${skill.name}" directory="${skill.directory}">`,
        `# Skill: ${skill.name}`,
        '',
        skill.content,
        '',
        `This skill's directory is ${skill.directory}/ (relative to the workspace root); paths in the instructions above are relative to it.`,
        ...(shown.length > 0 ? ['Its other files:', ...shown] : ['It has no other files.']),
        '</skill>',
      ].join('\n'),
      metadata: { directory: skill.directory },
    };
  },
});
