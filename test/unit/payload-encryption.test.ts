import { describe, expect, test } from 'vitest';
import { EncryptionCodec, parseEncryptionKey, payloadCodecsFromEnvironment } from '../../worker/payload-encryption.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"prompt":"fix the flaky test"}') };

describe('payload encryption', () => {
  test('round-trips a payload and hides its content', async () => {
    const codec = new EncryptionCodec(parseEncryptionKey(KEY));
    const [encrypted] = await codec.encode([payload]);
    expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain('flaky');
    expect(Buffer.from(encrypted!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const [decrypted] = await codec.decode([encrypted!]);
    expect(Buffer.from(decrypted!.data!).toString()).toBe('{"prompt":"fix the flaky test"}');
    expect(Buffer.from(decrypted!.metadata!.encoding!).toString()).toBe('json/plain');
  });

  test('passes unencrypted payloads through on decode', async () => {
    const codec = new EncryptionCodec(parseEncryptionKey(KEY));
    expect(await codec.decode([payload])).toEqual([payload]);
  });

  test('refuses a payload of another key, naming both keys', async () => {
    const [encrypted] = await new EncryptionCodec(parseEncryptionKey(KEY)).encode([payload]);
    const other = new EncryptionCodec(parseEncryptionKey(Buffer.alloc(32, 9).toString('base64')));
    await expect(other.decode([encrypted!])).rejects.toThrow(/encrypted with key [0-9a-f]{16}, but ORCA_ENCRYPTION_KEY is key [0-9a-f]{16}/);
  });

  test('detects tampering', async () => {
    const codec = new EncryptionCodec(parseEncryptionKey(KEY));
    const [encrypted] = await codec.encode([payload]);
    const data = Buffer.from(encrypted!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow();
  });

  test('explains a key of the wrong size', () => {
    expect(() => parseEncryptionKey('c2hvcnQ=')).toThrow('ORCA_ENCRYPTION_KEY must be 32 bytes in base64 (got 5 bytes)');
    expect(payloadCodecsFromEnvironment({})).toEqual([]);
    expect(payloadCodecsFromEnvironment({ ORCA_ENCRYPTION_KEY: KEY })).toHaveLength(1);
  });
});
