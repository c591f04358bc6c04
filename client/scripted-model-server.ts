import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

// A fake OpenAI-compatible chat model on real HTTP, so the `openai` client is exercised at the wire level.

const MessageContent = z.union([
  z.string(),
  z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
  z.null(),
]);

export const ChatMessage = z.looseObject({
  role: z.string(),
  content: MessageContent.optional(),
  tool_calls: z.array(z.looseObject({
    id: z.string(),
    function: z.looseObject({ name: z.string(), arguments: z.string() }),
  })).optional(),
  tool_call_id: z.string().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatCompletionRequestBody = z.looseObject({
  model: z.string(),
  messages: z.array(ChatMessage),
  tools: z.array(z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string() }).optional() })).optional(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
});
export type ChatCompletionRequestBody = z.infer<typeof ChatCompletionRequestBody>;

export interface ScriptedToolCall { name: string; arguments: string | Record<string, unknown>; id?: string }

export interface ScriptedReply {
  content?: string;
  toolCalls?: ScriptedToolCall[];
  /** Default: a rough estimate from the lengths of the request and the reply. */
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  /** Answer with this HTTP error status instead of a completion. */
  status?: number;
  headers?: Record<string, string>;
  errorMessage?: string;
  delayMs?: number;
  chunkDelayMs?: number;
  /** Accept the request and never answer, until the client disconnects or the server closes. */
  hang?: boolean;
  /** Destroy the socket after this many streamed chunks; a non-streaming request is cut before any answer. */
  cutAfterChunks?: number;
}

export interface RecordedRequest {
  /** Arrival order, from 0; an array script answers request i with reply i. */
  index: number;
  body: ChatCompletionRequestBody;
  headers: Record<string, string | string[] | undefined>;
  receivedAt: number;
}

export type ScriptedResponder = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedModelServer { baseURL: string; requests: RecordedRequest[]; close(): Promise<void> }

export interface ScriptedModelServerOptions { respond: ScriptedResponder | ScriptedReply[]; port?: number; host?: string }

export async function startScriptedModelServer(options: ScriptedModelServerOptions): Promise<ScriptedModelServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handleRequest(req, res, options.respond, requests).catch((error: unknown) => {
      // A client that went away (abort, cut, close) leaves nothing to answer.
      if (res.headersSent || res.destroyed) return void res.destroy();
      sendError(res, 500, `scripted model: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Tests open 1000+ connections at once; the default backlog of 511 would drop some.
    server.listen({ port: options.port ?? 0, host, backlog: 4096 }, resolve);
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Hung and streaming requests never end on their own.
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };
  return { baseURL: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`, requests, close };
}

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  respond: ScriptedResponder | ScriptedReply[],
  requests: RecordedRequest[],
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
  if (req.method === 'GET' && path === '/v1/models') {
    return sendJson(res, 200, { object: 'list', data: [{ id: 'scripted', object: 'model', created: 0, owned_by: 'orca' }] });
  }
  if (req.method !== 'POST' || path !== '/v1/chat/completions') {
    return sendError(res, 404, `scripted model: no endpoint ${req.method} ${path}; try POST /v1/chat/completions`);
  }

  let json: unknown;
  try {
    json = JSON.parse(await readBody(req));
  } catch {
    return sendError(res, 400, 'scripted model: the request body is not valid JSON');
  }
  const parsed = ChatCompletionRequestBody.safeParse(json);
  if (!parsed.success) return sendError(res, 400, `scripted model: invalid request body: ${z.prettifyError(parsed.error)}`);

  const request: RecordedRequest = { index: requests.length, body: parsed.data, headers: req.headers, receivedAt: Date.now() };
  requests.push(request);

  const disconnected = new AbortController();
  res.on('close', () => disconnected.abort());
  const reply = await replyFor(respond, request);
  if (reply.delayMs) await sleep(reply.delayMs, undefined, { signal: disconnected.signal });
  if (reply.hang) return;
  if (reply.status) return sendError(res, reply.status, reply.errorMessage ?? `scripted model: HTTP ${reply.status}`, reply.headers);
  if (request.body.stream) return streamReply(res, request, reply, disconnected.signal);
  if (reply.cutAfterChunks !== undefined) return void res.destroy();
  sendJson(res, 200, completion(request, reply), reply.headers);
}

async function replyFor(respond: ScriptedResponder | ScriptedReply[], request: RecordedRequest): Promise<ScriptedReply> {
  if (Array.isArray(respond)) {
    return respond[request.index] ?? {
      status: 500,
      errorMessage: `scripted model: no reply scripted for request #${request.index} (the script has ${respond.length} replies, numbered from 0)`,
    };
  }
  try {
    return await respond(request);
  } catch (error) {
    return { status: 500, errorMessage: `scripted model: the responder threw: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, headers?: Record<string, string>): void {
  const [type, code] = status === 429 ? ['requests', 'rate_limit_exceeded']
    : status >= 500 ? ['server_error', null]
      : ['invalid_request_error', null];
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}

interface ResolvedToolCall { id: string; name: string; arguments: string }

function resolveToolCalls(request: RecordedRequest, reply: ScriptedReply): ResolvedToolCall[] {
  return (reply.toolCalls ?? []).map((call, position) => ({
    id: call.id ?? `call_${request.index}_${position}`,
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));
}

function completion(request: RecordedRequest, reply: ScriptedReply) {
  const toolCalls = resolveToolCalls(request, reply);
  return {
    id: `chatcmpl-scripted-${request.index}`,
    object: 'chat.completion',
    created: Math.floor(request.receivedAt / 1000),
    model: request.body.model,
    choices: [{
      index: 0,
      message: {
        role: 'assistant',
        content: reply.content ?? (toolCalls.length > 0 ? null : ''),
        refusal: null,
        ...(toolCalls.length > 0 && {
          tool_calls: toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
        }),
      },
      logprobs: null,
      finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
    }],
    usage: usage(request, reply),
  };
}

function usage(request: RecordedRequest, reply: ScriptedReply) {
  const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));
  const promptTokens = reply.usage?.prompt_tokens
    ?? estimateTokens(JSON.stringify(request.body.messages) + JSON.stringify(request.body.tools ?? []));
  const completionTokens = reply.usage?.completion_tokens
    ?? estimateTokens((reply.content ?? '') + JSON.stringify(reply.toolCalls ?? []));
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: reply.usage?.cached_tokens ?? 0 },
  };
}

/** The chunks OpenAI streams: role, content pieces, each tool call's header then argument fragments, finish, usage. */
function streamChunks(request: RecordedRequest, reply: ScriptedReply): object[] {
  const includeUsage = request.body.stream_options?.include_usage === true;
  const base = { id: `chatcmpl-scripted-${request.index}`, object: 'chat.completion.chunk', created: Math.floor(request.receivedAt / 1000), model: request.body.model };
  const chunk = (delta: object, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage && { usage: null }),
  });

  const toolCalls = resolveToolCalls(request, reply);
  const chunks: object[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of reply.content?.match(/\s*\S+/g) ?? []) chunks.push(chunk({ content: piece }));
  toolCalls.forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const fragment of splitInto(call.arguments, 3)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  chunks.push(chunk({}, toolCalls.length > 0 ? 'tool_calls' : 'stop'));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: usage(request, reply) });
  return chunks;
}

function splitInto(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}

async function streamReply(res: ServerResponse, request: RecordedRequest, reply: ScriptedReply, signal: AbortSignal): Promise<void> {
  res.writeHead(200, { ...reply.headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  const events = [...streamChunks(request, reply).map((chunk) => JSON.stringify(chunk)), '[DONE]'];
  for (const [position, event] of events.entries()) {
    if (position === reply.cutAfterChunks) return void res.destroy();
    if (position > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs, undefined, { signal });
    // Wait until each chunk reaches the socket, so a cut really happens after the chunks before it.
    await new Promise<void>((resolve, reject) => res.write(`data: ${event}\n\n`, (error) => (error ? reject(error) : resolve())));
  }
  res.end();
}

export function messageText(message: ChatMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

export function lastMessage(request: RecordedRequest): ChatMessage | undefined {
  return request.body.messages.at(-1);
}

export function lastUserText(request: RecordedRequest): string {
  return messageText(request.body.messages.filter((message) => message.role === 'user').at(-1));
}

export function systemPrompt(request: RecordedRequest): string {
  return request.body.messages
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map(messageText)
    .join('\n\n');
}

export interface ToolResult { toolCallId: string; toolName: string | undefined; content: string }

/** Tool messages after the last assistant message, each named by the assistant's tool call it answers. */
export function toolResults(request: RecordedRequest): ToolResult[] {
  const messages = request.body.messages;
  const lastAssistant = messages.map((message) => message.role).lastIndexOf('assistant');
  if (lastAssistant === -1) return [];
  const calls = messages[lastAssistant]?.tool_calls ?? [];
  return messages.slice(lastAssistant + 1)
    .filter((message) => message.role === 'tool')
    .map((message) => ({
      toolCallId: message.tool_call_id ?? '',
      toolName: calls.find((call) => call.id === message.tool_call_id)?.function.name,
      content: messageText(message),
    }));
}
