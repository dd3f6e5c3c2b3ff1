import { ChangedRunFinder, type Extent } from './changed-extents';
import { hashStretches } from './hashed-reads';
import type { WrittenObject } from './metadata-file';
import type { ObjectWriteContext } from './object-writer';
import { throwIfAborted } from './volume-source';

/**
 * Changed runs written at once. Each object ends in an fsync of the file and of its directory, and a
 * 1%-changed 1 GiB volume has about 320 runs: written one by one they took longer than hashing the volume.
 */
const WRITES_IN_FLIGHT = 4;

export interface ChunkScan {
  /** The chunk's block hashes, in order. */
  readonly sha256s: string[];
  /** The chunk's objects, in offset order. */
  readonly objects: WrittenObject[];
}

/**
 * Writes runs in the order they are queued, a few at once, without ever making the queuing side wait:
 * the scan goes on reading and hashing while the repository's fsyncs take their time.
 */
class RunWriter {
  private readonly queue: Extent[] = [];
  private readonly objects: WrittenObject[] = [];
  private started = 0;
  private inFlight = 0;
  private failure: unknown = null;
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly writeRun: (run: Extent) => Promise<WrittenObject>,
    private readonly signal: AbortSignal | undefined,
  ) {}

  enqueue(runs: readonly Extent[]): void {
    this.throwIfFailed();
    this.queue.push(...runs);
    this.pump();
  }

  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** Every queued run written, in queue order; the first failure otherwise. */
  async finish(): Promise<WrittenObject[]> {
    await this.drained();
    this.throwIfFailed();
    return this.objects;
  }

  /** Resolves once nothing is being written (after a failure, queued runs are dropped). */
  drained(): Promise<void> {
    if (this.inFlight === 0 && (this.queue.length === 0 || this.failure !== null)) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle.push(resolve);
    });
  }

  private pump(): void {
    while (this.failure === null && this.inFlight < WRITES_IN_FLIGHT && this.queue.length > 0) {
      const run = this.queue.shift() as Extent;
      const index = this.started++;
      this.inFlight++;
      const written = (async () => {
        throwIfAborted(this.signal, 'backup');
        return this.writeRun(run);
      })();
      written
        .then(
          (object) => {
            this.objects[index] = object;
          },
          (e) => {
            this.failure ??= e;
          },
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.inFlight === 0 && (this.queue.length === 0 || this.failure !== null)) {
            for (const resolve of this.idle.splice(0)) resolve();
          }
        });
    }
  }
}

/**
 * One chunk of an incremental: its stretches are read and hashed on the pool and, as soon as a run of
 * changed blocks closes, it is queued for `writeRun` while later stretches are still being hashed. Runs
 * reach `writeRun` in offset order, so objects are numbered as Cinder's serial loop numbers them.
 */
export const scanChangedChunk = async (
  ctx: ObjectWriteContext,
  chunk: { readonly offsetBytes: number; readonly lengthBytes: number },
  parent: readonly string[],
  writeRun: (run: Extent) => Promise<WrittenObject>,
): Promise<ChunkScan> => {
  const blockSizeBytes = ctx.options.shaBlockSizeBytes;
  const finder = new ChangedRunFinder({ ...chunk, blockSizeBytes, parent });
  const writer = new RunWriter(writeRun, ctx.signal);
  const sha256s: string[] = [];
  const reads = { fd: ctx.source.handle.fd, pool: ctx.pool, blockSizeBytes, signal: ctx.signal };
  try {
    for await (const stretch of hashStretches(reads, chunk.offsetBytes, chunk.lengthBytes)) {
      for (const h of stretch.sha256s) sha256s.push(h);
      writer.enqueue(finder.push(stretch.sha256s));
      ctx.onScanned?.(stretch.lengthBytes);
    }
    writer.enqueue(finder.end());
    return { sha256s, objects: await writer.finish() };
  } finally {
    // Nothing may still be writing when the caller cleans up after a failure or a cancel.
    await writer.drained();
  }
};
