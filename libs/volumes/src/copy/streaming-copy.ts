import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { VolumeCopyCancelled } from '../errors';

/** Pieces read and compared with zeros one at a time: memory stays at one piece whatever the volume's size. */
export const COPY_PIECE_BYTES = 1 << 20;
/** A checkpoint (fsync, then `onCheckpoint`) after this many bytes of the source. */
export const COPY_CHECKPOINT_BYTES = 64 * 1024 * 1024;

const ZEROS = Buffer.alloc(COPY_PIECE_BYTES);

export interface StreamingCopyArgs {
  /** A regular file or a block device, read from offset 0 to `sourceBytes`. */
  readonly sourcePath: string;
  readonly sourceBytes: number;
  /** Opened read-write, at least `sourceBytes` long; everything past what is written reads as zeros (a hole). */
  readonly target: FileHandle;
  /** The bytes already copied and made durable by an earlier run: copying resumes there. */
  readonly fromBytes?: number;
  readonly signal?: AbortSignal;
  readonly checkpointEveryBytes?: number;
  /** Awaited after the target was fsync'ed with everything before `bytesDone`: the place to record progress. */
  readonly onCheckpoint?: (bytesDone: number) => Promise<void> | void;
}

const readFully = async (handle: FileHandle, piece: Buffer, position: number) => {
  let done = 0;
  while (done < piece.length) {
    const { bytesRead } = await handle.read(piece, done, piece.length - done, position + done);
    if (bytesRead === 0) throw new Error(`the source ended at ${position + done} bytes`);
    done += bytesRead;
  }
};

const writeFully = async (handle: FileHandle, piece: Buffer, position: number) => {
  for (let done = 0; done < piece.length;) done += (await handle.write(piece, done, piece.length - done, position + done)).bytesWritten;
};

/**
 * Copies a source's bytes into a target that reads as zeros, sparsely and streaming: one piece at a time
 * is read, and pieces of zeros are not written (they stay holes). Every `checkpointEveryBytes` the target
 * is fsync'ed and `onCheckpoint` told, so a crashed copy resumes after its last checkpoint. Stops before
 * the next piece once `signal` is aborted. Returns the bytes written (not counting skipped holes).
 */
export const streamingCopy = async (args: StreamingCopyArgs): Promise<{ bytesWritten: number }> => {
  const every = args.checkpointEveryBytes ?? COPY_CHECKPOINT_BYTES;
  const source = await open(args.sourcePath, 'r');
  const piece = Buffer.allocUnsafe(COPY_PIECE_BYTES);
  let bytesWritten = 0;
  try {
    let offset = args.fromBytes ?? 0;
    let checkpointed = offset;
    while (offset < args.sourceBytes) {
      if (args.signal?.aborted) throw new VolumeCopyCancelled(args.sourcePath);
      const length = Math.min(COPY_PIECE_BYTES, args.sourceBytes - offset);
      const view = piece.subarray(0, length);
      await readFully(source, view, offset);
      if (!view.equals(ZEROS.subarray(0, length))) {
        await writeFully(args.target, view, offset);
        bytesWritten += length;
      }
      offset += length;
      if (offset - checkpointed >= every && offset < args.sourceBytes) {
        await args.target.sync();
        await args.onCheckpoint?.(offset);
        checkpointed = offset;
      }
    }
    await args.target.sync();
    return { bytesWritten };
  } finally {
    await source.close();
  }
};
