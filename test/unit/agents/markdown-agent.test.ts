import { describe, expect, test } from 'vitest';
import { parseMarkdownAgent } from '../../../agents/markdown-agent.js';

const file = '.opencode/agent/review.md';
const parse = (text: string, name = 'review') => parseMarkdownAgent({ file, name, text });
const config = (text: string, name?: string) => {
  const result = parse(text, name);
  if (!result.ok) throw result.error;
  return result.config;
};
const error = (text: string) => {
  const result = parse(text);
  if (result.ok) throw new Error('expected a load error');
  return result.error;
};

describe('parseMarkdownAgent', () => {
  test('front matter is the config and the body the prompt', () => {
    expect(config('---\ndescription: Reviews code\nmode: subagent\ntemperature: 0.1\ntop_p: 0.9\nsteps: 8\n---\n\nBe strict.\n')).toEqual({
      name: 'review', description: 'Reviews code', mode: 'subagent', temperature: 0.1, topP: 0.9, steps: 8,
      prompt: 'Be strict.', permission: [], options: {},
    });
  });

  test('a file without front matter is a valid agent', () => {
    expect(config('Answer in one sentence.\n', 'terse')).toEqual({ name: 'terse', prompt: 'Answer in one sentence.', permission: [], options: {} });
  });

  test('an empty file is a valid agent with no prompt', () => {
    expect(config('', 'empty')).toEqual({ name: 'empty', permission: [], options: {} });
  });

  test('the name field wins over the file name', () => {
    expect(config('---\nname: code-reviewer\n---\nReview.', 'reviewer').name).toBe('code-reviewer');
  });

  test('unknown keys are kept in options', () => {
    expect(config('---\noptions:\n  reasoningEffort: low\nskills: pdf\npermissionMode: plan\n---\n').options).toEqual({
      reasoningEffort: 'low', skills: 'pdf', permissionMode: 'plan',
    });
  });

  test.each([
    ['maxSteps', 'maxSteps: 12', 12],
    ['maxTurns', 'maxTurns: 7', 7],
    ['steps wins over aliases', 'steps: 3\nmaxSteps: 12', 3],
  ])('%s sets steps', (_name, line, steps) => {
    expect(config(`---\n${line}\n---\n`).steps).toBe(steps);
  });

  test.each([['haiku', 'haiku'], ['sonnet', 'sonnet'], ['opus', 'opus'], ['inherit', undefined], ['openai/gpt-5', 'openai/gpt-5']])(
    'model %s → %s',
    (model, expected) => {
      expect(config(`---\nmodel: ${model}\n---\n`).model).toBe(expected);
    },
  );

  test('empty values count as omitted', () => {
    expect(config('---\nmodel:\ntools:\ncolor: blue\n---\n')).toEqual({ name: 'review', color: 'blue', permission: [], options: {} });
  });

  test('tools, disallowedTools and permission become rules in that order', () => {
    const { permission } = config('---\ntools: { bash: false }\ndisallowedTools: WebFetch\npermission:\n  bash: ask\n---\n');
    expect(permission).toEqual([
      { permission: 'bash', pattern: '*', action: 'deny' },
      { permission: 'webfetch', pattern: '*', action: 'deny' },
      { permission: 'bash', pattern: '*', action: 'ask' },
    ]);
  });

  test('a value containing a colon is retried quoted', () => {
    const result = config('---\nname: test-runner\ndescription: Use proactively: after code changes, run the tests\ntools: Bash, Read\n---\nRun tests.');
    expect(result.description).toBe('Use proactively: after code changes, run the tests');
    expect(result.name).toBe('test-runner');
  });

  test('the colon retry leaves maps and block scalars alone', () => {
    const result = config('---\ndescription: Triggers: on push\ntools: {bash: false}\nprompt: |\n  a: b\n---\n');
    expect(result.description).toBe('Triggers: on push');
    expect(result.permission).toEqual([{ permission: 'bash', pattern: '*', action: 'deny' }]);
  });

  test.each([
    ['bad indentation', '---\ndescription: x\npermission:\n  bash:\n    "git *": allow\n   "*": deny\n---\n', 6],
    ['unclosed quote', '---\nmode: subagent\ndescription: "never closed\ncolor: red\n---\n', 5],
    ['duplicated key', '---\nmode: subagent\ndescription: x\nmode: primary\n---\n', 4],
  ])('YAML syntax error (%s) names the file and line', (_name, text, line) => {
    const failure = error(text);
    expect(failure.file).toBe(file);
    expect(failure.field).toBeUndefined();
    expect(failure.line).toBe(line);
    expect(failure.message).toMatch(new RegExp(`^\\.opencode/agent/review\\.md:${line}: invalid YAML front matter: `));
  });

  test.each([
    ['temperature', '---\ndescription: x\ntemperature: warm\n---\n', 3, '.opencode/agent/review.md:3: field "temperature": expected number, received string'],
    ['mode', '---\nmode: boss\n---\n', 2, '.opencode/agent/review.md:2: field "mode": expected one of "primary"|"subagent"|"all"'],
    ['steps', '---\nsteps: 0\n---\n', 2, '.opencode/agent/review.md:2: field "steps": expected a number greater than 0'],
    ['hidden', '---\nhidden: "yes"\n---\n', 2, '.opencode/agent/review.md:2: field "hidden": expected boolean, received string'],
    ['tools', '---\ntools: 3\n---\n', 2, '.opencode/agent/review.md:2: field "tools": expected a map of tool names to true or false, or a list of tool names'],
    ['permission', '---\npermission: sometimes\n---\n', 2, '.opencode/agent/review.md:2: field "permission": expected "allow", "ask" or "deny", or a map of permissions to actions'],
    [
      'permission.bash.git push *',
      '---\ndescription: x\npermission:\n  edit: deny\n  bash:\n    "git status *": allow\n    "git push *": maybe\n---\n',
      7,
      '.opencode/agent/review.md:7: field "permission.bash.git push *": expected one of "allow"|"ask"|"deny"',
    ],
  ])('schema error in %s names the field and its line', (field, text, line, message) => {
    const failure = error(text);
    expect(failure).toMatchObject({ file, field, line });
    expect(failure.message).toBe(message);
  });

  test('front matter that is not a mapping is an error', () => {
    expect(error('---\n- a\n- b\n---\n').message).toBe('.opencode/agent/review.md:1: front matter must be a mapping of fields (key: value)');
  });

  test('load errors survive JSON serialisation', () => {
    const failure = error('---\ntemperature: warm\n---\n');
    expect(JSON.parse(JSON.stringify(failure))).toMatchObject({ name: 'AgentLoadError', file, line: 2, field: 'temperature', message: failure.message });
  });
});
