import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ContentNotFoundError, DirectoryContentStore } from '../../../activities/content-store.js';
import { appendMessages, loadConversation } from '../../../activities/conversation.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'orca-store-'));
});
afterEach(() => rm(directory, { recursive: true, force: true }));

describe('the directory content store', () => {
  test('addresses content by its hash, so the same document is stored once', async () => {
    const store = new DirectoryContentStore(directory);
    const first = await store.put({ role: 'user', content: 'hello' });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.put({ role: 'user', content: 'hello' })).toBe(first);
    expect(await readdir(path.join(directory, first.slice(0, 2)))).toEqual([`${first.slice(2)}.json`]);
  });

  test('another process (a new store on the same directory) reads what was stored', async () => {
    const ref = await new DirectoryContentStore(directory).put({ answer: 42 });
    expect(await new DirectoryContentStore(directory).get(ref)).toEqual({ answer: 42 });
  });

  test('keeps its memory bounded and still reads evicted documents from disk', async () => {
    const store = new DirectoryContentStore(directory, 1_000);
    const refs = await Promise.all(Array.from({ length: 20 }, (_, index) => store.put({ index, text: 'x'.repeat(200) })));
    for (const [index, ref] of refs.entries()) expect(await store.get(ref)).toEqual({ index, text: 'x'.repeat(200) });
  });

  test('names a missing document and where it looked', async () => {
    const store = new DirectoryContentStore(directory);
    const missing = 'a'.repeat(64);
    await expect(store.get(missing)).rejects.toThrow(ContentNotFoundError);
    await expect(store.get(missing)).rejects.toThrow(`Content ${missing} is missing from the store at ${directory}`);
    await expect(store.get('../etc/passwd')).rejects.toThrow('Not a content reference: "../etc/passwd"');
  });

  test('a conversation is a chain of nodes: appending shares everything before', async () => {
    const store = new DirectoryContentStore(directory);
    const system = await store.put({ role: 'system', content: 'be brief' });
    const user = await store.put({ role: 'user', content: 'hi' });
    const head = await appendMessages(store, null, [system, user]);
    const longer = await appendMessages(store, head, [await store.put({ role: 'assistant', content: 'hello' })]);
    expect(await loadConversation(store, head)).toEqual([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }]);
    expect((await loadConversation(store, longer)).map((message) => message.role)).toEqual(['system', 'user', 'assistant']);
    expect(await appendMessages(store, longer, [])).toBe(longer);
  });
});
