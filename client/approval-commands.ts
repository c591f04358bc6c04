import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { openSessionRuntime } from './session-runtime.js';
import { answerApprovalUpdate, type ApprovalAnswer } from '../workflows/messages.js';
import { EXIT } from './exit-codes.js';

export const DEFAULT_ANSWER_TIMEOUT_SECONDS = 30;

/** An approval id is `<session id>:<n>`, so it names the session to send the answer to. */
export function sessionOfApproval(approvalId: string): string {
  const separator = approvalId.lastIndexOf(':');
  if (separator <= 0 || !/^\d+$/.test(approvalId.slice(separator + 1))) {
    throw new Error(`"${approvalId}" is not an approval id; they look like orca-build-1a2b3c4d:1 (see \`orca run\` output or the session's details in the Web UI).`);
  }
  return approvalId.slice(0, separator);
}

/** Why an answer did not reach a waiting tool call, in words that say what to do next. */
export function describeAnswerFailure(error: unknown, approvalId: string, sessionId: string, timeoutSeconds = DEFAULT_ANSWER_TIMEOUT_SECONDS): string | undefined {
  // The session's validator names the approvals that are waiting.
  if (error instanceof WorkflowUpdateFailedError) return error.cause?.message ?? error.message;
  // Only a worker running the session can take the answer; without one the update would wait forever.
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return `Session ${sessionId} did not take the answer to ${approvalId} within ${timeoutSeconds} s: no worker seems to be running it. ` +
      'Start one (`orca dev`, or `orca worker` with TEMPORAL_ADDRESS) and answer again.';
  }
  if (error instanceof WorkflowNotFoundError) {
    return `Session ${sessionId} is not running (it finished, or the id is wrong), so nothing waits for ${approvalId}. ` +
      'Check TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE if the session runs on another server.';
  }
  return undefined;
}

/** Sends `orca approve` / `orca deny` to the session named by the approval id; returns the exit code. */
export async function answerApproval(answer: ApprovalAnswer, taskQueue: string, timeoutSeconds = DEFAULT_ANSWER_TIMEOUT_SECONDS): Promise<number> {
  let sessionId: string;
  try {
    sessionId = sessionOfApproval(answer.id);
  } catch (error) {
    console.error(`orca: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const runtime = await openSessionRuntime({ worker: false, taskQueue, log: (line) => console.error(line) });
  try {
    const { client } = runtime.target;
    const handle = client.workflow.getHandle(sessionId);
    const reply = await client.withDeadline(Date.now() + timeoutSeconds * 1000, () => handle.executeUpdate(answerApprovalUpdate, { args: [answer] }));
    console.log(reply);
    return EXIT.success;
  } catch (error) {
    const reason = describeAnswerFailure(error, answer.id, sessionId, timeoutSeconds);
    if (reason === undefined) throw error;
    console.error(`orca: ${reason}`);
    return EXIT.failed;
  } finally {
    await runtime.close();
  }
}
