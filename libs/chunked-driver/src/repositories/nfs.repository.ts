import type { Readable, Writable } from 'node:stream';
import type { BackupRepository, ByteReader } from '../repository.port';
import { PosixRepository } from './posix.repository';
import { ensureShareMounted, type ShareMountOptions } from './share-mount';

/**
 * Cinder's NFS driver: the posix layout on a share mounted under backup_mount_point_base. Every call
 * first makes sure the share is mounted there, so a share that was unmounted underneath is mounted
 * again instead of writing into the empty directory below it.
 */
export class NfsRepository implements BackupRepository {
  private posix: { readonly root: string; readonly repository: PosixRepository } | null = null;

  constructor(private readonly options: ShareMountOptions) {}

  /** The mounted repository root. */
  root(): Promise<string> {
    return ensureShareMounted(this.options);
  }

  private async repository(): Promise<PosixRepository> {
    const root = await ensureShareMounted(this.options);
    if (this.posix?.root !== root) this.posix = { root, repository: new PosixRepository(root) };
    return this.posix.repository;
  }

  async ensureContainer(container: string): Promise<void> {
    await (await this.repository()).ensureContainer(container);
  }

  async *list(container: string, prefix: string): AsyncIterable<string> {
    yield* (await this.repository()).list(container, prefix);
  }

  async openWriter(container: string, object: string): Promise<Writable> {
    return (await this.repository()).openWriter(container, object);
  }

  async putObject(container: string, object: string, data: Buffer): Promise<void> {
    await (await this.repository()).putObject(container, object, data);
  }

  async openReader(container: string, object: string): Promise<Readable> {
    return (await this.repository()).openReader(container, object);
  }

  async openByteReader(container: string, object: string): Promise<ByteReader> {
    return (await this.repository()).openByteReader(container, object);
  }

  async deleteObject(container: string, object: string): Promise<void> {
    await (await this.repository()).deleteObject(container, object);
  }
}
