import { afterAll, beforeAll, expect, test } from 'vitest';
import { toolResults, type RecordedRequest } from '../../client/scripted-model-server.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';

let harness: SessionHarness;
beforeAll(async () => {
  harness = await startHarness({
    respond: (request: RecordedRequest) => {
      const calls = request.body.messages.filter((message) => message.role === 'tool').length;
      if (calls < 3) return { toolCalls: [{ name: 'glob', arguments: { pattern: '**/*.md' } }] };
      return { content: `last result: ${toolResults(request)[0]?.content}` };
    },
  });
});
afterAll(() => harness?.close());

test('a third identical call in a row is held as a doom_loop ask', async () => {
  const result = await harness.run({ prompt: 'Look for markdown files', onAsk: 'deny' });
  expect(result.text).toContain('The user did not allow glob **/*.md (the third identical call in a row)');
});

test('a session whose rules allow doom_loop is not stopped', async () => {
  const result = await harness.run({ prompt: 'Look again', onAsk: 'deny', rules: [{ permission: 'doom_loop', pattern: '*', action: 'allow' }] });
  expect(result.text).toContain('last result: README.md');
});
