import {
  dataObjectIndex,
  objectPrefix,
  OperationCancelled,
  readSha256File,
  runBackup,
  type ChunkDone,
  type WrittenObject,
} from '@strata/chunked-driver';
import type { Catalog } from '@strata/catalog';
import type { StrataOptions } from '@strata/config';
import {
  backupDecider,
  backupStreamId,
  snapshotDecider,
  snapshotStreamId,
  volumeDecider,
  volumeStreamId,
  type BackupRecord,
  type ChunkWritten,
} from '@strata/domain';
import type { EventStore } from '@strata/event-store';
import type { BackupRepositories } from '../backup-repositories';
import type { JobPool } from '../job-pool';
import { JobRecorder, stateOf, type JobCause } from '../job-recorder';
import { isAbandoned } from '../leases/job-lease';
import { recordBackupRequest, type BackupLock } from '@strata/workflows';
import { volumeMetaOf } from './volume-meta';

export interface BackupJobDeps {
  readonly store: EventStore;
  readonly catalog: Catalog;
  readonly repositories: BackupRepositories;
  readonly options: StrataOptions;
  readonly now: () => Date;
  readonly onProgress?: (backupId: string, bytesDone: number, bytesTotal: number) => void;
  /** The process's hashing/compression threads, shared by its jobs; without it each run starts its own. */
  readonly pool?: JobPool;
  /** True while the process shuts down: a job stopped by that is resumed later, not failed. */
  readonly isStopping?: () => boolean;
}

/**
 * One run of a backup: fix the names once (BackupStarted), stream the volume through the chunked
 * engine recording each durable chunk, then complete, fail or, when a deletion cancelled it, clean up.
 * A run that starts on a half-done backup resumes after its last recorded chunk.
 */
export const runBackupJob = async (deps: BackupJobDeps, cause: JobCause, backupId: string, signal: AbortSignal, lock?: BackupLock) => {
  const { store, catalog, repositories } = deps;
  const recorder = new JobRecorder(store, cause);
  const now = () => deps.now().toISOString();
  const recorded: ChunkWritten['data'][] = [];
  // Name, description and time for `_metadata` come from the stream: the catalog may not have the request yet.
  const described = { name: null as string | null, description: null as string | null, createdAt: now() };
  const fold = () =>
    stateOf(store, backupStreamId(backupId), backupDecider, (e) => {
      if (e.type === 'ChunkWritten') recorded.push(e.data);
      if (e.type === 'BackupRequested') Object.assign(described, pickDescription(e.data));
      if (e.type === 'BackupUpdated') Object.assign(described, pickDescription(e.data));
    });
  let folded = await fold();
  // Started by the lock (or found by a sweep) before the backup was recorded: the creation workflow first.
  if (folded.status === 'absent' && lock) {
    await recordBackupRequest(store, recorder, backupId, lock, now());
    folded = await fold();
  }
  if (folded.status !== 'creating') return;
  let backup: BackupRecord = folded;
  const scope = { projectId: backup.projectId, allProjects: true };
  const volume = catalog.getVolume(backup.volumeId, scope);
  const source = backup.snapshotId ? catalog.getSnapshot(backup.snapshotId, scope)?.locationPath : volume?.locationPath;
  try {
    if (!volume || !source) throw new Error(`The source of backup ${backupId} has no data location.`);
    backup = await startIfNeeded(deps, recorder, backup, now());
    const storage = backup.storage;
    if (!storage?.driver || backup.status !== 'creating') return;
    const repository = repositories.forService(storage.service);
    const parent = backup.parentId ? await parentSha256(deps, backup.parentId) : null;
    const result = await runBackup({
      repository,
      container: storage.container,
      prefix: storage.objectPrefix,
      source: { path: source },
      header: {
        backupId,
        volumeId: backup.volumeId,
        ...described,
        volumeMeta: volumeMetaOf(volume),
        parentId: backup.parentId,
      },
      parent,
      options: storage.driver,
      signal,
      pool: deps.pool?.get(),
      resume: backup.chunksDone > 0 ? { chunksDone: backup.chunksDone, objects: recorded.map(toWrittenObject) } : undefined,
      onProgress: repositories.progressTimerEnabled(storage.service)
        ? (p) => deps.onProgress?.(backupId, p.bytesDone, p.bytesTotal)
        : undefined,
      onChunkDone: (chunk) => recordChunk(recorder, backupId, storage.objectPrefix, chunk, now()),
    });
    await recorder.record(backupStreamId(backupId), backupDecider, {
      type: 'CompleteBackup',
      data: { backupId, objectCount: result.objectCount, sizeBytes: result.sizeBytes, storedBytes: result.bytesWritten, now: now() },
    });
    await releaseLock(recorder, backup, 'completed', now());
  } catch (error) {
    // Suspended, not failed: the lease was lost or the worker stops; whoever holds the lease next resumes.
    if (deps.isStopping?.() || isAbandoned(signal)) return;
    if (error instanceof OperationCancelled || signal.aborted) {
      await recorder.record(backupStreamId(backupId), backupDecider, { type: 'CancelBackup', data: { backupId, now: now() } });
      await releaseLock(recorder, backup, 'cancelled', now());
      return;
    }
    await recorder.record(backupStreamId(backupId), backupDecider, {
      type: 'FailBackup',
      data: { backupId, reason: (error as Error).message, now: now() },
    });
    await releaseLock(recorder, backup, 'failed', now());
  }
};

/** Every object of a chunk in one append: a resumed run trusts whole chunks only. */
const recordChunk = async (recorder: JobRecorder, backupId: string, prefix: string, chunk: ChunkDone, now: string) => {
  if (chunk.objects.length === 0) return;
  await recorder.record(backupStreamId(backupId), backupDecider, {
    type: 'RecordChunkWritten',
    data: {
      backupId,
      now,
      objects: chunk.objects.map((o) => ({
        objectIndex: dataObjectIndex(prefix, o.name) ?? 0,
        objectName: o.name,
        chunkIndex: chunk.chunkIndex,
        offsetBytes: o.offsetBytes,
        lengthBytes: o.lengthBytes,
        compression: o.compression,
        md5: o.md5,
        storedBytes: chunk.storedBytes[o.name] ?? 0,
      })),
    },
  });
};

/** The fields of a request or an update that `_metadata` records; an update's absent fields are left out. */
const pickDescription = (d: { name?: string | null; description?: string | null; createdAt?: string }) =>
  Object.fromEntries(
    Object.entries({ name: d.name, description: d.description, createdAt: d.createdAt }).filter(([, v]) => v !== undefined),
  );

const toWrittenObject = (c: ChunkWritten['data']): WrittenObject => ({
  name: c.objectName,
  offsetBytes: c.offsetBytes,
  lengthBytes: c.lengthBytes,
  compression: c.compression,
  md5: c.md5,
});

const startIfNeeded = async (deps: BackupJobDeps, recorder: JobRecorder, backup: BackupRecord, now: string): Promise<BackupRecord> => {
  if (backup.storage) return backup;
  const { options, repositories } = deps;
  const service = repositories.defaultService;
  const container = backup.requestedContainer ?? repositories.defaultContainer(service, backup.id);
  const prefix = objectPrefix(repositories.prefixStyle(service), {
    volumeId: backup.volumeId,
    backupId: backup.id,
    at: new Date(now),
    availabilityZone: options.storage_availability_zone,
  });
  const { objectSizeBytes, shaBlockSizeBytes } = repositories.driverOptions(service);
  await recorder.record(backupStreamId(backup.id), backupDecider, {
    type: 'StartBackup',
    data: {
      backupId: backup.id,
      container,
      objectPrefix: prefix,
      service,
      now,
      driver: {
        objectSizeBytes,
        shaBlockSizeBytes,
        compression: options.backup_compression_algorithm,
        compressionLevel: options.backup_compression_level,
      },
    },
  });
  const started = await stateOf(deps.store, backupStreamId(backup.id), backupDecider);
  return started.status === 'absent' ? backup : started;
};

const parentSha256 = async ({ catalog, repositories }: BackupJobDeps, parentId: string) => {
  const parent = catalog.getBackup(parentId, { projectId: '', allProjects: true });
  if (!parent || !parent.container || !parent.serviceMetadata) throw new Error(`Parent backup ${parentId} has no data in any repository.`);
  return readSha256File(repositories.forService(parent.service ?? repositories.defaultService), parent.container, parent.serviceMetadata);
};

/** Gives the volume (or snapshot) its status back; a no-op when another run already did. */
const releaseLock = async (recorder: JobRecorder, backup: BackupRecord, outcome: 'completed' | 'failed' | 'cancelled', now: string) => {
  if (backup.snapshotId)
    await recorder.record(snapshotStreamId(backup.snapshotId), snapshotDecider, {
      type: 'EndSnapshotBackup',
      data: { snapshotId: backup.snapshotId, backupId: backup.id, outcome, now },
    });
  else
    await recorder.record(volumeStreamId(backup.volumeId), volumeDecider, {
      type: 'EndVolumeBackup',
      data: { volumeId: backup.volumeId, backupId: backup.id, outcome, now },
    });
};
