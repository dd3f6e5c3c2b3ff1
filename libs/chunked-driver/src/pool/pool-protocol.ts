import type { Wire } from './wire';
/**
 * The messages between a WorkerPool and its threads (pool-worker.ts), typed on both sides. Types only:
 * nothing here runs. A request carries `id`, its reply the same `id`. Messages to one worker run in
 * order, so a stream pinned to a worker (`sid`: md5, zstd) sees its pieces in order.
 */

/** A piece of zstd decompression: at most a few MiB; `done` once the input given is used up. */
export interface ZstdPulled {
  readonly out: Uint8Array;
  readonly done: boolean;
}

/** A `zd.into` step. */
export interface ZstdInto {
  readonly consumed: number;
  readonly produced: number;
  readonly frameDone: boolean;
}

/** Each operation: the fields of its request, and its result. */
export interface PoolOperations {
  /** Hex SHA-256 of each `block` bytes of `data`. */
  sha: { request: { data: Wire; block: number }; result: string[] };
  /** Reads `[pos, pos + len)` of `fd` through the worker's own buffer and hashes each block. */
  hash: { request: { fd: number; pos: number; len: number; block: number }; result: string[] };
  /** Fills `data` (shared memory) from `fd` at `pos`, failing if the file ends first, and hashes each block. */
  read: { request: { data: Wire; fd: number; len: number; pos: number; block: number }; result: string[] };
  'md5.open': { request: { sid: number }; result: null };
  'md5.update': { request: { sid: number; data: Wire }; result: null };
  'md5.final': { request: { sid: number }; result: string };
  /** Opens a zstd frame of `size` bytes at `level`, with the content size in its header. */
  'zc.open': { request: { sid: number; level: number; size: number }; result: null };
  /**
   * Compresses `data` into `out` (shared memory) and returns how many bytes of `out` to write: whole pages,
   * the frame's bytes past them held back for the next call (the worker's `zstdCompressPages`).
   */
  'zc.write': { request: { sid: number; data: Wire; out: Wire }; result: number };
  /** Ends the frame into `out`: what was held back, then the rest; returns their length. */
  'zc.end': { request: { sid: number; out: Wire }; result: number };
  'zd.open': { request: { sid: number }; result: null };
  'zd.write': { request: { sid: number; data: Wire }; result: ZstdPulled };
  'zd.pull': { request: { sid: number }; result: ZstdPulled };
  /**
   * Decompresses from `data` into `out` (both shared memory) until `out` is full or `data` is used up:
   * how much it consumed and produced, and whether the frame has ended. Output the call could not place
   * stays in the stream for the next call.
   */
  'zd.into': { request: { sid: number; data: Wire; out: Wire }; result: ZstdInto };
  /** Fails unless the frame ended. */
  'zd.end': { request: { sid: number }; result: null };
  drop: { request: { sid: number }; result: null };
}

export type PoolOp = keyof PoolOperations;
export type PoolRequestOf<K extends PoolOp> = { readonly op: K } & PoolOperations[K]['request'];
export type PoolResult<K extends PoolOp> = PoolOperations[K]['result'];
export type PoolRequest = { [K in PoolOp]: PoolRequestOf<K> }[PoolOp];
/** The operations on a stream pinned to one worker. */
export type StreamOp = { [K in PoolOp]: PoolOperations[K]['request'] extends { sid: number } ? K : never }[PoolOp];

export type PoolMessage = PoolRequest & { readonly id: number };
export type PoolReply =
  | { readonly id: number; readonly ok: true; readonly result: PoolResult<PoolOp> }
  | { readonly id: number; readonly ok: false; readonly error: string };
