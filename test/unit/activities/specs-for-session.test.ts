import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { specsForSession } from '../../../activities/index.js';
import { rulesFromPermissionConfig } from '../../../agents/permission-config.js';
import type { SessionSettings } from '../../../workflows/session-types.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from '../tools/temporary-workspace.js';

let temp: TemporaryWorkspace;
beforeEach(async () => {
  temp = await createTemporaryWorkspace();
});
afterEach(() => temp.remove());

const settings = (workspace: string, tools: string[]): SessionSettings => ({
  workspace, tools, subagents: [], permission: rulesFromPermissionConfig({}),
});

describe('specsForSession', () => {
  test('offers the skill tool with the skills of the session\'s own workspace', async () => {
    await temp.write({ '.claude/skills/changelog/SKILL.md': '---\ndescription: Write the changelog entry\n---\nSteps.\n' });
    const specs = await specsForSession(settings(temp.workspace, ['read', 'skill', 'todoread']));
    expect(specs.map((spec) => spec.type === 'function' && spec.function.name)).toEqual(['read', 'skill', 'todoread']);
    const skill = specs[1];
    expect(skill?.type === 'function' && skill.function.description).toContain('- changelog: Write the changelog entry');
  });

  test('leaves the skill tool out where there are no skills', async () => {
    const specs = await specsForSession(settings(temp.workspace, ['read', 'skill']));
    expect(specs.map((spec) => spec.type === 'function' && spec.function.name)).toEqual(['read']);
  });
});
