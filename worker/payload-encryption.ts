import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const { temporal } = proto;
const ENCODING = 'binary/encrypted';
const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class EncryptionKeyError extends Error {
  override readonly name = 'EncryptionKeyError';
}

/** ORCA_ENCRYPTION_KEY: 32 bytes, base64 (`openssl rand -base64 32`). */
export function parseEncryptionKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new EncryptionKeyError(`ORCA_ENCRYPTION_KEY must be 32 bytes in base64 (got ${key.length} bytes); create one with: openssl rand -base64 32`);
  return key;
}

/**
 * Encrypts every payload with AES-256-GCM before it leaves the process, so the Temporal server
 * (and anyone reading its database) sees only ciphertext; the Web UI reads them through `orca codec-server`.
 */
export class EncryptionCodec implements PayloadCodec {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv(ALGORITHM, this.key, nonce);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: Buffer.from(ENCODING), 'encryption-key-id': Buffer.from(this.keyId) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.['encryption-key-id'] ?? []).toString();
      if (keyId !== this.keyId) throw new EncryptionKeyError(`A payload was encrypted with key ${keyId}, but ORCA_ENCRYPTION_KEY is key ${this.keyId}.`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv(ALGORITHM, this.key, data.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** The codecs for a client or worker: encryption when ORCA_ENCRYPTION_KEY is set, none otherwise. */
export function payloadCodecsFromEnvironment(environment: NodeJS.ProcessEnv = process.env): PayloadCodec[] {
  const key = environment.ORCA_ENCRYPTION_KEY;
  return key ? [new EncryptionCodec(parseEncryptionKey(key))] : [];
}
