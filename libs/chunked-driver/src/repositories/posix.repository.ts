import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { InvalidContainer, InvalidObjectName, MissingBackupObject } from '../errors';
import type { BackupRepository, ByteReader } from '../repository.port';
import { BackgroundWriteback } from '../background-writeback';
import { inAlignedMemory } from '../direct-io';
import { DirectReads } from '../direct-reads';
import { DirectAppender, DirectWrites } from '../direct-writes';
import { writerThreads } from './posix-writer-threads';

const DIR_MODE = 0o770;
const FILE_MODE = 0o660;
const READ_CHUNK_BYTES = 1 << 20;

const isErrno = (e: unknown, code: string): boolean => (e as NodeJS.ErrnoException | null)?.code === code;

/** Splits a user-given container into path segments, refusing anything that could leave the root. */
export const containerSegments = (container: string): string[] => {
  if (container.length === 0) throw new InvalidContainer(container, 'it is empty');
  if (container.includes('\0')) throw new InvalidContainer(container, 'it contains a NUL byte');
  if (container.startsWith('/') || path.isAbsolute(container))
    throw new InvalidContainer(container, 'it must be a path relative to the repository root');
  const segments = container.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new InvalidContainer(container, '".." may not appear in a container');
  if (segments.length === 0) throw new InvalidContainer(container, 'it names the repository root itself');
  return segments;
};

const checkObjectName = (object: string): void => {
  if (object === '' || object === '.' || object === '..') throw new InvalidObjectName(object, 'not a file name');
  if (object.includes('/') || object.includes('\0')) throw new InvalidObjectName(object, 'contains "/" or NUL');
};

/**
 * Writes one object through one file handle, its whole pages directly where the file system takes it
 * (`DirectAppender`: no page cache to fill, see `direct-writes.ts`); 'finish' comes after fsync of the file
 * and of its directory.
 */
class DurableFileWriter extends Writable {
  /** So the final fsync of what went through the page cache has little left to do. */
  private readonly writeback: BackgroundWriteback;
  private readonly appender: DirectAppender | null;
  private position = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly directory: string,
    direct: DirectWrites | null,
  ) {
    super({ highWaterMark: 1 << 20 });
    this.writeback = new BackgroundWriteback(handle);
    this.appender = direct && new DirectAppender(direct, (bytes, position) => this.writeBuffered(bytes, position));
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    (this.appender ? this.appender.append(chunk) : this.writeBuffered(chunk, this.position)).then(() => done(), done);
    this.position += chunk.length;
  }
  private async writeBuffered(bytes: Buffer, position: number): Promise<void> {
    for (let off = 0; off < bytes.length;) off += (await this.handle.write(bytes, off, bytes.length - off, position + off)).bytesWritten;
    await this.writeback.wrotePaced(bytes.length); // the disk, not memory, sets the pace
  }
  override _final(done: (e?: Error | null) => void): void {
    (async () => {
      await this.appender?.end();
      await this.writeback.settle();
      await this.handle.sync();
      await this.closeAll();
      await syncDirectory(this.directory);
    })().then(() => done(), done);
  }
  override _destroy(err: Error | null, done: (e?: Error | null) => void): void {
    this.closeAll().then(
      () => done(err),
      () => done(err),
    );
  }
  private async closeAll(): Promise<void> {
    await Promise.all([this.handle.close(), this.appender?.close()]);
  }
}

const syncDirectory = async (directory: string): Promise<void> => {
  const dir = await fsp.open(directory, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
};

/** Cinder's posix layout: one directory per container under `root`, one file per object. */
export class PosixRepository implements BackupRepository {
  private readonly verified = new Map<string, Promise<string>>();

  constructor(private readonly root: string) {}

  /** The container's directory, created if missing, after checking that no symlink leads outside the root. */
  private async ensureDirectory(container: string): Promise<string> {
    const known = this.verified.get(container);
    if (known) return known;
    const attempt = this.walk(container, containerSegments(container));
    this.verified.set(container, attempt);
    attempt.catch(() => this.verified.delete(container));
    return attempt;
  }

  private async walk(container: string, segments: string[]): Promise<string> {
    const root = await fsp.realpath(this.root);
    let current = root;
    for (const segment of segments) {
      const next = path.join(current, segment);
      try {
        await fsp.mkdir(next, { mode: DIR_MODE });
        await fsp.chmod(next, DIR_MODE);
      } catch (e) {
        if (!isErrno(e, 'EEXIST')) throw e;
      }
      const real = await fsp.realpath(next);
      if (real !== root && !real.startsWith(root + path.sep))
        throw new InvalidContainer(container, `it leads outside the repository root through ${next}`);
      if (!(await fsp.stat(real)).isDirectory()) throw new InvalidContainer(container, `${next} is not a directory`);
      current = real;
    }
    return current;
  }

  private async existingDirectory(container: string): Promise<string | null> {
    const known = this.verified.get(container);
    if (known) return known;
    const segments = containerSegments(container);
    const root = await fsp.realpath(this.root);
    try {
      const real = await fsp.realpath(path.join(root, ...segments));
      if (!real.startsWith(root + path.sep)) throw new InvalidContainer(container, 'it leads outside the repository root');
      return real;
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return null;
      throw e;
    }
  }

  async ensureContainer(container: string): Promise<void> {
    // A backup begins here: its writer threads come online while it reads and hashes its first objects.
    writerThreads.prestart();
    await this.ensureDirectory(container);
  }

  async *list(container: string, prefix: string): AsyncIterable<string> {
    const dir = await this.existingDirectory(container);
    if (!dir) return;
    const names = await fsp.readdir(dir);
    yield* names.filter((n) => n.startsWith(prefix)).sort();
  }

  async openWriter(container: string, object: string): Promise<Writable> {
    checkObjectName(object);
    const dir = await this.ensureDirectory(container);
    const file = path.join(dir, object);
    const handle = await fsp.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, FILE_MODE);
    await handle.chmod(FILE_MODE);
    return new DurableFileWriter(handle, dir, await DirectWrites.open(file));
  }

  async putObject(container: string, object: string, data: Buffer): Promise<void> {
    checkObjectName(object);
    const dir = await this.ensureDirectory(container);
    await writerThreads.write(path.join(dir, object), dir, data, FILE_MODE);
  }

  async openReader(container: string, object: string): Promise<Readable> {
    return (await this.openObject(container, object)).handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
  }

  /**
   * Reads whole pages into page-aligned memory with O_DIRECT where the file system takes it
   * (`DirectReads`: objects are written direct, so a restore would otherwise fill the page cache with
   * them), anything else through the page cache. The direct descriptor is opened at the first read that
   * can use it: an incremental's hundreds of small objects are read whole into memory that is not.
   */
  async openByteReader(container: string, object: string): Promise<ByteReader> {
    const { handle, file } = await this.openObject(container, object);
    let direct: Promise<DirectReads | null> | null = null;
    let position = 0;
    return {
      read: async (into) => {
        const buffer = Buffer.from(into.buffer, into.byteOffset, into.byteLength);
        if (inAlignedMemory(buffer)) direct ??= DirectReads.open(file, handle);
        const n = (await (await direct)?.readSome(buffer, position)) ?? (await handle.read(buffer, 0, buffer.length, position)).bytesRead;
        position += n;
        return n;
      },
      close: async () => {
        await (await direct)?.close();
        await handle.close();
      },
    };
  }

  /** The object's file, open for reading; MissingBackupObject when it or its container does not exist. */
  private async openObject(container: string, object: string): Promise<{ handle: FileHandle; file: string }> {
    checkObjectName(object);
    const dir = await this.existingDirectory(container);
    if (!dir) throw new MissingBackupObject(container, object);
    const file = path.join(dir, object);
    try {
      return { handle: await fsp.open(file, 'r'), file };
    } catch (e) {
      if (isErrno(e, 'ENOENT')) throw new MissingBackupObject(container, object);
      throw e;
    }
  }

  async deleteObject(container: string, object: string): Promise<void> {
    checkObjectName(object);
    const dir = await this.existingDirectory(container);
    if (!dir) return;
    try {
      await fsp.unlink(path.join(dir, object));
    } catch (e) {
      if (!isErrno(e, 'ENOENT')) throw e;
    }
  }
}
