import type { Payload, PayloadCodec } from '@temporalio/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ContentStore } from '../activities/content-store.js';

/** Payloads as the Web UI sends them: metadata values and data in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const REF = /^[0-9a-f]{64}$/;

function fromJson(payload: JsonPayload): Payload {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]));
  return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
}

function toJson(payload: Payload): JsonPayload {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
  return { metadata, data: Buffer.from(payload.data ?? []).toString('base64') };
}

/** Replaces content-store references inside a JSON payload with what they point at, so people read messages, not hashes. */
async function resolveReferences(payload: Payload, store: ContentStore): Promise<Payload> {
  if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== 'json/plain') return payload;
  const resolve = async (value: unknown): Promise<unknown> => {
    if (typeof value === 'string' && REF.test(value)) {
      return store.get(value).then((content) => ({ ref: value, content }), () => value);
    }
    if (Array.isArray(value)) return Promise.all(value.map(resolve));
    if (value && typeof value === 'object') {
      return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([key, inner]) => [key, await resolve(inner)])));
    }
    return value;
  };
  const value = await resolve(JSON.parse(Buffer.from(payload.data ?? []).toString()));
  return { ...payload, data: Buffer.from(JSON.stringify(value)) };
}

export interface CodecServerOptions {
  codecs: PayloadCodec[];
  /** Web UI origins allowed to call the server from the browser. */
  origins: string[];
  /** Resolve content-store references on decode. */
  store?: ContentStore;
  port?: number;
  host?: string;
}

/** Temporal's remote codec protocol (POST /encode, POST /decode), so the Web UI shows decrypted, readable payloads. */
export function startCodecServer(options: CodecServerOptions): Promise<Server> {
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    if (origin && options.origins.includes(origin)) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('access-control-allow-headers', 'content-type, x-namespace');
      response.setHeader('access-control-allow-credentials', 'true');
    }
    if (request.method === 'OPTIONS') return void response.writeHead(204).end();
    const route = request.url?.replace(/\/+$/, '').split('/').at(-1);
    if (request.method !== 'POST' || (route !== 'encode' && route !== 'decode')) {
      return void response.writeHead(404, { 'content-type': 'text/plain' }).end('POST /encode or /decode\n');
    }
    let body = '';
    for await (const chunk of request) body += chunk;
    let payloads: Payload[];
    try {
      payloads = ((JSON.parse(body) as { payloads?: JsonPayload[] }).payloads ?? []).map(fromJson);
    } catch {
      return void response.writeHead(400, { 'content-type': 'text/plain' }).end('Expected JSON {"payloads": [...]}\n');
    }
    try {
      if (route === 'encode') {
        for (const codec of options.codecs) payloads = await codec.encode(payloads);
      } else {
        for (const codec of [...options.codecs].reverse()) payloads = await codec.decode(payloads);
        const { store } = options;
        if (store) payloads = await Promise.all(payloads.map((payload) => resolveReferences(payload, store)));
      }
    } catch (error) {
      return void response.writeHead(400, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ payloads: payloads.map(toJson) }));
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  return new Promise((resolve) => server.listen(options.port ?? 8888, options.host ?? '127.0.0.1', () => resolve(server)));
}
