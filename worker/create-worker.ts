import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createActivities, type Activities } from '../activities/index.js';
import { DirectoryContentStore } from '../activities/content-store.js';
import { DEFAULT_TASK_QUEUE } from './task-queue.js';
import { payloadCodecsFromEnvironment } from './payload-encryption.js';
import type { WorkerSettings } from './worker-settings.js';
import type { PayloadCodec } from '@temporalio/common';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  settings: WorkerSettings;
  /** A prebuilt workflow bundle; without it the worker bundles the workflows at start. */
  workflowBundlePath?: string;
  /** Payload codecs (encryption); by default from ORCA_ENCRYPTION_KEY. */
  payloadCodecs?: PayloadCodec[];
  /** Slots and cache of the worker; Temporal's defaults when omitted (bench/README.md measures both). */
  tuning?: WorkerTuning;
  /** What this worker runs; everything by default. */
  role?: WorkerRole;
}

/**
 * `all` runs sessions and every call. With separate task queues (ActivityTaskQueues), `workflows`
 * runs the sessions themselves (and reads agent snapshots for children), `model` the model calls,
 * `tools` the tool calls and agent loading, on the machine that holds the workspace.
 */
export type WorkerRole = 'all' | 'workflows' | 'model' | 'tools';

const ACTIVITIES_OF_ROLE: Record<WorkerRole, (keyof Activities)[]> = {
  all: ['loadAgents', 'invokeModel', 'runTool'],
  workflows: ['loadAgents'],
  model: ['invokeModel'],
  tools: ['loadAgents', 'runTool'],
};

/**
 * Model calls spend nearly all their time waiting on the endpoint, so one worker holds many at once
 * (Temporal's default of 100 slots made 1000 waiting sessions queue behind each other).
 */
export const DEFAULT_TUNING: WorkerTuning = { maxConcurrentActivityTaskExecutions: 500 };

export type WorkerTuning = Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows'>;

/** Built by `npm run build`, so starting a worker does not bundle the workflows again. */
export const PREBUILT_WORKFLOW_BUNDLE = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));

export function workflowSource(bundlePath?: string): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const prebuilt = bundlePath ?? (existsSync(PREBUILT_WORKFLOW_BUNDLE) ? PREBUILT_WORKFLOW_BUNDLE : undefined);
  if (prebuilt) return { workflowBundle: { codePath: prebuilt } };
  return { workflowsPath: fileURLToPath(new URL('../workflows/index.js', import.meta.url)) };
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { settings } = options;
  const role = options.role ?? 'all';
  const activities = createActivities({
    store: new DirectoryContentStore(settings.storeDir),
    outputDir: settings.outputDir,
    model: settings.model,
    userAgentsDir: settings.userAgentsDir,
  });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    ...(role === 'all' || role === 'workflows' ? workflowSource(options.workflowBundlePath) : {}),
    dataConverter: { payloadCodecs: options.payloadCodecs ?? payloadCodecsFromEnvironment() },
    ...DEFAULT_TUNING,
    ...options.tuning,
    activities: Object.fromEntries(ACTIVITIES_OF_ROLE[role].map((name) => [name, activities[name]])),
  });
}
