import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { startScriptedModelServer, toolResults, type ScriptedModelServer } from '../../client/scripted-model-server.js';
import { createWorker, type WorkerRole } from '../../worker/create-worker.js';
import type { sessionWorkflow } from '../../workflows/session-workflow.js';
import { cliEnvironment, runCli } from './support/orca-cli.js';

const queue = `split-${process.pid}-${Date.now()}`;
const queues = { model: `${queue}-model`, tools: `${queue}-tools` };
let root: string;
let model: ScriptedModelServer;
let client: Client;
const workers: { worker: Worker; running: Promise<void>; connection: NativeConnection }[] = [];

beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'orca-queues-')));
  await mkdir(path.join(root, 'workspace'));
  await writeFile(path.join(root, 'workspace', 'README.md'), '# Split queues\n');
  model = await startScriptedModelServer({
    respond: (request) => (toolResults(request).length === 0 ? { toolCalls: [{ name: 'read', arguments: { filePath: 'README.md' } }] } : { content: `read: ${toolResults(request)[0]?.content}` }),
  });
  const address = inject('temporalAddress');
  const roles: [WorkerRole, string][] = [['workflows', queue], ['model', queues.model], ['tools', queues.tools]];
  for (const [role, taskQueue] of roles) {
    const connection = await NativeConnection.connect({ address });
    const worker = await createWorker({
      connection,
      taskQueue,
      role,
      workflowBundlePath: inject('workflowBundlePath'),
      payloadCodecs: [],
      settings: {
        storeDir: path.join(root, 'store'),
        outputDir: path.join(root, 'tool-output'),
        userAgentsDir: null,
        model: { baseURL: model.baseURL, apiKey: 'test-key', defaultModel: 'scripted' },
      },
    });
    workers.push({ worker, running: worker.run(), connection });
  }
  client = new Client({ connection: await Connection.connect({ address }) });
});

afterAll(async () => {
  for (const { worker } of workers) worker.shutdown();
  for (const { running, connection } of workers) {
    await running;
    await connection.close();
  }
  await model?.close();
  await client?.connection.close();
  if (root) await rm(root, { recursive: true, force: true });
});

test('model calls and tool calls run on workers of their own task queues', async () => {
  const handle = await client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
    taskQueue: queue,
    workflowId: `orca-split-${Date.now()}`,
    args: [{ agent: 'build', prompt: 'Read the README', workspace: path.join(root, 'workspace'), model: 'scripted', taskQueues: queues }],
  });
  expect((await handle.result()).text).toContain('# Split queues');
  const history = await handle.fetchHistory();
  const scheduled = (history.events ?? [])
    .filter((event) => event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    .map((event) => `${event.activityTaskScheduledEventAttributes?.activityType?.name} on ${event.activityTaskScheduledEventAttributes?.taskQueue?.name}`);
  expect(scheduled).toEqual([`loadAgents on ${queues.tools}`, `invokeModel on ${queues.model}`, `runTool on ${queues.tools}`, `invokeModel on ${queues.model}`]);
});

test('orca worker --role tools without its queue says what to set (exit 2)', async () => {
  const result = await runCli(['worker', '--role', 'tools'], { env: cliEnvironment({ TEMPORAL_ADDRESS: inject('temporalAddress') }), cwd: root });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('orca worker --role tools needs ORCA_TOOLS_TASK_QUEUE');
});
