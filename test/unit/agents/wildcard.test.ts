import { expect, test } from 'vitest';
import { matchWildcard } from '../../../agents/wildcard.js';

test.each([
  ['*', 'anything/at/all', true],
  ['*', '', true],
  ['src/*', 'src/deep/nested/file.ts', true],
  ['src/**', 'src/a/b.ts', true],
  ['src/**', 'lib/a.ts', false],
  ['*.ts', 'agents/wildcard.ts', true],
  ['*.ts', 'agents/wildcard.tsx', false],
  ['file?.txt', 'file1.txt', true],
  ['file?.txt', 'file10.txt', false],
  ['file?.txt', 'file.txt', false],
  ['git status *', 'git status', true],
  ['git status *', 'git status --short', true],
  ['git status *', 'git statusx', false],
  ['git *', 'git', true],
  ['git', 'git status', false],
  ['*.env', '.env', true],
  ['*.env', 'config/prod.env', true],
  ['*.env.*', '.env.local', true],
  ['a.b', 'axb', false],
  ['(x)+[y]', '(x)+[y]', true],
  ['$HOME/*', '$HOME/notes', true],
  ['echo *', 'echo line one\nline two', true],
  ['todo*', 'todowrite', true],
])('matchWildcard(%j, %j) is %s', (pattern, value, expected) => {
  expect(matchWildcard(pattern, value)).toBe(expected);
});
