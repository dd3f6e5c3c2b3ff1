import { type BackupLocation, listOrphanObjects, writeSmallObject } from './backup-files';
import { assertIncrementalPossible } from './changed-extents';
import { codecNamed } from './codecs/codec-registry';
import { deleteByPrefix } from './delete-backup';
import { type DriverOptions, resolveDriverOptions, type ResolvedDriverOptions } from './driver-options';
import { InvalidDriverOptions, InvalidVolumeSource, OperationCancelled, RunSuspended } from './errors';
import { scanChangedChunk } from './incremental-scan';
import { type BackupHeader, serializeMetadata, type WrittenObject } from './metadata-file';
import { dataObjectIndex, dataObjectName, metadataObjectName, sha256ObjectName } from './object-names';
import { hashRange, type ObjectWriteContext, writeObject } from './object-writer';
import { BufferRing } from './pool/buffer-ring';
import { withPool, type WorkerPool } from './pool/worker-pool';
import type { BackupRepository } from './repository.port';
import { sha256FileBytes, type Sha256File } from './sha256-file';
import { openVolumeSource, throwIfAborted } from './volume-source';
import { withWriteRetries } from './write-retries';

/**
 * Pieces read ahead (8 of 1 MiB, 4 of 4 MiB), and compressed pieces waiting for the repository's writer
 * (4 of 1 MiB, 2 of 4 MiB): about the same bytes in flight whatever the piece size, so larger pieces do
 * not raise the process's peak RSS (the bench's service peaked at 299 MB with 8 and 4 of 4 MiB).
 */
const readBuffers = (pieceBytes: number): number => Math.min(8, Math.max(4, Math.floor((8 << 20) / pieceBytes)));
const outputBuffers = (pieceBytes: number): number => Math.min(4, Math.max(2, Math.floor((4 << 20) / pieceBytes)));

export interface BackupProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly objectsDone: number;
}

/** One chunk (`objectSizeBytes` of the volume) whose objects (0..n) are durable. */
export interface ChunkDone {
  readonly chunkIndex: number;
  readonly offsetBytes: number;
  readonly lengthBytes: number;
  readonly objects: readonly WrittenObject[];
  /** Bytes each of those objects takes in the repository (compressed), by object name. */
  readonly storedBytes: Readonly<Record<string, number>>;
}

/** Where a crashed run got to: chunks below `chunksDone` are trusted and only re-hashed. */
export interface BackupResume {
  readonly chunksDone: number;
  /** Every object of those chunks, in write order. */
  readonly objects: readonly WrittenObject[];
}

export interface RunBackupArgs extends BackupLocation {
  readonly repository: BackupRepository;
  readonly source: { readonly path: string };
  readonly header: BackupHeader;
  /** The parent's `_sha256file` for an incremental; absent or null for a full backup. */
  readonly parent?: Sha256File | null;
  readonly options: DriverOptions;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: BackupProgress) => void;
  /** Awaited before the next chunk is read; the place to record `ChunkWritten`. */
  readonly onChunkDone?: (c: ChunkDone) => Promise<void> | void;
  readonly resume?: BackupResume;
  /** A pool to share between runs; by default the run starts and stops its own. */
  readonly pool?: WorkerPool;
}

export interface BackupResult {
  readonly objects: WrittenObject[];
  readonly sha256s: string[];
  /** The volume's size. */
  readonly sizeBytes: number;
  /** Bytes stored in data objects by this run (compressed where compression helped). */
  readonly bytesWritten: number;
  readonly objectCount: number;
}

interface Chunk {
  readonly index: number;
  readonly offsetBytes: number;
  readonly lengthBytes: number;
}

export const planChunks = (volumeBytes: number, chunkBytes: number): Chunk[] =>
  Array.from({ length: Math.ceil(volumeBytes / chunkBytes) }, (_, index) => ({
    index,
    offsetBytes: index * chunkBytes,
    lengthBytes: Math.min(chunkBytes, volumeBytes - index * chunkBytes),
  }));

const nextObjectIndex = (prefix: string, objects: readonly WrittenObject[]): number =>
  objects.reduce((max, o) => Math.max(max, dataObjectIndex(prefix, o.name) ?? 0), 0) + 1;

/** The chunk loop: full backups write each chunk as one object, incrementals only the changed runs. */
const scanVolume = async (args: RunBackupArgs, ctx: ObjectWriteContext, options: ResolvedDriverOptions): Promise<BackupResult> => {
  const { prefix, parent, resume } = args;
  const chunks = planChunks(ctx.source.sizeBytes, options.objectSizeBytes);
  if (resume && (resume.chunksDone < 0 || resume.chunksDone > chunks.length))
    throw new InvalidDriverOptions(`resume.chunksDone ${resume.chunksDone} is outside 0..${chunks.length}`);
  const objects: WrittenObject[] = [...(resume?.objects ?? [])];
  const sha256s: string[] = [];
  let nextIndex = nextObjectIndex(prefix, objects);
  let bytesWritten = 0;
  let bytesDone = 0;
  const report = (): void => args.onProgress?.({ bytesDone, bytesTotal: ctx.source.sizeBytes, objectsDone: objects.length });
  const scanCtx: ObjectWriteContext = {
    ...ctx,
    onScanned: (n) => {
      bytesDone += n;
      report();
    },
  };
  const storedBytes = new Map<string, number>();
  const write = async (offsetBytes: number, lengthBytes: number, hashBlocks: boolean) => {
    const job = { name: dataObjectName(prefix, nextIndex++), offsetBytes, lengthBytes, hashBlocks };
    const scannedBefore = bytesDone;
    const r = await withWriteRetries(args.repository, args.signal, () => {
      bytesDone = scannedBefore; // a repeated write scans its range again
      return writeObject(scanCtx, job);
    });
    bytesWritten += r.storedBytes;
    storedBytes.set(r.object.name, r.storedBytes);
    return r;
  };

  for (const chunk of chunks) {
    throwIfAborted(args.signal, 'backup');
    if (resume && chunk.index < resume.chunksDone) {
      sha256s.push(...(await hashRange(scanCtx, chunk.offsetBytes, chunk.lengthBytes)));
      continue;
    }
    const written: WrittenObject[] = [];
    if (!parent) {
      const r = await write(chunk.offsetBytes, chunk.lengthBytes, true);
      sha256s.push(...r.sha256s);
      written.push(r.object);
    } else {
      const scanned = await scanChangedChunk(
        scanCtx,
        chunk,
        parent.sha256s,
        async (run) => (await write(run.offsetBytes, run.lengthBytes, false)).object,
      );
      sha256s.push(...scanned.sha256s);
      written.push(...scanned.objects);
    }
    objects.push(...written);
    await args.onChunkDone?.({
      chunkIndex: chunk.index,
      offsetBytes: chunk.offsetBytes,
      lengthBytes: chunk.lengthBytes,
      objects: written,
      storedBytes: Object.fromEntries(written.map((o) => [o.name, storedBytes.get(o.name) ?? 0])),
    });
    report();
  }
  return { objects, sha256s, sizeBytes: ctx.source.sizeBytes, bytesWritten, objectCount: objects.length };
};

/** Cinder's commit order: drop orphans of a crashed run, then `_sha256file`, then `_metadata` last. */
const finalizeBackup = async (args: RunBackupArgs, options: ResolvedDriverOptions, result: BackupResult): Promise<void> => {
  const { repository, container, prefix, header } = args;
  const keep = new Set(result.objects.map((o) => o.name));
  for (const orphan of await listOrphanObjects(repository, args, keep)) await repository.deleteObject(container, orphan);
  const sha256File = sha256FileBytes(header, options.shaBlockSizeBytes, result.sha256s);
  await withWriteRetries(repository, args.signal, () => writeSmallObject(repository, container, sha256ObjectName(prefix), sha256File));
  const metadata = serializeMetadata(header, result.objects);
  await withWriteRetries(repository, args.signal, () => writeSmallObject(repository, container, metadataObjectName(prefix), metadata));
};

/**
 * Backs up a volume into `container` under `prefix` in Cinder's chunked format. On abort, deletes
 * everything under the prefix and rejects with OperationCancelled, unless the abort reason is a
 * RunSuspended: then the objects stay for the run that resumes. Other failures leave the partial
 * objects for a resumed run (or a later delete) to deal with, as Cinder does.
 */
export const runBackup = async (args: RunBackupArgs): Promise<BackupResult> => {
  const options = resolveDriverOptions(args.options);
  const source = await openVolumeSource(args.source.path);
  try {
    if (source.sizeBytes <= 0) throw new InvalidVolumeSource(`volume size ${source.sizeBytes} is invalid.`);
    if (args.parent) assertIncrementalPossible(args.parent, options.shaBlockSizeBytes, source.sizeBytes);
    throwIfAborted(args.signal, 'backup');
    await args.repository.ensureContainer(args.container);
    return await withPool(args.pool, options.workers, async (pool) => {
      // Aligned where the volume takes direct reads: the device fills the ring without a copy.
      const ring = new BufferRing(readBuffers(options.pieceSizeBytes), options.pieceSizeBytes, source.direct ? 'aligned' : 'skewed');
      const codec = options.codec === 'none' ? null : codecNamed(options.codec);
      const outputRing = codec?.outputBytesFor
        ? new BufferRing(outputBuffers(options.pieceSizeBytes), codec.outputBytesFor(options.pieceSizeBytes), 'aligned')
        : undefined;
      const ctx: ObjectWriteContext = { ...args, source, ring, outputRing, pool, options };
      const result = await scanVolume(args, ctx, options);
      throwIfAborted(args.signal, 'backup');
      await finalizeBackup(args, options, result);
      return result;
    });
  } catch (e) {
    if (args.signal?.reason instanceof RunSuspended) throw e;
    if (e instanceof OperationCancelled || args.signal?.aborted) {
      await deleteByPrefix(args.repository, args.container, args.prefix);
      throw e instanceof OperationCancelled ? e : new OperationCancelled('backup');
    }
    throw e;
  } finally {
    await source.close();
  }
};
