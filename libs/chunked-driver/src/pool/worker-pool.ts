import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { sha256Blocks as sha256BlocksHere } from '../block-hash';
import type { PoolMessage, PoolOp, PoolReply, PoolRequestOf, PoolResult, StreamOp, ZstdInto, ZstdPulled } from './pool-protocol';
import { poolWorkerEntry } from './pool-worker-entry';
import { toWire } from './wire';

const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

interface Slot {
  readonly worker: Worker;
  pending: number;
  /** Pinned streams open on this worker (see `pin`). */
  pinned: number;
}

/** The fields of a stream operation's request other than `op` and `sid`. */
type StreamFields<K extends StreamOp> = Omit<PoolRequestOf<K>, 'op' | 'sid'>;

/** The operations after which a pinned stream holds nothing on its worker. */
const ENDING_OPS: ReadonlySet<StreamOp> = new Set<StreamOp>(['md5.final', 'zc.end', 'zd.end', 'drop']);

/** A stateful stream (md5, zstd) pinned to one worker, so its pieces are processed in order. */
export class PinnedStream {
  private open = true;

  constructor(
    private readonly pool: WorkerPool,
    /** The worker it is pinned to. */
    readonly slot: number,
    readonly sid: number,
    private readonly onEnd: (slot: number) => void,
  ) {}
  /** `extra`: the request's other fields, left out where it has none. */
  call<K extends StreamOp>(
    op: K,
    ...[extra]: object extends StreamFields<K> ? [StreamFields<K>?] : [StreamFields<K>]
  ): Promise<PoolResult<K>> {
    if (this.open && ENDING_OPS.has(op)) {
      this.open = false;
      this.onEnd(this.slot);
    }
    return this.pool.call(this.slot, { op, sid: this.sid, ...extra } as PoolRequestOf<K>);
  }
  drop(): void {
    this.call('drop').catch(() => undefined);
  }
}

export interface Md5Stream {
  update(data: Uint8Array): Promise<void>;
  digest(): Promise<string>;
  /** Gives up a stream that will not be digested (a failed read or write): its worker forgets it. */
  drop(): void;
}

/** At most about 0.2 ms of SHA-256 on the calling thread. */
const INLINE_SHA256_MAX_BYTES = 256 << 10;

/** At most about 0.5 ms of md5 on the calling thread. */
const INLINE_MD5_MAX_BYTES = 256 << 10;

const inlineMd5 = (): Md5Stream => {
  const hash = createHash('md5');
  return {
    update: async (data) => {
      hash.update(data);
    },
    digest: async () => hash.digest('hex'),
    drop: () => undefined,
  };
};

/** Worker threads for SHA-256 blocks, md5 streams and zstd, so the main thread only moves bytes. */
export class WorkerPool {
  private readonly slots: Slot[];
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private nextStream = 1;
  private nextPinned = 0;
  private closed = false;
  /** Why a thread died: the pool answers every later call with it instead of posting to a dead thread. */
  private failure: Error | null = null;

  constructor(size: number) {
    const { file, execArgv } = poolWorkerEntry();
    this.slots = Array.from({ length: size }, () => {
      const worker = new Worker(file, execArgv ? { execArgv: [...execArgv] } : {});
      worker.on('message', (m: PoolReply) => this.settle(m));
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`a worker pool thread exited with code ${code}`));
      });
      worker.unref();
      return { worker, pending: 0, pinned: 0 };
    });
  }

  get size(): number {
    return this.slots.length;
  }

  /** False once closed or once a thread died: a process-wide pool is then replaced (see apps/worker/src/job-pool.ts). */
  get usable(): boolean {
    return !this.closed && this.failure === null;
  }

  call<K extends PoolOp>(slotIndex: number, message: PoolRequestOf<K>): Promise<PoolResult<K>> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots[slotIndex] as Slot;
    const id = this.nextId++;
    // An idle pool must not keep the process alive, a busy one must.
    if (slot.pending++ === 0) slot.worker.ref();
    const done = (): void => {
      if (--slot.pending === 0) slot.worker.unref();
    };
    return new Promise<PoolResult<K>>((resolve, reject) => {
      this.calls.set(id, {
        resolve: (v) => {
          done();
          resolve(v as PoolResult<K>);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      slot.worker.postMessage({ ...message, id } as PoolMessage);
    });
  }

  private settle(m: PoolReply): void {
    const call = this.calls.get(m.id);
    if (!call) return;
    this.calls.delete(m.id);
    if (m.ok) call.resolve(m.result);
    else call.reject(new Error(m.error));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const call of this.calls.values()) call.reject(e);
    this.calls.clear();
  }

  private leastBusy(): number {
    let best = 0;
    this.slots.forEach((s, i) => {
      if (s.pending < (this.slots[best] as Slot).pending) best = i;
    });
    return best;
  }

  /** The worker with the fewest streams open, then the fewest calls pending. */
  private leastStreamed(): number {
    let best = 0;
    this.slots.forEach((s, i) => {
      const b = this.slots[best] as Slot;
      if (s.pinned < b.pinned || (s.pinned === b.pinned && s.pending < b.pending)) best = i;
    });
    return best;
  }

  /**
   * A stateful stream goes to the worker with the fewest streams open (ties in turn), so an object's md5
   * and its compressor land on different workers even while other jobs of the process (the pool is
   * shared) hold streams of their own: round-robin alone put two long streams on one thread whenever
   * another job's pin fell between them.
   */
  pin(): PinnedStream {
    const start = this.nextPinned++ % this.slots.length;
    let slot = start;
    for (let k = 1; k < this.slots.length; k++) {
      const i = (start + k) % this.slots.length;
      if ((this.slots[i] as Slot).pinned < (this.slots[slot] as Slot).pinned) slot = i;
    }
    (this.slots[slot] as Slot).pinned++;
    return new PinnedStream(this, slot, this.nextStream++, (ended) => (this.slots[ended] as Slot).pinned--);
  }

  /**
   * Hex SHA-256 of each `blockSizeBytes` slice of `data` (the last may be short). Its callers (a restore,
   * a verification) hash what a decompressing stream produced, and that stream is their critical path:
   * the hashes go to a worker with fewer streams open, so they never queue between its steps. By
   * pending calls alone they did, whenever the other worker had two pieces queued (1 GiB restore: the
   * full object's 1.6–2.1 s against 2.1–2.5 s, alternating runs). A small piece (an incremental's
   * object) is hashed on the calling thread, like a small md5: a fraction of a round trip.
   */
  sha256Blocks(data: Uint8Array, blockSizeBytes: number): Promise<string[]> {
    if (data.length <= INLINE_SHA256_MAX_BYTES && this.usable) return Promise.resolve(sha256BlocksHere(data, blockSizeBytes));
    return this.call(this.leastStreamed(), { op: 'sha', data: toWire(data), block: blockSizeBytes });
  }

  /**
   * An md5 stream for an object of `sizeBytes`. Small objects (an incremental's changed runs) are hashed
   * on the calling thread: three round trips queued behind the workers' block hashing cost far more
   * than the microseconds of md5 itself.
   */
  /**
   * Fills `into[0, length)` from `fd` at `position` on a worker, failing if the file ends first, and
   * returns the hex SHA-256 of each block of what was read. `into` must be shared memory.
   */
  readPiece(fd: number, into: Uint8Array, length: number, position: number, blockSizeBytes: number): Promise<string[]> {
    if (!(into.buffer instanceof SharedArrayBuffer)) return Promise.reject(new Error('readPiece needs a buffer in shared memory'));
    return this.call(this.leastBusy(), {
      op: 'read',
      data: toWire(into),
      fd,
      len: length,
      pos: position,
      block: blockSizeBytes,
    });
  }

  /** Hex SHA-256 of each block of `[position, position + length)` of `fd`, read and hashed on a worker. */
  hashFileRange(fd: number, position: number, length: number, blockSizeBytes: number): Promise<string[]> {
    return this.call(this.leastBusy(), { op: 'hash', fd, pos: position, len: length, block: blockSizeBytes });
  }

  openMd5(sizeBytes = Infinity): Md5Stream {
    if (sizeBytes <= INLINE_MD5_MAX_BYTES) return inlineMd5();
    const stream = this.pin();
    const opened = stream.call('md5.open');
    return {
      update: (data) => opened.then(() => stream.call('md5.update', { data: toWire(data) })).then(() => undefined),
      digest: () => opened.then(() => stream.call('md5.final')),
      drop: () => stream.drop(),
    };
  }

  /**
   * zstd compression with the frame content size set (Cinder's python-zstd needs it). Each call writes
   * into `out`, shared memory of at least ZSTD_OUTPUT_MARGIN + compressBound(input) bytes, and returns
   * how many bytes it wrote there.
   */
  async zstdCompressor(
    level: number,
    sizeBytes: number,
  ): Promise<{
    write(data: Uint8Array, out: Uint8Array): Promise<number>;
    end(out: Uint8Array): Promise<number>;
    drop(): void;
  }> {
    const stream = this.pin();
    await stream.call('zc.open', { level, size: sizeBytes });
    return {
      write: (data, out) => stream.call('zc.write', { data: toWire(data), out: toWire(out) }),
      end: (out) => stream.call('zc.end', { out: toWire(out) }),
      drop: () => stream.drop(),
    };
  }

  /** zstd decompression; each call returns at most a few MiB, `done` once the input given is used up. */
  async zstdDecompressor(): Promise<{
    write(d: Uint8Array): Promise<{ out: Buffer; done: boolean }>;
    pull(): Promise<{ out: Buffer; done: boolean }>;
    end(): Promise<void>;
    drop(): void;
  }> {
    const stream = this.pin();
    await stream.call('zd.open');
    const wrap = (r: ZstdPulled) => ({ out: asBuffer(r.out), done: r.done });
    return {
      write: (data) => stream.call('zd.write', { data: toWire(data) }).then(wrap),
      pull: () => stream.call('zd.pull').then(wrap),
      end: () => stream.call('zd.end').then(() => undefined),
      drop: () => stream.drop(),
    };
  }

  /**
   * zstd decompression into the caller's buffers: `into(data, out)` decompresses from `data` into `out`,
   * both shared memory, until `out` is full or `data` is used up (see `zd.into`).
   */
  async zstdDecompressorInto(): Promise<{
    into(data: Uint8Array, out: Uint8Array): Promise<ZstdInto>;
    end(): Promise<void>;
    drop(): void;
  }> {
    const stream = this.pin();
    await stream.call('zd.open');
    return {
      into: (data, out) => stream.call('zd.into', { data: toWire(data), out: toWire(out) }),
      end: () => stream.call('zd.end').then(() => undefined),
      drop: () => stream.drop(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** Runs `fn` with the caller's pool, or with a pool of its own that is closed afterwards. */
export const withPool = async <T>(given: WorkerPool | undefined, size: number, fn: (pool: WorkerPool) => Promise<T>): Promise<T> => {
  if (given) return fn(given);
  const pool = new WorkerPool(size);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
};
