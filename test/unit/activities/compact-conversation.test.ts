import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  compactConversation,
  estimateTokens,
  KEPT_TURNS,
  splitTurns,
  SUMMARY_PREFIX,
  summaryRequest,
  transcript,
} from '../../../activities/compact-conversation.js';
import { DirectoryContentStore } from '../../../activities/content-store.js';
import { appendMessages, readConversation, type ChatMessage } from '../../../activities/conversation.js';
import { compactionPrompt } from '../../../agents/prompts/compaction.js';

const call = (id: string, name: string, args: object) => ({ id, type: 'function' as const, function: { name, arguments: JSON.stringify(args) } });

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are the build agent.' },
  { role: 'user', content: 'Fix the flaky test.' },
  { role: 'assistant', content: null, tool_calls: [call('a', 'read', { filePath: 'big.log' }), call('b', 'grep', { pattern: 'FAIL' })] },
  { role: 'tool', tool_call_id: 'a', content: `LOG ${'x'.repeat(5000)}` },
  { role: 'tool', tool_call_id: 'b', content: 'test/a.test.ts: FAIL' },
  { role: 'assistant', content: 'Looking at the test.', tool_calls: [call('c', 'read', { filePath: 'test/a.test.ts' })] },
  { role: 'tool', tool_call_id: 'c', content: 'it("works")' },
  { role: 'user', content: 'Also update the changelog.' },
  { role: 'assistant', content: null, tool_calls: [call('d', 'edit', { filePath: 'CHANGELOG.md' })] },
  { role: 'tool', tool_call_id: 'd', content: 'Edited CHANGELOG.md' },
];
const refs = messages.map((_, index) => `ref${index}`);

describe('splitTurns', () => {
  test('keeps leading system messages apart; a turn is a user message or an assistant message with its tool results', () => {
    const { system, turns } = splitTurns({ refs, messages });
    expect(system.map((entry) => entry.ref)).toEqual(['ref0']);
    expect(turns.map((turn) => turn.map((entry) => entry.ref))).toEqual([
      ['ref1'], ['ref2', 'ref3', 'ref4'], ['ref5', 'ref6'], ['ref7'], ['ref8', 'ref9'],
    ]);
  });
});

describe('estimateTokens', () => {
  test('counts about four characters a token when no reply recorded a count, including extras such as tool specs', () => {
    const characters = messages.reduce((sum, message) => sum + JSON.stringify(message).length, 0);
    expect(estimateTokens({ refs, messages, countedMessages: 0 }, 400)).toBe(Math.ceil((characters + 400) / 4));
  });

  test('starts from the model\'s own count and adds only what came after it', () => {
    const after = messages.slice(8).reduce((sum, message) => sum + JSON.stringify(message).length, 0);
    expect(estimateTokens({ refs, messages, countedTokens: 9000, countedMessages: 8 }, 400)).toBe(9000 + Math.ceil(after / 4));
  });
});

describe('transcript', () => {
  test('names each tool result by its call and cuts long outputs to 2,000 characters', () => {
    const { turns } = splitTurns({ refs, messages });
    const text = transcript(turns.slice(0, 3));
    expect(text).toContain('[user]\nFix the flaky test.');
    expect(text).toContain('[calls read] {"filePath":"big.log"}');
    expect(text).toContain('[grep result]\ntest/a.test.ts: FAIL');
    expect(text).toContain(`[read result]\nLOG ${'x'.repeat(1996)}\n[... 3004 more characters cut]`);
    expect(text).toContain('[assistant]\nLooking at the test.\n[calls read] {"filePath":"test/a.test.ts"}');
  });

  test('the summary request uses the compaction prompt and offers no tools', () => {
    const request = summaryRequest(splitTurns({ refs, messages }).turns.slice(0, 1));
    expect(request[0]).toEqual({ role: 'system', content: compactionPrompt });
    expect(request).toHaveLength(2);
  });
});

describe('compactConversation', () => {
  let directory: string;
  let store: DirectoryContentStore;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'orca-compaction-'));
    store = new DirectoryContentStore(directory);
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  test('starts a new conversation: system, summary, the last turns verbatim', async () => {
    const stored = await Promise.all(messages.map((message) => store.put(message)));
    const head = await appendMessages(store, await appendMessages(store, null, stored.slice(0, 5), { tokens: 5000 }), stored.slice(5));
    const conversation = await readConversation(store, head);
    expect(conversation).toMatchObject({ countedTokens: 5000, countedMessages: 5 });

    const requests: ChatMessage[][] = [];
    const result = await compactConversation(store, conversation, async (request) => {
      requests.push(request);
      return ' The user wants the flaky test fixed; test/a.test.ts fails. ';
    });
    expect(requests).toHaveLength(1);
    const sent = JSON.stringify(requests[0]);
    expect(sent).toContain('Fix the flaky test.');
    expect(sent).not.toContain('Also update the changelog.');

    const compacted = await readConversation(store, result!.head);
    expect(compacted.countedTokens).toBeUndefined();
    expect(compacted.messages).toEqual([
      messages[0],
      { role: 'user', content: `${SUMMARY_PREFIX}\n\nThe user wants the flaky test fixed; test/a.test.ts fails.` },
      ...messages.slice(7),
    ]);
    expect(compacted.refs.slice(2)).toEqual(stored.slice(7));
  });

  test(`does nothing when there are no more than ${KEPT_TURNS} turns`, async () => {
    const stored = await Promise.all(messages.slice(0, 5).map((message) => store.put(message)));
    const conversation = await readConversation(store, await appendMessages(store, null, stored));
    await expect(compactConversation(store, conversation, () => Promise.reject(new Error('not called')))).resolves.toBeUndefined();
  });
});
