import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import path from 'node:path';
import { payloadCodecsFromEnvironment } from '../worker/payload-encryption.js';
import { isServing, startDevServer, type DevServer } from './dev-server.js';
import { ensureSearchAttributes } from './search-attribute-setup.js';

export const EMBEDDED_PORT = 7233;
export const EMBEDDED_ADDRESS = `127.0.0.1:${EMBEDDED_PORT}`;
export const EMBEDDED_UI_PORT = 8233;
export const DEFAULT_WEB_UI_URL = `http://localhost:${EMBEDDED_UI_PORT}`;

/** Where sessions run: a Temporal server, a client for it, and a connection for an in-process worker. */
export interface TemporalTarget {
  client: Client;
  connection: Connection;
  /** Set when asked for (`worker: true`): the connection an in-process worker polls on. */
  workerConnection?: NativeConnection;
  namespace: string;
  address: string;
  webUiUrl: string;
  /** True when this process started the embedded dev server (it stops when the process ends). */
  startedServer: boolean;
  close(): Promise<void>;
}

export interface TargetOptions {
  /** TEMPORAL_ADDRESS; without it Orca uses the embedded dev server. */
  address?: string;
  namespace?: string;
  webUiUrl?: string;
  /** The project's `.orca` directory, which holds the embedded server's database. */
  orcaDir: string;
  /** Start the embedded dev server when none runs (default true); otherwise fail with NoServerError. */
  startServer?: boolean;
  /** Also open the connection an in-process worker needs (default true). */
  worker?: boolean;
  log?: (line: string) => void;
}

/** Nothing to connect to, and this command does not start a server just to look. */
export class NoServerError extends Error {
  override readonly name = 'NoServerError';
}

export async function connectTemporal(options: TargetOptions): Promise<TemporalTarget> {
  const namespace = options.namespace ?? 'default';
  const log = options.log ?? (() => {});
  const wantWorker = options.worker ?? true;
  // The same codecs as the workers: with ORCA_ENCRYPTION_KEY, arguments, results and summaries are encrypted.
  const dataConverter = { payloadCodecs: payloadCodecsFromEnvironment() };
  if (options.address) {
    const connection = await Connection.connect({ address: options.address, connectTimeout: 5_000 }).catch((error: Error) => {
      throw new NoServerError(`Cannot reach Temporal at ${options.address} (TEMPORAL_ADDRESS or temporalAddress in .orca/config.json): ${error.message}`);
    });
    try {
      const workerConnection = wantWorker ? await NativeConnection.connect({ address: options.address }) : undefined;
      return {
        client: new Client({ connection, namespace, dataConverter }),
        connection,
        workerConnection,
        namespace,
        address: options.address,
        webUiUrl: options.webUiUrl ?? DEFAULT_WEB_UI_URL,
        startedServer: false,
        close: async () => {
          await workerConnection?.close();
          await connection.close();
        },
      };
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  // A dev server already running (`orca dev`) is shared rather than started twice on one database.
  let server: DevServer | undefined;
  if (!(await isServing(EMBEDDED_ADDRESS))) {
    if (options.startServer === false) {
      throw new NoServerError(
        `No Temporal server is running: nothing answers at ${EMBEDDED_ADDRESS} and TEMPORAL_ADDRESS is not set. ` +
          'Start the embedded one with `orca dev` (it keeps running), or set TEMPORAL_ADDRESS (or temporalAddress in .orca/config.json) to your server.',
      );
    }
    const dbFilename = path.join(options.orcaDir, 'temporal.db');
    log(`Starting the embedded Temporal dev server (${dbFilename}, log in ${path.join(options.orcaDir, 'temporal-server.log')})...`);
    server = await startDevServer({
      dbFilename,
      port: EMBEDDED_PORT,
      uiPort: EMBEDDED_UI_PORT,
      namespace,
      logFile: path.join(options.orcaDir, 'temporal-server.log'),
    });
  }
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: EMBEDDED_ADDRESS });
    // An `orca dev` started from an older database may lack attributes added since.
    if (!server) await ensureSearchAttributes(connection, namespace);
    const workerConnection = wantWorker ? await NativeConnection.connect({ address: EMBEDDED_ADDRESS }) : undefined;
    const opened = connection;
    return {
      client: new Client({ connection, namespace, dataConverter }),
      connection,
      workerConnection,
      namespace,
      address: EMBEDDED_ADDRESS,
      webUiUrl: options.webUiUrl ?? DEFAULT_WEB_UI_URL,
      startedServer: server !== undefined,
      close: async () => {
        await workerConnection?.close();
        await opened.close();
        await server?.stop();
      },
    };
  } catch (error) {
    await connection?.close();
    await server?.stop();
    throw error;
  }
}

export function workflowUrl(target: Pick<TemporalTarget, 'webUiUrl' | 'namespace'>, workflowId: string): string {
  return `${target.webUiUrl}/namespaces/${encodeURIComponent(target.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
