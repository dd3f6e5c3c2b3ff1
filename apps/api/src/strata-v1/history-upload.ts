import { fileLines, MAX_HISTORY_LINE_BYTES, type OpenLines } from '@strata/catalog';
import type { Request } from 'express';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The uploaded catalog file, spooled to a file as it arrives (never held in memory), so the import can
 * read it twice: once to check it whole, once to append. `dispose` removes it.
 */
export interface SpooledUpload {
  readonly openLines: OpenLines;
  dispose(): void;
}

export interface SpoolOptions {
  /**
   * The directory uploads are spooled in: on the state's file system (`<state_path>/import-spool`), not the
   * system's temporary directory, which is often memory (a tmpfs `/tmp`, Debian's default since 13): a
   * catalog of a million events is 660 MiB there, and an import of a larger one would have taken that from
   * the machine's memory.
   */
  readonly root: string;
  /** Free bytes an upload must leave on that file system; by default `defaultSpoolReserve` of its size. */
  readonly reserveBytes?: number;
  /** The file system's free and total bytes (`statfs` by default; a spec gives a file system of its own). */
  readonly spaceOf?: (root: string) => Promise<FileSystemSpace | null>;
}

export interface FileSystemSpace {
  readonly free: number;
  readonly total: number;
}

/** The upload would leave the file system under its reserve: the log and the catalog grow on it too. */
export class SpoolSpaceExhausted extends Error {
  override readonly name = 'SpoolSpaceExhausted';
  constructor(
    readonly freeBytes: number,
    readonly reserveBytes: number,
  ) {
    super(
      `Not enough free space to receive this catalog file: ${mib(freeBytes)} free where the state is kept, and an upload ` +
        `must leave ${mib(reserveBytes)}; nothing was imported.`,
    );
  }
}

const MiB = 2 ** 20;
const mib = (bytes: number) => `${Math.floor(bytes / MiB)} MiB`;

/**
 * 5% of the file system, at least 1 GiB and at most 10 GiB: room for the appends and the catalog build the
 * import goes on to do, and for the service's own writes meanwhile.
 */
export const defaultSpoolReserve = (fileSystemBytes: number): number =>
  Math.min(10 * 1024 * MiB, Math.max(1024 * MiB, Math.floor(fileSystemBytes * 0.05)));

/** How often, in bytes received, the free space is looked at again. */
const CHECK_EVERY_BYTES = 64 * MiB;
/** A spool directory this old belongs to an import that died with its process: removed at the next upload. */
const STALE_AFTER_MS = 24 * 3600_000;

/** The file system's free and total bytes; null where it cannot tell (then nothing is refused for space). */
const statfsSpace = async (root: string): Promise<FileSystemSpace | null> => {
  try {
    const s = await statfs(root);
    return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  } catch {
    return null;
  }
};

/** Removes what imports that never finished left behind (a crash between the spool and its `dispose`). */
const removeStale = (root: string, now: number) => {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    try {
      if (now - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Gone already (another request cleaned it): nothing to do.
    }
  }
};

/** Passes the bytes on, and fails the upload once the file system's free space falls under the reserve. */
const spaceGuard = (root: string, reserveOf: (total: number) => number, spaceOf: NonNullable<SpoolOptions['spaceOf']>) => {
  let sinceCheck = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      sinceCheck += chunk.length;
      if (sinceCheck < CHECK_EVERY_BYTES) return done(null, chunk);
      sinceCheck = 0;
      // A probe that fails tells nothing, like one that cannot tell: the chunk goes on (an unsettled
      // callback would hold the upload open for ever).
      spaceOf(root).then(
        (space) => {
          const reserve = space ? reserveOf(space.total) : 0;
          done(space && space.free - chunk.length < reserve ? new SpoolSpaceExhausted(space.free, reserve) : null, chunk);
        },
        () => done(null, chunk),
      );
    },
  });
};

export const spoolUpload = async (req: Request, options: SpoolOptions): Promise<SpooledUpload> => {
  mkdirSync(options.root, { recursive: true, mode: 0o700 });
  removeStale(options.root, Date.now());
  const reserveOf = (total: number) => options.reserveBytes ?? defaultSpoolReserve(total);
  const spaceOf = options.spaceOf ?? statfsSpace;
  // A declared length that cannot fit is refused before a byte of it is written.
  const declared = Number(req.headers['content-length'] ?? 0);
  const space = await spaceOf(options.root);
  if (space && space.free - (Number.isFinite(declared) ? declared : 0) < reserveOf(space.total))
    throw new SpoolSpaceExhausted(space.free, reserveOf(space.total));
  const dir = mkdtempSync(join(options.root, 'import-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'catalog.ndjson');
  try {
    await pipeline(req, spaceGuard(options.root, reserveOf, spaceOf), createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    dispose();
    throw error;
  }
  return {
    openLines: () => fileLines(path, MAX_HISTORY_LINE_BYTES),
    dispose,
  };
};
