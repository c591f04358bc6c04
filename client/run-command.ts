import { WorkflowFailedError } from '@temporalio/client';
import path from 'node:path';
import type { sessionWorkflow } from '../workflows/session-workflow.js';
import type { OnAsk, SessionResult } from '../workflows/session-types.js';
import { openSessionRuntime } from './session-runtime.js';
import { followProgress } from './session-progress.js';
import { newSessionId } from './session-id.js';
import { workflowUrl } from './temporal-target.js';

export interface RunOptions {
  agent: string;
  model?: string;
  maxSteps?: number;
  onAsk: OnAsk;
  id?: string;
  json: boolean;
  workspace: string;
  taskQueue: string;
  worker?: boolean;
}

export const EXIT = { success: 0, failed: 1, usage: 2 } as const;

const log = (line: string) => console.error(line);

/** Starts a session, follows it, prints its answer; returns the process exit code. */
export async function runCommand(prompt: string, options: RunOptions): Promise<number> {
  const runtime = await openSessionRuntime({ worker: options.worker, taskQueue: options.taskQueue, log });
  try {
    const workflowId = options.id ?? newSessionId(options.agent);
    const handle = await runtime.target.client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
      taskQueue: options.taskQueue,
      workflowId,
      // With --id a CI re-run attaches to the session it started before instead of starting a second.
      workflowIdConflictPolicy: options.id ? 'USE_EXISTING' : 'FAIL',
      args: [{
        agent: options.agent,
        prompt,
        workspace: path.resolve(options.workspace),
        model: options.model,
        maxSteps: options.maxSteps,
        onAsk: options.onAsk,
      }],
    });
    const url = workflowUrl(runtime.target, workflowId);
    log(`Session ${workflowId} (${options.agent}) started\n  ${url}`);
    const stopProgress = options.json ? () => {} : followProgress(handle, log);
    let result: SessionResult;
    try {
      result = await handle.result();
    } catch (error) {
      const reason = error instanceof WorkflowFailedError ? (error.cause?.message ?? error.message) : (error as Error).message;
      if (options.json) console.log(JSON.stringify({ workflowId, status: 'failed', error: reason, url }));
      else log(`Session ${workflowId} failed: ${reason}`);
      return EXIT.failed;
    } finally {
      stopProgress();
    }
    if (options.json) {
      console.log(JSON.stringify({ workflowId, status: 'completed', url, ...result }));
    } else {
      console.log(result.text);
      const { usage } = result;
      log(`\nSession ${workflowId} completed in ${result.steps} step(s) (${result.stopReason}); tokens ${usage.inputTokens} in, ${usage.outputTokens} out.`);
      log(`  ${url}`);
      if (runtime.target.startedServer) log('  (The embedded server stops with this command; `orca dev` serves the Web UI with this history.)');
    }
    return EXIT.success;
  } finally {
    await runtime.close();
  }
}
