import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterEach, describe, expect, test } from 'vitest';
import { demoModelScript } from '../../client/demo-model-script.js';
import {
  lastMessage,
  lastUserText,
  startScriptedModelServer,
  systemPrompt,
  toolResults,
  type RecordedRequest,
  type ScriptedModelServerOptions,
  type ScriptedModelServer,
} from '../../client/scripted-model-server.js';

const openServers: ScriptedModelServer[] = [];

afterEach(async () => {
  await Promise.all(openServers.splice(0).map((server) => server.close()));
});

async function start(respond: ScriptedModelServerOptions['respond']) {
  const server = await startScriptedModelServer({ respond });
  openServers.push(server);
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 });
  return { server, client };
}

const ask = (text: string) => ({ model: 'scripted', messages: [{ role: 'user' as const, content: text }] });

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const tools: ChatCompletionTool[] = ['read', 'glob'].map((name) => ({
  type: 'function',
  function: { name, parameters: { type: 'object', properties: {} } },
}));

describe('scripted model server', () => {
  test('answers a plain completion and records the request', async () => {
    const { server, client } = await start([{ content: 'Hello there' }]);
    const completion = await client.chat.completions.create({ ...ask('hi'), temperature: 0.2 });

    expect(completion.choices[0]?.message.content).toBe('Hello there');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toMatchObject({ model: 'scripted', temperature: 0.2, messages: [{ role: 'user', content: 'hi' }] });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer test');
  });

  test('returns tool calls without streaming', async () => {
    const { client } = await start([{
      toolCalls: [
        { name: 'read', arguments: { filePath: 'README.md' } },
        { name: 'glob', arguments: '{"pattern":"*/"}', id: 'call_glob' },
      ],
    }]);
    const completion = await client.chat.completions.create({ ...ask('look around'), tools });
    const choice = completion.choices[0];

    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: 'call_0_0', type: 'function', function: { name: 'read', arguments: '{"filePath":"README.md"}' } },
      { id: 'call_glob', type: 'function', function: { name: 'glob', arguments: '{"pattern":"*/"}' } },
    ]);
  });

  test('streams tool-call arguments in fragments that reassemble', async () => {
    const longArguments = { filePath: 'activities/tools/some-rather-long-file-name.ts', offset: 10, limit: 200 };
    const { client } = await start([{ content: 'Reading two files.', toolCalls: [{ name: 'read', arguments: longArguments }, { name: 'glob', arguments: { pattern: '**/*.md' } }] }]);
    const stream = await client.chat.completions.create({ ...ask('read'), tools, stream: true });

    let text = '';
    const calls: { id: string; name: string; arguments: string; fragments: number }[] = [];
    let finishReason: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      text += choice?.delta.content ?? '';
      finishReason ??= choice?.finish_reason;
      for (const part of choice?.delta.tool_calls ?? []) {
        const call = (calls[part.index] ??= { id: '', name: '', arguments: '', fragments: 0 });
        call.id ||= part.id ?? '';
        call.name += part.function?.name ?? '';
        call.arguments += part.function?.arguments ?? '';
        call.fragments += 1;
      }
    }

    expect(text).toBe('Reading two files.');
    expect(finishReason).toBe('tool_calls');
    expect(calls.map((call) => call.name)).toEqual(['read', 'glob']);
    expect(JSON.parse(calls[0]?.arguments ?? '')).toEqual(longArguments);
    expect(JSON.parse(calls[1]?.arguments ?? '')).toEqual({ pattern: '**/*.md' });
    expect(calls[0]?.fragments).toBeGreaterThan(2);
  });

  test("the openai stream helper reassembles the same message", async () => {
    const { client } = await start([{ toolCalls: [{ name: 'glob', arguments: { pattern: '*/' } }] }]);
    const final = await client.chat.completions.stream({ ...ask('list'), tools }).finalChatCompletion();

    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({ id: 'call_0_0', function: { name: 'glob', arguments: '{"pattern":"*/"}' } });
  });

  test('sends a final usage chunk when asked to', async () => {
    const { client } = await start([{ content: 'ok', usage: { prompt_tokens: 120, completion_tokens: 7, cached_tokens: 100 } }]);
    const stream = await client.chat.completions.create({ ...ask('hi'), stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 120, completion_tokens: 7, total_tokens: 127, prompt_tokens_details: { cached_tokens: 100 } });
  });

  test('a 429 carries its retry-after header and message to the APIError', async () => {
    const { client } = await start([{ status: 429, headers: { 'retry-after': '1' }, errorMessage: 'Slow down' }]);
    const error = await client.chat.completions.create(ask('hi')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers.get('retry-after')).toBe('1');
    expect(rateLimit.message).toContain('Slow down');
    expect(rateLimit.code).toBe('rate_limit_exceeded');
  });

  test('a hung request ends when the client aborts', async () => {
    const { server, client } = await start([{ hang: true }]);
    const abort = new AbortController();
    const pending = client.chat.completions.create(ask('hi'), { signal: abort.signal });
    await until(() => server.requests.length === 1);
    abort.abort();

    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
  });

  test('close() resolves while 1000 requests hang or wait, and their clients see the connection drop', async () => {
    const { server, client } = await start((request) => (request.index % 2 === 0 ? { hang: true } : { delayMs: 60_000 }));
    const pending = Array.from({ length: 1000 }, () => client.chat.completions.create(ask('hi')).catch((caught: unknown) => caught));
    await until(() => server.requests.length === 1000);
    await server.close();

    for (const error of await Promise.all(pending)) expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  test('cutAfterChunks breaks the stream on the client side', async () => {
    const { client } = await start([{ content: 'one two three four five six', cutAfterChunks: 3, chunkDelayMs: 5 }]);
    const stream = await client.chat.completions.create({ ...ask('hi'), stream: true });
    const received: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })();

    await expect(reading).rejects.toThrow();
    expect(received).toEqual(['', 'one', ' two']);
  });

  test('a non-streaming cut drops the connection', async () => {
    const { client } = await start([{ content: 'never seen', cutAfterChunks: 0 }]);
    await expect(client.chat.completions.create(ask('hi'))).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  test('routes 1000 concurrent requests with a function responder', async () => {
    const { server, client } = await start((request) => ({ content: `echo: ${lastUserText(request)}`, delayMs: 50 }));
    const prompts = Array.from({ length: 1000 }, (_, index) => `prompt ${index}`);
    const answers = await Promise.all(prompts.map(async (prompt, index) => {
      const completion = index % 2 === 0
        ? await client.chat.completions.create(ask(prompt))
        : await client.chat.completions.stream(ask(prompt)).finalChatCompletion();
      return completion.choices[0]?.message.content;
    }));

    expect(answers).toEqual(prompts.map((prompt) => `echo: ${prompt}`));
    expect(new Set(server.requests.map((request) => request.index)).size).toBe(1000);
  });

  test('a script that runs out answers 500 with a clear message', async () => {
    const { client } = await start([{ content: 'only one' }]);
    await client.chat.completions.create(ask('first'));
    const error = await client.chat.completions.create(ask('second')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as Error).message).toContain('scripted model: no reply scripted for request #1');
  });

  test('a responder that throws answers 500 with its message', async () => {
    const { client } = await start(() => {
      throw new Error('unexpected prompt');
    });
    await expect(client.chat.completions.create(ask('hi'))).rejects.toThrow(/responder threw: unexpected prompt/);
  });

  test('lists the scripted model, and rejects unknown paths and malformed JSON', async () => {
    const { server, client } = await start([]);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['scripted']);

    const unknown = await fetch(`${server.baseURL}/embeddings`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { message: expect.stringContaining('no endpoint') } });

    const malformed = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{"model":' });
    expect(malformed.status).toBe(400);
    expect(server.requests).toHaveLength(0);
  });
});

describe('request helpers', () => {
  const conversation: ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You are build.' },
    { role: 'user', content: [{ type: 'text', text: 'Read ' }, { type: 'text', text: 'the README' }] },
    { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'read', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'a', content: 'first result' },
    { role: 'user', content: 'and the folders' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'b', type: 'function', function: { name: 'glob', arguments: '{}' } },
        { id: 'c', type: 'function', function: { name: 'read', arguments: '{}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'b', content: 'agents/' },
    { role: 'tool', tool_call_id: 'c', content: [{ type: 'text', text: '# Orca' }] },
  ];

  test('read the request the way routing responders need', async () => {
    let seen: RecordedRequest | undefined;
    const { client } = await start((request) => {
      seen = request;
      return { content: 'ok' };
    });
    await client.chat.completions.create({ model: 'scripted', messages: conversation });
    if (!seen) throw new Error('the responder was not called');

    expect(systemPrompt(seen)).toBe('You are build.');
    expect(lastUserText(seen)).toBe('and the folders');
    expect(lastMessage(seen)).toMatchObject({ role: 'tool', tool_call_id: 'c' });
    expect(toolResults(seen)).toEqual([
      { toolCallId: 'b', toolName: 'glob', content: 'agents/' },
      { toolCallId: 'c', toolName: 'read', content: '# Orca' },
    ]);
  });
});

describe('demo model script', () => {
  const prompt = 'What is this project? Read its README and name its top-level folders.';

  test('reads the README and globs the folders, then answers from what the tools returned', async () => {
    const { client } = await start(demoModelScript);
    const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: 'You are build.' }, { role: 'user', content: prompt }];

    const first = await client.chat.completions.create({ model: 'scripted', messages, tools });
    const calls = first.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((call) => call.type === 'function' && [call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['read', { filePath: 'README.md' }],
      ['glob', { pattern: '*/' }],
    ]);

    const toolOutputs: Record<string, string> = {
      read: '<path>/repo/README.md</path>\n<type>file</type>\n<content>\n1: # Orca — agent teams on Temporal\n2: \n3: Run agents.\n</content>',
      glob: '/repo/workflows/\n/repo/agents/\n/repo/client/',
    };
    messages.push(first.choices[0]!.message);
    for (const call of calls) {
      if (call.type === 'function') messages.push({ role: 'tool', tool_call_id: call.id, content: toolOutputs[call.function.name] ?? '' });
    }
    const final = await client.chat.completions.create({ model: 'scripted', messages, tools });

    expect(final.choices[0]?.message.content).toBe(
      '[scripted model] The README\'s first heading is "# Orca — agent teams on Temporal". Its top-level folders are: agents, client, workflows.',
    );
  });

  test('reports tool failures instead of inventing facts', async () => {
    const request = {
      index: 1,
      receivedAt: 0,
      headers: {},
      body: {
        model: 'scripted',
        messages: [
          { role: 'user', content: prompt },
          { role: 'assistant', content: null, tool_calls: [{ id: 'r', function: { name: 'read', arguments: '{}' } }, { id: 'g', function: { name: 'glob', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'r', content: 'File not found: README.md. Did you mean readme.txt?' },
          { role: 'tool', tool_call_id: 'g', content: 'No files found' },
        ],
      },
    };
    const reply = await demoModelScript(request);

    expect(reply.content).toBe(
      '[scripted model] Reading the README returned: "File not found: README.md. Did you mean readme.txt?". Listing the folders returned no folder: "No files found".',
    );
  });

  test('answers without tools when none are offered', async () => {
    const reply = await demoModelScript({ index: 0, receivedAt: 0, headers: {}, body: { model: 'scripted', messages: [{ role: 'user', content: prompt }] } });
    expect(reply.toolCalls).toBeUndefined();
    expect(reply.content).toMatch(/^\[scripted model\] /);
  });
});
