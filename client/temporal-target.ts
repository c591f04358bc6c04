import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import path from 'node:path';
import { isServing, startDevServer, type DevServer } from './dev-server.js';

export const EMBEDDED_PORT = 7233;
export const EMBEDDED_ADDRESS = `127.0.0.1:${EMBEDDED_PORT}`;
export const EMBEDDED_UI_PORT = 8233;

/** Where sessions run: a Temporal server, a client for it, and a connection for an in-process worker. */
export interface TemporalTarget {
  client: Client;
  workerConnection: NativeConnection;
  namespace: string;
  address: string;
  webUiUrl: string;
  /** True when this process started the embedded dev server (it stops when the process ends). */
  startedServer: boolean;
  close(): Promise<void>;
}

export interface TargetOptions {
  /** TEMPORAL_ADDRESS; without it Orca uses (or starts) the embedded dev server. */
  address?: string;
  namespace?: string;
  webUiUrl?: string;
  /** The project's `.orca` directory, which holds the embedded server's database. */
  orcaDir: string;
  log?: (line: string) => void;
}

export async function connectTemporal(options: TargetOptions): Promise<TemporalTarget> {
  const namespace = options.namespace ?? 'default';
  const log = options.log ?? (() => {});
  if (options.address) {
    const connection = await Connection.connect({ address: options.address }).catch((error: Error) => {
      throw new Error(`Cannot reach Temporal at TEMPORAL_ADDRESS=${options.address}: ${error.message}`);
    });
    const workerConnection = await NativeConnection.connect({ address: options.address });
    return {
      client: new Client({ connection, namespace }),
      workerConnection,
      namespace,
      address: options.address,
      webUiUrl: options.webUiUrl ?? 'http://localhost:8233',
      startedServer: false,
      close: async () => {
        await workerConnection.close();
        await connection.close();
      },
    };
  }

  // A dev server already running (`orca dev`) is shared rather than started twice on one database.
  let server: DevServer | undefined;
  if (!(await isServing(EMBEDDED_ADDRESS))) {
    const dbFilename = path.join(options.orcaDir, 'temporal.db');
    log(`Starting the embedded Temporal dev server (${dbFilename}, log in .orca/temporal-server.log)...`);
    server = await startDevServer({
      dbFilename,
      port: EMBEDDED_PORT,
      uiPort: EMBEDDED_UI_PORT,
      logFile: path.join(options.orcaDir, 'temporal-server.log'),
    });
  }
  try {
    const connection = await Connection.connect({ address: EMBEDDED_ADDRESS });
    const workerConnection = await NativeConnection.connect({ address: EMBEDDED_ADDRESS });
    return {
      client: new Client({ connection, namespace }),
      workerConnection,
      namespace,
      address: EMBEDDED_ADDRESS,
      webUiUrl: `http://localhost:${EMBEDDED_UI_PORT}`,
      startedServer: server !== undefined,
      close: async () => {
        await workerConnection.close();
        await connection.close();
        await server?.stop();
      },
    };
  } catch (error) {
    await server?.stop();
    throw error;
  }
}

export function workflowUrl(target: Pick<TemporalTarget, 'webUiUrl' | 'namespace'>, workflowId: string): string {
  return `${target.webUiUrl}/namespaces/${encodeURIComponent(target.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
