import type { Readable, Writable } from 'node:stream';

/** How often the engines redo an object write that failed with RepositoryUnavailable, and the wait before retry n (1-based). */
export interface WriteRetries {
  readonly attempts: number;
  delayMs(retry: number): number;
}

/** An object read into buffers the caller owns (see BackupRepository.openByteReader). */
export interface ByteReader {
  /** Fills `into` from where the last read stopped, as far as the object goes; 0 at its end. */
  read(into: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

/**
 * Moves bytes for the engines; knows nothing of the backup format.
 * A writer may hold a chunk only until that chunk's write callback, so callers can reuse buffers.
 */
export interface BackupRepository {
  /** Creates the container if missing; an existing one is left untouched. */
  ensureContainer(container: string): Promise<void>;
  /** Names in the container that start with `prefix` (a missing container lists nothing). */
  list(container: string, prefix: string): AsyncIterable<string>;
  /** Creates or truncates the object. The writer emits 'finish' only once the object is durable. */
  openWriter(container: string, object: string): Promise<Writable>;
  /**
   * Writes a whole object held in memory, resolving once it is durable. An incremental writes hundreds
   * of small objects, and where a stream per object costs more than the write (POSIX) this skips it.
   */
  putObject(container: string, object: string, data: Buffer): Promise<void>;
  /** Rejects with MissingBackupObject when the object does not exist. */
  openReader(container: string, object: string): Promise<Readable>;
  /**
   * Where a stream's fresh buffer per chunk costs more than the read itself (POSIX: a restore read a 400 MB
   * object as 400 fresh 1 MiB buffers, each copied again): the object read straight into the caller's
   * buffers. Rejects with MissingBackupObject as openReader does.
   */
  openByteReader?(container: string, object: string): Promise<ByteReader>;
  /** A missing object is a success, so a delete can be repeated. */
  deleteObject(container: string, object: string): Promise<void>;
  /**
   * Set by repositories whose uploads can break mid-object (a network store): the writer cannot replay
   * bytes it no longer holds, so the engine writes the object again from its source.
   */
  readonly writeRetries?: WriteRetries;
}
