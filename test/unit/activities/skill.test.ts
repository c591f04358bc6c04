import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { rulesFromPermissionConfig } from '../../../agents/permission-config.js';
import { loadSkills, parseSkillFile } from '../../../activities/skills.js';
import { sessionToolSpecs, toolSpecs } from '../../../activities/tools/index.js';
import { skillTool } from '../../../activities/tools/skill.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from '../tools/temporary-workspace.js';

const skillFile = (front: string, body = 'Do the thing.') => `---\n${front}\n---\n${body}\n`;

let temp: TemporaryWorkspace;
beforeEach(async () => {
  temp = await createTemporaryWorkspace();
});
afterEach(() => temp.remove());

describe('loadSkills', () => {
  test('finds SKILL.md in every skills directory of the workspace, sorted by name', async () => {
    await temp.write({
      '.orca/skills/release/SKILL.md': skillFile('name: release\ndescription: Cut a release'),
      '.opencode/skills/pdf/SKILL.md': skillFile('description: Fill PDF forms'),
      '.opencode/skill/lint/SKILL.md': skillFile('description: Fix lint errors'),
      '.claude/skills/db/SKILL.md': skillFile('description: Database migrations'),
      '.claude/skills/notes.md': 'not a skill directory',
      '.claude/skills/empty/README.md': 'no SKILL.md here',
    });
    const { skills, problems } = await loadSkills(temp.workspace);
    expect(skills.map((skill) => [skill.name, skill.directory])).toEqual([
      ['db', '.claude/skills/db'],
      ['lint', '.opencode/skill/lint'],
      ['pdf', '.opencode/skills/pdf'],
      ['release', '.orca/skills/release'],
    ]);
    expect(skills[0]).toMatchObject({ description: 'Database migrations', content: 'Do the thing.' });
    expect(problems).toEqual([]);
  });

  test('.orca wins over .opencode and .claude for the same name', async () => {
    await temp.write({
      '.claude/skills/pdf/SKILL.md': skillFile('description: Claude version'),
      '.orca/skills/pdf/SKILL.md': skillFile('description: Orca version'),
    });
    const { skills } = await loadSkills(temp.workspace);
    expect(skills).toEqual([expect.objectContaining({ name: 'pdf', description: 'Orca version', directory: '.orca/skills/pdf' })]);
  });

  test('reports a skill without a description, naming the file; loads the rest', async () => {
    await temp.write({
      '.orca/skills/broken/SKILL.md': skillFile('name: broken'),
      '.orca/skills/fine/SKILL.md': skillFile('description: Works'),
    });
    const { skills, problems } = await loadSkills(temp.workspace);
    expect(skills.map((skill) => skill.name)).toEqual(['fine']);
    expect(problems).toEqual([{ name: 'broken', file: '.orca/skills/broken/SKILL.md', reason: expect.stringMatching(/^description: missing/) }]);
  });

  test('sees a skill added or changed after the first look', async () => {
    await temp.write({ '.orca/skills/a/SKILL.md': skillFile('description: First') });
    expect((await loadSkills(temp.workspace)).skills.map((skill) => skill.description)).toEqual(['First']);
    await temp.write({ '.orca/skills/b/SKILL.md': skillFile('description: Second') });
    const file = path.join(temp.workspace, '.orca/skills/a/SKILL.md');
    await writeFile(file, skillFile('description: First, edited'));
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    expect((await loadSkills(temp.workspace)).skills.map((skill) => skill.description)).toEqual(['First, edited', 'Second']);
  });
});

describe('parseSkillFile', () => {
  const source = { name: 'dir-name', file: '.orca/skills/dir-name/SKILL.md', directory: '.orca/skills/dir-name' };
  test('the front matter name wins over the directory name', () => {
    expect(parseSkillFile(skillFile('name: pretty\ndescription: d'), source)).toMatchObject({ ok: true, skill: { name: 'pretty' } });
  });
  test('accepts Claude-style unquoted descriptions with colons', () => {
    const parsed = parseSkillFile(skillFile('description: Use when: the user asks for a PDF'), source);
    expect(parsed).toMatchObject({ ok: true, skill: { name: 'dir-name', description: 'Use when: the user asks for a PDF' } });
  });
  test('a file without front matter has no description', () => {
    expect(parseSkillFile('# Just text\n', source)).toMatchObject({ ok: false, problem: { reason: expect.stringMatching(/^description: missing/) } });
  });
});

describe('the skill tool', () => {
  test('asks for the skill permission with the skill name', async () => {
    expect(await temp.permissions(skillTool, { name: 'pdf' })).toEqual([{ permission: 'skill', patterns: ['pdf'], always: ['pdf'] }]);
  });

  test('returns the instructions and where the skill\'s other files are', async () => {
    await temp.write({
      '.orca/skills/pdf/SKILL.md': skillFile('description: Fill PDF forms', 'Run scripts/fill.py with the form.'),
      '.orca/skills/pdf/scripts/fill.py': 'print("fill")\n',
      '.orca/skills/pdf/reference.md': '# Fields\n',
    });
    const result = await temp.run(skillTool, { name: 'pdf' });
    expect(result.title).toBe('skill pdf');
    expect(result.output).toContain('<skill name="pdf" directory=".orca/skills/pdf">');
    expect(result.output).toContain('Run scripts/fill.py with the form.');
    expect(result.output).toContain("This skill's directory is .orca/skills/pdf/");
    expect(result.output).toContain('- .orca/skills/pdf/reference.md\n- .orca/skills/pdf/scripts/fill.py');
    expect(result.output).not.toContain('- .orca/skills/pdf/SKILL.md');
  });

  test('an unknown skill names the available ones', async () => {
    await temp.write({ '.orca/skills/pdf/SKILL.md': skillFile('description: d') });
    await expect(temp.run(skillTool, { name: 'pfd' })).rejects.toThrow('Skill "pfd" not found. Available skills: pdf. Use one of those names exactly.');
  });

  test('a broken skill explains what is wrong with its file', async () => {
    await temp.write({ '.orca/skills/pdf/SKILL.md': '# no front matter\n' });
    await expect(temp.run(skillTool, { name: 'pdf' })).rejects.toThrow('The skill "pdf" cannot be loaded: .orca/skills/pdf/SKILL.md: description: missing');
  });
});

describe('skill tool specs', () => {
  const allow = rulesFromPermissionConfig({});
  test('list the workspace\'s skills the agent may load', async () => {
    await temp.write({
      '.orca/skills/pdf/SKILL.md': skillFile('description: Fill PDF forms'),
      '.claude/skills/secret/SKILL.md': skillFile('description: Internal only'),
    });
    const rules = rulesFromPermissionConfig({ skill: { '*': 'allow', secret: 'deny' } });
    const [spec] = await sessionToolSpecs(['skill'], { workspace: temp.workspace, permission: rules });
    expect(spec?.function.description).toContain('Available skills:\n- pdf: Fill PDF forms');
    expect(spec?.function.description).not.toContain('secret');
    expect(spec?.function.parameters).toMatchObject({ required: ['name'] });
  });

  test('leave the skill tool out of a workspace without skills; other tools keep their descriptions', async () => {
    const specs = await sessionToolSpecs(['read', 'skill'], { workspace: temp.workspace, permission: allow });
    expect(specs.map((spec) => spec.function.name)).toEqual(['read']);
    expect(specs[0]).toEqual(toolSpecs(['read'])[0]);
  });
});
