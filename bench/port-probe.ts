import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether something accepts TCP connections on the port; a refusal answers at once, unlike a gRPC connect. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves with performance.now() when the port first accepts a connection, polling every `everyMs`. */
export async function whenListening(port: number, options: { everyMs?: number; signal?: AbortSignal } = {}): Promise<number | undefined> {
  while (!options.signal?.aborted) {
    if (await isListening(port)) return performance.now();
    await sleep(options.everyMs ?? 20);
  }
  return undefined;
}
