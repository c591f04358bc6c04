import { openSessionRuntime } from './session-runtime.js';
import { answerApprovalUpdate, type ApprovalAnswer } from '../workflows/messages.js';

/** An approval id is `<session id>:<n>`, so it names the session to send the answer to. */
export function sessionOfApproval(approvalId: string): string {
  const separator = approvalId.lastIndexOf(':');
  if (separator <= 0 || !/^\d+$/.test(approvalId.slice(separator + 1))) {
    throw new Error(`"${approvalId}" is not an approval id; they look like orca-build-1a2b3c4d:1 (see \`orca run\` output or the session's details in the Web UI).`);
  }
  return approvalId.slice(0, separator);
}

export async function answerApproval(answer: ApprovalAnswer, taskQueue: string): Promise<number> {
  const runtime = await openSessionRuntime({ worker: false, taskQueue, log: (line) => console.error(line) });
  try {
    const handle = runtime.target.client.workflow.getHandle(sessionOfApproval(answer.id));
    console.log(await handle.executeUpdate(answerApprovalUpdate, { args: [answer] }));
    return 0;
  } finally {
    await runtime.close();
  }
}
