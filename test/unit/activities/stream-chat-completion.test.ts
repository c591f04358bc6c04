import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toModelFailure } from '../../../activities/model-errors.js';
import { streamChatCompletion } from '../../../activities/stream-chat-completion.js';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptedReply } from '../../../client/scripted-model-server.js';

let server: ScriptedModelServer;
let client: OpenAI;
let script: ScriptedReply = {};
beforeAll(async () => {
  server = await startScriptedModelServer({ respond: () => script });
  client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 });
});
afterAll(() => server.close());

function stream(reply: ScriptedReply, idleTimeoutMs = 2_000) {
  script = reply;
  return streamChatCompletion(client, { model: 'scripted', messages: [{ role: 'user', content: 'go' }] }, {
    signal: new AbortController().signal,
    idleTimeoutMs,
    onProgress() {},
  });
}

describe('streamChatCompletion', () => {
  test('streams, reassembling each tool call\'s arguments from its fragments', async () => {
    const reply = await stream({
      content: 'Reading two files.',
      toolCalls: [
        { id: 'c1', name: 'read', arguments: { filePath: 'src/a-rather-long-file-name.ts', offset: 10 } },
        { id: 'c2', name: 'grep', arguments: { pattern: 'TODO', path: 'src' } },
      ],
      usage: { prompt_tokens: 120, completion_tokens: 30, cached_tokens: 100 },
    });
    const request = server.requests.at(-1)!;
    expect(request.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(reply.text).toBe('Reading two files.');
    expect(reply.toolCalls).toEqual([
      { id: 'c1', name: 'read', arguments: '{"filePath":"src/a-rather-long-file-name.ts","offset":10}' },
      { id: 'c2', name: 'grep', arguments: '{"pattern":"TODO","path":"src"}' },
    ]);
    expect(reply.message.tool_calls?.map((call) => call.type === 'function' && JSON.parse(call.function.arguments))).toEqual([
      { filePath: 'src/a-rather-long-file-name.ts', offset: 10 }, { pattern: 'TODO', path: 'src' },
    ]);
    expect(reply.usage).toEqual({ inputTokens: 120, outputTokens: 30, cachedTokens: 100 });
  });

  test('a stream cut mid-way is a retryable failure', async () => {
    const error = await stream({ content: 'one two three four five six', cutAfterChunks: 3 }).catch((caught: unknown) => caught);
    const failure = toModelFailure(error, server.baseURL, 'scripted');
    expect(failure).toMatchObject({ type: 'ModelStreamCut', nonRetryable: false, message: expect.stringMatching(/^The model's reply was cut off after 3 chunks/) });
  });

  test('a model that sends nothing within the idle timeout is abandoned as stalled', async () => {
    const started = Date.now();
    const error = await stream({ hang: true }, 300).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ type: 'ModelStalled', nonRetryable: false, message: expect.stringContaining('sent nothing for 0.3 s') });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('the idle timeout is between chunks, not for the whole reply', async () => {
    const reply = await stream({ content: 'a b c d e f', chunkDelayMs: 100 }, 400);
    expect(reply.text).toBe('a b c d e f');
    const error = await stream({ content: 'a b c', chunkDelayMs: 600 }, 300).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ type: 'ModelStalled' });
  });
});
