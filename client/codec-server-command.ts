import path from 'node:path';
import { DirectoryContentStore } from '../activities/content-store.js';
import { payloadCodecsFromEnvironment } from '../worker/payload-encryption.js';
import { startCodecServer } from './codec-server.js';

export interface CodecServerFlags {
  port: number;
  origin: string[];
  store?: string;
}

/** `orca codec-server`: lets the Web UI show encrypted payloads decrypted and content references resolved. */
export async function codecServerCommand(options: CodecServerFlags): Promise<number> {
  const codecs = payloadCodecsFromEnvironment();
  const storeDir = path.resolve(options.store ?? process.env.ORCA_STORE_DIR ?? '.orca/store');
  const server = await startCodecServer({ codecs, origins: options.origin, store: new DirectoryContentStore(storeDir), port: options.port });
  console.error(
    `Codec server on http://127.0.0.1:${options.port} (${codecs.length ? 'decrypting with ORCA_ENCRYPTION_KEY' : 'no ORCA_ENCRYPTION_KEY: references only'}, store ${storeDir}).\n` +
      `In the Web UI: Settings (the data encoder icon) → codec server endpoint http://127.0.0.1:${options.port}. Allowed origins: ${options.origin.join(', ')}. Ctrl-C stops it.`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
  return 0;
}
