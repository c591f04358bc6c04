import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Immutable JSON documents addressed by the SHA-256 of their bytes. Workflow history holds only
 * references, so each step's history grows by what is new, not by the whole conversation.
 */
export interface ContentStore {
  put(value: unknown): Promise<string>;
  get<T>(ref: string): Promise<T>;
}

const REF = /^[0-9a-f]{64}$/;

export class ContentNotFoundError extends Error {
  constructor(readonly ref: string, readonly location: string) {
    super(`Content ${ref} is missing from the store at ${location}; is every worker using the same store?`);
    this.name = 'ContentNotFoundError';
  }
}

/** A directory of files, for one machine (the embedded default and tests). */
export class DirectoryContentStore implements ContentStore {
  // Documents never change, so the cache needs no invalidation, only a bound: least recently used go first.
  private readonly cache = new Map<string, { value: unknown; bytes: number }>();
  private cachedBytes = 0;
  /** At most 256 fan-out directories, each made once per process. */
  private readonly directories = new Set<string>();

  constructor(readonly directory: string, private readonly cacheBytes = 64 * 1024 * 1024) {}

  async put(value: unknown): Promise<string> {
    const json = JSON.stringify(value);
    const ref = createHash('sha256').update(json).digest('hex');
    if (this.cache.has(ref)) return ref;
    const file = this.fileFor(ref);
    const directory = path.dirname(file);
    if (!this.directories.has(directory)) {
      await mkdir(directory, { recursive: true });
      this.directories.add(directory);
    }
    const staging = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await writeFile(staging, json);
    await rename(staging, file);
    this.remember(ref, JSON.parse(json), json.length);
    return ref;
  }

  async get<T>(ref: string): Promise<T> {
    if (!REF.test(ref)) throw new Error(`Not a content reference: ${JSON.stringify(ref)}`);
    const cached = this.cache.get(ref);
    if (cached) {
      this.cache.delete(ref);
      this.cache.set(ref, cached);
      return cached.value as T;
    }
    let json: string;
    try {
      json = await readFile(this.fileFor(ref), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ContentNotFoundError(ref, this.directory);
      throw error;
    }
    const value = JSON.parse(json) as T;
    this.remember(ref, value, json.length);
    return value;
  }

  private fileFor(ref: string): string {
    return path.join(this.directory, ref.slice(0, 2), `${ref.slice(2)}.json`);
  }

  private remember(ref: string, value: unknown, bytes: number): void {
    this.cache.set(ref, { value, bytes });
    this.cachedBytes += bytes;
    for (const [oldest, entry] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes) break;
      this.cache.delete(oldest);
      this.cachedBytes -= entry.bytes;
    }
  }
}
