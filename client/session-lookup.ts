import { WorkflowNotFoundError, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { loadConfig, type OrcaConfig } from './config.js';
import { openSessionRuntime, type SessionRuntime } from './session-runtime.js';

/** Flags of the commands that look at sessions: where the server is. */
export interface ConnectionFlags {
  address?: string;
  namespace?: string;
  webUiUrl?: string;
}

export const log = (line: string) => console.error(line);

export function readConfig(flags: ConnectionFlags): OrcaConfig {
  return loadConfig({ flags: { temporalAddress: flags.address, namespace: flags.namespace, webUiUrl: flags.webUiUrl } });
}

/** Connects to TEMPORAL_ADDRESS or the running embedded server; never starts one just to look. */
export async function withSessions<T>(flags: ConnectionFlags, use: (runtime: SessionRuntime) => Promise<T>): Promise<T> {
  const runtime = await openSessionRuntime({ config: readConfig(flags), worker: false, startServer: false, log });
  try {
    return await use(runtime);
  } finally {
    await runtime.close();
  }
}

export class SessionNotFoundError extends Error {
  override readonly name = 'SessionNotFoundError';
}

/** The session's description, or a SessionNotFoundError that says where Orca looked. */
export async function describeSession(runtime: SessionRuntime, handle: WorkflowHandle): Promise<WorkflowExecutionDescription> {
  try {
    return await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new SessionNotFoundError(
        `No session "${handle.workflowId}" in namespace "${runtime.target.namespace}" at ${runtime.target.address}. ` +
          '`orca list` shows the sessions there; TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE choose another server.',
      );
    }
    throw error;
  }
}
