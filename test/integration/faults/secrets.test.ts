import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { messageText, startScriptedModelServer, toolResults, type RecordedRequest, type ScriptedModelServer, type ScriptedReply } from '../../../client/scripted-model-server.js';
import { EncryptionCodec, parseEncryptionKey } from '../../../worker/payload-encryption.js';
import type { sessionWorkflow } from '../../../workflows/session-workflow.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { firstUserText, historyText, roleOf, startWorkerInRoot, stopAll, temporaryRoot, workflowTree, writeFiles } from './fault-kit.js';
import { HELPER, LEAD } from './held-sessions.js';

/**
 * The worker's secrets (OPENAI_API_KEY, ORCA_ENCRYPTION_KEY) stay in the worker: they are in no
 * workflow history (inputs, results, failures) of a run that delegates, runs `env`, and meets an
 * endpoint that echoes the key back in its errors.
 */
const API_KEY = 'sk-test-SECRET-12345';
const ENCRYPTION_KEY = Buffer.from('orca-test-SECRET-encryption-key!').toString('base64');


function bearer(request: RecordedRequest): string {
  return String(request.headers.authorization ?? '').replace(/^Bearer /, '');
}

/** `env tree`: lead → helper, which dumps its environment; `echo 429`: a rate limit that quotes the key, then an answer; `echo 401`: a refusal that quotes it. */
function respond(request: RecordedRequest, attempts: Map<string, number>): ScriptedReply {
  const prompt = firstUserText(request);
  const results = toolResults(request);
  if (prompt.startsWith('echo 401')) return { status: 401, errorMessage: `Incorrect API key provided: ${bearer(request)}. You can find your API key at https://example.invalid.` };
  if (prompt.startsWith('echo 429')) {
    const attempt = attempts.get(prompt) ?? 0;
    attempts.set(prompt, attempt + 1);
    if (attempt === 0) return { status: 429, headers: { 'retry-after-ms': '100' }, errorMessage: `Rate limit reached for key ${bearer(request)}` };
    return { content: 'answered after a rate limit' };
  }
  if (roleOf(request) === 'lead') {
    if (results.length === 0) return { toolCalls: [{ name: 'task', arguments: { description: 'Dump the environment', prompt: 'dump env', subagent_type: 'helper' } }] };
    return { content: `lead saw: ${results.map((result) => result.content).join('\n')}` };
  }
  if (roleOf(request) === 'helper') {
    if (results.length === 0) {
      return { toolCalls: [{ name: 'bash', arguments: { command: 'env; printenv OPENAI_API_KEY ORCA_ENCRYPTION_KEY; echo "key=$OPENAI_API_KEY"', description: 'Dumps the environment' } }] };
    }
    return { content: `helper saw: ${results.map((result) => result.content).join('\n')}` };
  }
  return { status: 400, errorMessage: `no script for ${prompt}` };
}

describe.each([
  ['without payload encryption', false],
  ['with payload encryption', true],
])('secrets, %s', (_label, encrypted) => {
  const address = inject('temporalAddress');
  const taskQueue = `faults-secrets-${encrypted ? 'encrypted' : 'plain'}-${process.pid}-${Date.now()}`;
  const codecs: PayloadCodec[] = encrypted ? [new EncryptionCodec(parseEncryptionKey(ENCRYPTION_KEY))] : [];
  let root: string;
  let workspace: string;
  let model: ScriptedModelServer;
  let worker: WorkerProcess;
  let client: Client;

  beforeAll(async () => {
    root = await temporaryRoot('orca-faults-secrets-');
    workspace = path.join(root, 'workspace');
    await writeFiles(workspace, { '.orca/agents/lead.md': LEAD, '.orca/agents/helper.md': HELPER });
    const attempts = new Map<string, number>();
    model = await startScriptedModelServer({ respond: (request) => respond(request, attempts) });
    worker = startWorkerInRoot(root, {
      temporalAddress: address,
      taskQueue,
      modelBaseURL: model.baseURL,
      apiKey: API_KEY,
      env: encrypted ? { ORCA_ENCRYPTION_KEY: ENCRYPTION_KEY } : {},
    });
    client = new Client({ connection: await Connection.connect({ address }), dataConverter: { payloadCodecs: codecs } });
    await worker.ready;
  });

  afterAll(() => stopAll({ worker, model, client, root }));

  test('no history of a run (root and children, inputs, results, failures) holds a secret', { timeout: 60_000 }, async () => {
    const start = (prompt: string, id: string) =>
      client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
        taskQueue,
        workflowId: `${taskQueue}-${id}`,
        args: [{ agent: 'lead', prompt, workspace, model: 'scripted', onAsk: 'deny' }],
      });
    const tree = await start('env tree', 'tree');
    const rateLimited = await start('echo 429', 'rate-limited');
    const refused = await start('echo 401', 'refused');

    const treeResult = await tree.result();
    expect(treeResult.text).toContain('helper saw: ');
    expect(treeResult.text).toMatch(/PATH=/);
    expect((await rateLimited.result()).text).toBe('answered after a rate limit');
    const failure = await refused.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);

    // The key did reach the endpoint, where it belongs.
    expect(model.requests.every((request) => request.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
    // ... and nowhere else: not in what the model read (tool results included) ...
    const sentToModel = model.requests.flatMap((request) => request.body.messages.map(messageText)).join('\n');
    expect(sentToModel).not.toContain(API_KEY);
    expect(sentToModel).not.toContain(ENCRYPTION_KEY);

    // ... and not in any history, with every payload decoded.
    const ids = [...(await workflowTree(client, tree.workflowId)), rateLimited.workflowId, refused.workflowId];
    expect(ids).toContain(`${tree.workflowId}/helper-1`);
    for (const id of ids) {
      const text = await historyText(client.workflow.getHandle(id), codecs);
      expect(text.length).toBeGreaterThan(1_000);
      for (const secret of [API_KEY, ENCRYPTION_KEY, parseEncryptionKey(ENCRYPTION_KEY).toString('latin1')]) expect([id, text.includes(secret)]).toEqual([id, false]);
      if (encrypted) expect(text).toContain('binary/encrypted');
    }
    const refusedText = await historyText(refused, codecs);
    expect(refusedText).toContain('answered 401 for model "scripted": 401 Incorrect API key provided: ');
    expect(refusedText).toContain('Check OPENAI_API_KEY.');
    expect(await historyText(rateLimited, codecs)).toContain('Rate limit reached for key ');
    expect(worker.output()).not.toContain(API_KEY);
  });
});
