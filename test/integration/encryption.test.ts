import { temporal } from '@temporalio/proto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DirectoryContentStore } from '../../activities/content-store.js';
import { startCodecServer } from '../../client/codec-server.js';
import { toolResults, type RecordedRequest } from '../../client/scripted-model-server.js';
import { EncryptionCodec, parseEncryptionKey } from '../../worker/payload-encryption.js';
import { startHarness, type SessionHarness } from './support/session-harness.js';

const codec = new EncryptionCodec(parseEncryptionKey(Buffer.alloc(32, 3).toString('base64')));
const UI_ORIGIN = 'http://localhost:8233';

describe('encrypted payloads', () => {
  let harness: SessionHarness;
  let codecServer: Server;
  let codecUrl: string;
  beforeAll(async () => {
    harness = await startHarness({
      payloadCodecs: [codec],
      files: { 'secret-plan.md': 'launch codes: 0000\n' },
      respond: (request: RecordedRequest) =>
        toolResults(request).length === 0
          ? { toolCalls: [{ name: 'read', arguments: { filePath: 'secret-plan.md' } }] }
          : { content: 'The plan is read.' },
    });
    codecServer = await startCodecServer({ codecs: [codec], origins: [UI_ORIGIN], store: new DirectoryContentStore(harness.storeDir), port: 0 });
    const address = codecServer.address() as { port: number };
    codecUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    codecServer?.close();
    await harness?.close();
  });

  test('the server stores only ciphertext, and the codec server shows the Web UI readable payloads', async () => {
    const handle = await harness.start({ prompt: 'Summarise the confidential roadmap' });
    expect((await handle.result()).text).toBe('The plan is read.');

    const history = await handle.fetchHistory();
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    expect(raw).not.toContain('confidential roadmap');
    expect(raw).toContain('binary/encrypted');

    // What the Web UI does: POST the payloads of an event to the codec server.
    const runToolScheduled = history.events!.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'runTool')!;
    const completed = history.events!.find((event) => String(event.activityTaskCompletedEventAttributes?.scheduledEventId) === String(runToolScheduled.eventId))!;
    const payloads = completed.activityTaskCompletedEventAttributes!.result!.payloads!.map((payload) => ({
      metadata: Object.fromEntries(Object.entries(payload.metadata!).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
      data: Buffer.from(payload.data!).toString('base64'),
    }));
    const response = await fetch(`${codecUrl}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: UI_ORIGIN, 'x-namespace': 'default' },
      body: JSON.stringify({ payloads }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const decoded = (await response.json()) as { payloads: { data: string }[] };
    const result = JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()) as { ref: { content: { content: string } } };
    // The tool result's content-store reference is resolved to the message it names.
    expect(result.ref.content.content).toContain('launch codes: 0000');
  });

  test('the codec server answers unknown routes and bad bodies clearly', async () => {
    expect((await fetch(`${codecUrl}/nope`, { method: 'POST' })).status).toBe(404);
    const bad = await fetch(`${codecUrl}/decode`, { method: 'POST', body: 'not json' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Expected JSON');
  });
});
