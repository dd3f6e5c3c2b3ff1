import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { Codec, CompressorOptions, PieceCompressor } from './codecs/codec';
import type { BufferRing } from './pool/buffer-ring';

/** The road an object's pieces take to the repository's writer: compressed or not, always in order. */
export interface CompressionStage {
  /** Takes the next piece; resolves once its bytes are no longer needed, so the caller may reuse the buffer. */
  feed(piece: Buffer): Promise<void>;
  /** Flushes, waits until the writer has finished, and says how many bytes the object takes there. */
  finish(): Promise<number>;
  destroy(): void;
}

const closedEarly = new WeakMap<Writable, Promise<never>>();
/**
 * Rejects when the stream is closed (destroyed on a cancel or a failure): a Transform that holds a write's
 * callback until its output is read would otherwise never answer, and the abort would wait forever.
 */
const whenClosed = (stream: Writable): Promise<never> => {
  let closed = closedEarly.get(stream);
  if (!closed) {
    closed = new Promise<never>((_, reject) =>
      stream.once('close', () => reject(new Error('The stream closed before the write completed'))),
    );
    closed.catch(() => undefined);
    closedEarly.set(stream, closed);
  }
  return closed;
};

/** Resolves at the chunk's write callback: from then on the writer no longer holds the chunk. */
export const write = (stream: Writable, chunk: Buffer): Promise<void> =>
  Promise.race([new Promise<void>((resolve, reject) => stream.write(chunk, (e) => (e ? reject(e) : resolve()))), whenClosed(stream)]);

/** Raw pieces straight to the writer. */
const directStage = (sink: Writable): CompressionStage => {
  let bytes = 0;
  return {
    feed: (piece) => {
      bytes += piece.length;
      return write(sink, piece);
    },
    finish: async () => {
      sink.end();
      await finished(sink);
      return bytes;
    },
    destroy: () => sink.destroy(),
  };
};

/** A codec's Transform piped into the writer (zlib's parallel deflate, bzip2's process). */
const transformStage = (compressor: NodeJS.ReadWriteStream & Writable, sink: Writable): CompressionStage => {
  let bytes = 0;
  compressor.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  const drained = pipeline(compressor, sink);
  drained.catch(() => undefined);
  return {
    feed: (piece) => write(compressor, piece),
    finish: async () => {
      compressor.end();
      await drained;
      return bytes;
    },
    destroy: () => {
      compressor.destroy();
      sink.destroy();
    },
  };
};

/**
 * A piece compressor writing into output buffers: each output goes to the writer as soon as it is ready,
 * in piece order (answers come in order and each is handed to the writer synchronously), and its buffer
 * goes back to the ring at the writer's callback.
 */
const pieceStage = (compressor: PieceCompressor, sink: Writable): CompressionStage => {
  let bytes = 0;
  const writes = new Set<Promise<void>>();
  let failure: unknown = null;
  const send = (out: Buffer): void => {
    bytes += out.length;
    const sent: Promise<void> = (out.length > 0 ? write(sink, out) : Promise.resolve())
      .catch((e) => {
        failure ??= e;
      })
      .finally(() => {
        compressor.release(out);
        writes.delete(sent);
      });
    writes.add(sent);
  };
  const settle = async (): Promise<void> => {
    while (writes.size > 0) await Promise.all([...writes]);
    if (failure !== null) throw failure;
  };
  return {
    feed: async (piece) => {
      if (failure !== null) throw failure;
      send(await compressor.write(piece));
    },
    finish: async () => {
      send(await compressor.end());
      await settle();
      sink.end();
      await finished(sink);
      return bytes;
    },
    destroy: () => {
      compressor.destroy();
      sink.destroy();
    },
  };
};

/**
 * The stage for one object. `output` is the run's ring of output buffers, for codecs that compress into
 * the caller's memory; without it they fall back to their Transform.
 */
export const openCompressionStage = async (
  codec: Codec | null,
  options: CompressorOptions & { readonly output?: BufferRing },
  sink: Writable,
): Promise<CompressionStage> => {
  if (!codec) return directStage(sink);
  if (codec.pieceCompressor && options.output) return pieceStage(await codec.pieceCompressor({ ...options, output: options.output }), sink);
  return transformStage(codec.compressor(options), sink);
};
