import { startScriptedModelServer, type RecordedRequest, type ScriptedReply } from '../client/scripted-model-server.js';

/** One request as the bench remembers it (the scripted server's own log is cleared: long sessions would fill memory). */
export interface RequestRecord {
  receivedAt: number;
  /** Bytes of the request's messages as JSON, when the scenario measures them. */
  messageBytes?: number;
  offeredTools: boolean;
  /** Names of the tools offered. */
  tools: string[];
}

export interface RequestInfo {
  /** The first user message: the prompt the session was started with. */
  tag: string;
  /** Requests of this tag before this one that offered tools (a compaction's summary call offers none). */
  step: number;
  kind: 'orca' | 'raw';
  offeredTools: boolean;
}

export type Responder = (info: RequestInfo, request: RecordedRequest) => ScriptedReply;

export interface ModelRouter {
  baseURL: string;
  records: Map<string, RequestRecord[]>;
  /** Answers from now on with `responder`; `measureBytes` sizes each request's messages. */
  use(responder: Responder, options?: { measureBytes?: boolean }): void;
  /** Resolves when a request with this tag arrives. */
  waitFor(tag: string): Promise<RequestRecord>;
  close(): Promise<void>;
}

function firstUserText(request: RecordedRequest): string {
  const content = request.body.messages.find((message) => message.role === 'user')?.content;
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

/** The scripted model server, shared by every scenario of a run, each setting its own responder. */
export async function startModelRouter(): Promise<ModelRouter> {
  const records = new Map<string, RequestRecord[]>();
  const waiters = new Map<string, (record: RequestRecord) => void>();
  let responder: Responder = () => ({ status: 503, errorMessage: 'bench: no scenario is running' });
  let measureBytes = false;
  const server = await startScriptedModelServer({
    respond: (request) => {
      server.requests.length = 0;
      const tag = firstUserText(request);
      const list = records.get(tag) ?? [];
      records.set(tag, list);
      const kind = request.body.model === 'raw' ? 'raw' : 'orca';
      // Raw sessions decide their steps themselves and never offer tools.
      const offeredTools = kind === 'raw' || (request.body.tools?.length ?? 0) > 0;
      const step = list.filter((record) => record.offeredTools).length;
      const record: RequestRecord = { receivedAt: request.receivedAt, offeredTools, tools: (request.body.tools ?? []).map((tool) => tool.function?.name ?? '') };
      if (measureBytes) record.messageBytes = Buffer.byteLength(JSON.stringify(request.body.messages));
      list.push(record);
      waiters.get(tag)?.(record);
      waiters.delete(tag);
      return responder({ tag, step, kind, offeredTools }, request);
    },
  });
  return {
    baseURL: server.baseURL,
    records,
    use(next, options = {}) {
      responder = next;
      measureBytes = options.measureBytes ?? false;
    },
    waitFor: (tag) => new Promise((resolve) => waiters.set(tag, resolve)),
    close: () => server.close(),
  };
}

/** Steps of two parallel `read` calls, then a final answer; raw sessions get the same replies, so the wire work is equal. */
export function toolStepResponder(options: { steps: (tag: string) => number; files?: string[]; delayMs?: number }): Responder {
  const files = options.files ?? ['a.txt', 'b.txt'];
  return (info) => {
    const delay = options.delayMs ? { delayMs: options.delayMs } : {};
    if (!info.offeredTools || info.step >= options.steps(info.tag)) return { content: 'done', ...delay };
    return {
      ...delay,
      toolCalls: files.map((filePath, index) => ({ id: `${info.tag}-${info.step}-${index}`, name: 'read', arguments: { filePath } })),
    };
  };
}
