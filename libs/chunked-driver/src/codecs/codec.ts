import type { Transform } from 'node:stream';
import type { BufferRing } from '../pool/buffer-ring';
import type { WorkerPool } from '../pool/worker-pool';
import type { CodecName } from './codec-names';

export interface CompressorOptions {
  readonly level: number;
  /** Exact number of bytes that will be written (zstd records it in the frame header). */
  readonly sizeBytes: number;
  readonly pool: WorkerPool;
}

/**
 * Compression piece by piece into buffers of the caller's output ring: no stream, and no fresh buffer
 * (first-touched, transferred, collected) per piece. Calls are answered in order.
 */
export interface PieceCompressor {
  /** The piece's compressed bytes (maybe none yet), in an output buffer to hand back with `release`. */
  write(piece: Buffer): Promise<Buffer>;
  /** The rest of the stream, likewise. */
  end(): Promise<Buffer>;
  release(out: Buffer): void;
  destroy(): void;
}

/** One `into` step: what it took from the input and put into the output. */
export interface IntoStep {
  readonly consumed: number;
  readonly produced: number;
}

/**
 * Decompression straight into the caller's buffers (shared memory): no output buffer is allocated,
 * transferred or copied per step. Calls are answered in order; `end` fails unless the stream ended.
 */
export interface IntoDecompressor {
  /** Decompresses from `input` into `out` until `out` is full or `input` is used up. */
  into(input: Buffer, out: Buffer): Promise<IntoStep>;
  end(): Promise<void>;
  drop(): void;
}

/**
 * One compression format. A compressor's input chunk may be reused by the caller as soon as that
 * chunk's write callback has run; output respects the reader's back-pressure.
 */
export interface Codec {
  readonly name: CodecName;
  compressor(options: CompressorOptions): Transform;
  /**
   * The whole stored form of a small object in one call, without a stream or a worker round trip
   * (an incremental writes hundreds of 32 KiB objects). Absent where a one-shot call would cost more
   * than the stream (bz2 runs a process). Given `room` large enough for any stored form of `data`, it
   * writes there and returns a view of it: a view of a shared buffer goes to a writer thread by reference,
   * where a fresh Buffer would be allocated here and cloned again by postMessage.
   */
  compressWhole?(data: Buffer, level: number, room?: Buffer): Promise<Buffer>;
  /** Where the format can write into the caller's buffers: the output buffer size that pieces of `pieceBytes` need. */
  outputBytesFor?(pieceBytes: number): number;
  pieceCompressor?(options: CompressorOptions & { readonly output: BufferRing }): Promise<PieceCompressor>;
  decompressor(pool: WorkerPool): Transform;
  /**
   * A small object's whole stored form decompressed into `out` on the calling thread, returning the bytes
   * it produced; throws if the stored bytes are damaged, cut short, or decompress to more than `out` holds.
   * For the restore of an incremental's small objects, where a stream and a worker's round trips cost
   * more than the microseconds of the work.
   */
  decompressWhole?(stored: Buffer, out: Buffer): number;
  /** Where the format can decompress into the caller's buffers (readObject prefers it); null where it cannot here. */
  intoDecompressor?(pool: WorkerPool): Promise<IntoDecompressor> | null;
}
