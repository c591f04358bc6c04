import type { Client, WorkflowHandle } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { sendPromptUpdate } from '../workflows/messages.js';
import type { sessionWorkflow } from '../workflows/session-workflow.js';
import type { SessionInput, SessionResult } from '../workflows/session-types.js';
import { EXIT } from './exit-codes.js';
import { reportOutcome } from './outcome-report.js';
import { readPrompt } from './run-command.js';
import { awaitOutcome } from './session-outcome.js';
import { describeSession, log, readConfig, type ConnectionFlags } from './session-lookup.js';
import { openSessionRuntime } from './session-runtime.js';
import { sessionSummary } from './session-start.js';
import { workflowUrl } from './temporal-target.js';

export interface SendOptions extends ConnectionFlags {
  json?: boolean;
  worker?: boolean;
}

/** The input the session's latest run started with, decoded as the client would (codecs included). */
async function startedInput(client: Client, handle: WorkflowHandle): Promise<SessionInput> {
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return decodeFromPayloadsAtIndex<SessionInput>(client.options.loadedDataConverter, 0, started?.input?.payloads);
}

/**
 * `orca send ID "more"`: a running session answers the prompt in the same conversation; a completed
 * one continues its conversation in a new run under the same id.
 */
export async function sendCommand(workflowId: string, promptArgument: string, options: SendOptions): Promise<number> {
  const prompt = await readPrompt(promptArgument);
  const runtime = await openSessionRuntime({ config: readConfig(options), worker: options.worker, log });
  try {
    const { client } = runtime.target;
    const handle = client.workflow.getHandle<typeof sessionWorkflow>(workflowId);
    const description = await describeSession(runtime, handle);
    const url = workflowUrl(runtime.target, workflowId);
    if (description.status.name === 'RUNNING') {
      // The session may finish between the check and the update; it is then continued below instead.
      const answer = await handle.executeUpdate(sendPromptUpdate, { args: [prompt] }).catch(async (error: unknown) => {
        if ((await handle.describe()).status.name === 'RUNNING') throw error;
        return undefined;
      });
      if (answer !== undefined) {
        if (options.json) console.log(JSON.stringify({ workflowId, status: 'answered', text: answer, url }));
        else console.log(answer);
        return EXIT.success;
      }
    }
    const ended = await handle.describe();
    if (ended.status.name !== 'COMPLETED') {
      log(`Session ${workflowId} ended ${ended.status.name.toLowerCase()}; only a running or completed session can take a follow-up. Start a new one with orca run.`);
      return EXIT.failed;
    }
    const previous: SessionResult = await handle.result();
    const input = await startedInput(client, handle);
    const next = await client.workflow.start<typeof sessionWorkflow>('sessionWorkflow', {
      workflowId,
      taskQueue: description.taskQueue,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: description.typedSearchAttributes,
      staticSummary: sessionSummary(input.agent, prompt),
      args: [{ ...input, prompt, resume: { conversation: previous.conversation, todos: previous.todos } }],
    });
    log(`Session ${workflowId} continues in a new run\n  ${url}`);
    return reportOutcome(await awaitOutcome(client, next), { workflowId, url, json: options.json ?? false, log });
  } finally {
    await runtime.close();
  }
}
