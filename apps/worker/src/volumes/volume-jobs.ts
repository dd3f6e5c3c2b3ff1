import type { Catalog } from '@strata/catalog';
import {
  backupDecider,
  backupStreamId,
  isCopySource,
  snapshotDecider,
  snapshotStreamId,
  volumeDecider,
  volumeStreamId,
  type CopySource,
  type SnapshotCreated,
  type VolumeCreated,
  type VolumeRecord,
} from '@strata/domain';
import type { EventStore } from '@strata/event-store';
import { sizeGbOf, VolumeCopyCancelled, type VolumeLocation, type VolumeProvider } from '@strata/volumes';
import { claimSnapshotCreation, claimVolumeCreation, DEFAULT_QUOTA_CLASS, quotaDefaultsFrom, type QuotaOptions } from '@strata/workflows';
import { JobRecorder, stateOf, type JobCause } from '../job-recorder';
import { isAbandoned } from '../leases/job-lease';

export interface VolumeJobDeps {
  readonly store: EventStore;
  readonly catalog: Catalog;
  readonly provider: VolumeProvider;
  /** strata.conf's quota defaults: a creation's claim is decided again before it is provisioned. */
  readonly options: QuotaOptions;
  readonly now: () => Date;
  readonly isStopping?: () => boolean;
  /** Bytes of a copy from a snapshot or volume between two checkpoints (tests make it small). */
  readonly copyCheckpointBytes?: number;
}

const quotaDefaultsOf = (deps: VolumeJobDeps) => quotaDefaultsFrom(deps.options, deps.catalog.quotaClassLimits(DEFAULT_QUOTA_CLASS));

const locationOf = (l: VolumeLocation) => ({ kind: l.kind, path: l.path, sizeBytes: l.sizeBytes, owned: l.owned });

/** Where the bytes of a snapshot or volume a new volume is copied from live now. */
const copySourceLocation = async (deps: VolumeJobDeps, source: CopySource): Promise<VolumeLocation> => {
  if (source.kind === 'snapshot') {
    const snapshot = await stateOf(deps.store, snapshotStreamId(source.snapshotId), snapshotDecider);
    if (snapshot.status === 'absent' || snapshot.status === 'deleted' || !snapshot.location)
      throw new Error(`Snapshot ${source.snapshotId} has no data to create a volume from.`);
    return snapshot.location;
  }
  const volume = await stateOf(deps.store, volumeStreamId(source.volumeId), volumeDecider);
  if (volume.status === 'absent' || volume.status === 'deleted' || !volume.location)
    throw new Error(`Volume ${source.volumeId} has no data to clone.`);
  return volume.location;
};

/**
 * Copies a snapshot's or a volume's bytes into the new volume, sparsely, checkpointing its progress
 * (VolumeCopyProgressed, after an fsync) so a copy whose worker died resumes where it was durable.
 */
const copyIntoNewVolume = async (
  deps: VolumeJobDeps,
  recorder: JobRecorder,
  volume: VolumeRecord,
  source: CopySource,
  signal: AbortSignal | undefined,
): Promise<VolumeLocation> => {
  const volumeId = volume.id;
  const from = await copySourceLocation(deps, source);
  return deps.provider.copyIntoVolume(volumeId, volume.sizeGb, from, {
    fromBytes: volume.copied?.bytesDone ?? 0,
    signal,
    checkpointEveryBytes: deps.copyCheckpointBytes,
    onCheckpoint: async (bytesDone) => {
      await recorder.record(volumeStreamId(volumeId), volumeDecider, {
        type: 'RecordVolumeCopyProgress',
        data: { volumeId, bytesDone, bytesTotal: from.sizeBytes, now: deps.now().toISOString() },
      });
    },
  });
};

/**
 * Creates a blank image (also the target of a volume from a backup, which its provisioning locks for the
 * restore), copies a snapshot or a volume into a new one, or inspects a managed file or device, and
 * records where the bytes live. A copy stopped by the volume's deletion records nothing: the deletion
 * job, queued behind it, removes what it had copied.
 */
export const provisionVolume = async (deps: VolumeJobDeps, cause: JobCause, volumeId: string, signal?: AbortSignal) => {
  const recorder = new JobRecorder(deps.store, cause);
  const found: { created?: VolumeCreated['data'] } = {};
  const volume = await stateOf(deps.store, volumeStreamId(volumeId), volumeDecider, (e) => {
    if (e.type === 'VolumeCreated') found.created = e.data;
  });
  if (volume.status !== 'creating' || !found.created) return;
  const { source, projectId, sizeGb } = found.created;
  const now = deps.now().toISOString();
  // The creation's claim first: the request may have stopped before it; refused, the volume is withdrawn.
  const claim = await claimVolumeCreation(recorder, volumeId, { projectId, sizeGb, defaults: quotaDefaultsOf(deps), now });
  if (!claim.accepted) return;
  try {
    const location =
      source.kind === 'managed'
        ? await deps.provider.inspectManagedVolume(source.ref)
        : isCopySource(source)
          ? await copyIntoNewVolume(deps, recorder, volume, source, signal)
          : await deps.provider.createVolume(volumeId, volume.sizeGb);
    await recorder.record(volumeStreamId(volumeId), volumeDecider, {
      type: 'RecordVolumeProvisioned',
      data: { volumeId, location: locationOf(location), sizeGb: sizeGbOf(location.sizeBytes), now },
    });
  } catch (error) {
    // Suspended (the worker stops, the lease was lost) or cancelled by a deletion: nothing to record here.
    if (deps.isStopping?.() || (signal && isAbandoned(signal))) return;
    if (error instanceof VolumeCopyCancelled || signal?.aborted) return;
    await recorder.record(volumeStreamId(volumeId), volumeDecider, {
      type: 'RecordVolumeProvisioningFailed',
      data: { volumeId, reason: (error as Error).message, now },
    });
  }
};

/** `os-extend`: grows the image to the size the request asked for and records the outcome. */
export const extendVolume = async (deps: VolumeJobDeps, cause: JobCause, volumeId: string) => {
  const recorder = new JobRecorder(deps.store, cause);
  const volume = await stateOf(deps.store, volumeStreamId(volumeId), volumeDecider);
  if (volume.status !== 'extending' || volume.extendingTo === null) return;
  const now = deps.now().toISOString();
  try {
    if (!volume.location) throw new Error(`Volume ${volumeId} has no image to extend.`);
    const location = await deps.provider.extendVolume(volume.location, volume.extendingTo);
    await recorder.record(volumeStreamId(volumeId), volumeDecider, {
      type: 'RecordVolumeExtended',
      data: { volumeId, sizeBytes: location.sizeBytes, now },
    });
  } catch (error) {
    if (deps.isStopping?.()) return;
    await recorder.record(volumeStreamId(volumeId), volumeDecider, {
      type: 'RecordVolumeExtendFailed',
      data: { volumeId, reason: (error as Error).message, now },
    });
  }
};

/**
 * Removes the volume's bytes and records the deletion. A volume deleted while still being created from a
 * source is cancelled first: the restore from its backup is recorded as cancelled (this job runs on the
 * backup's queue, after the restore job stopped), a copy's unfinished image is removed.
 */
export const deleteVolume = async (deps: VolumeJobDeps, cause: JobCause, volumeId: string) => {
  const recorder = new JobRecorder(deps.store, cause);
  const volume = await stateOf(deps.store, volumeStreamId(volumeId), volumeDecider);
  if (volume.status !== 'deleting') return;
  const now = deps.now().toISOString();
  try {
    if (volume.previousStatus === 'restoring-backup' && volume.lockedBy) {
      const backupId = volume.lockedBy;
      await recorder.record(backupStreamId(backupId), backupDecider, { type: 'CancelRestore', data: { backupId, volumeId, now } });
    }
    // Deleted before its image was recorded: a copy's unfinished image, or one made just before the deletion.
    if (!volume.location && volume.source.kind !== 'managed') await deps.provider.discardVolumeCopy(volumeId);
    if (volume.location) await deps.provider.deleteVolume(volume.location);
    await recorder.record(volumeStreamId(volumeId), volumeDecider, { type: 'RecordVolumeDeleted', data: { volumeId, now } });
  } catch (error) {
    if (deps.isStopping?.()) return;
    await recorder.record(volumeStreamId(volumeId), volumeDecider, {
      type: 'RecordVolumeDeletionFailed',
      data: { volumeId, reason: (error as Error).message, now },
    });
  }
};

/** A point-in-time copy of the volume's bytes: a reflink where the filesystem has them. */
export const provisionSnapshot = async (deps: VolumeJobDeps, cause: JobCause, snapshotId: string) => {
  const recorder = new JobRecorder(deps.store, cause);
  const found: { created?: SnapshotCreated['data'] } = {};
  const snapshot = await stateOf(deps.store, snapshotStreamId(snapshotId), snapshotDecider, (e) => {
    if (e.type === 'SnapshotCreated') found.created = e.data;
  });
  if (snapshot.status !== 'creating' || !found.created) return;
  const now = deps.now().toISOString();
  const { projectId, sizeGb } = found.created;
  const claim = await claimSnapshotCreation(recorder, snapshotId, { projectId, sizeGb, defaults: quotaDefaultsOf(deps), now });
  if (!claim.accepted) return;
  try {
    const volume = await stateOf(deps.store, volumeStreamId(snapshot.volumeId), volumeDecider);
    if (volume.status === 'absent' || !volume.location) throw new Error(`Volume ${snapshot.volumeId} has no data to snapshot.`);
    const location = await deps.provider.createSnapshot(volume.location, snapshotId);
    await recorder.record(snapshotStreamId(snapshotId), snapshotDecider, {
      type: 'RecordSnapshotProvisioned',
      data: { snapshotId, location: locationOf(location), now },
    });
  } catch (error) {
    if (deps.isStopping?.()) return;
    await recorder.record(snapshotStreamId(snapshotId), snapshotDecider, {
      type: 'RecordSnapshotProvisioningFailed',
      data: { snapshotId, reason: (error as Error).message, now },
    });
  }
};

export const deleteSnapshot = async (deps: VolumeJobDeps, cause: JobCause, snapshotId: string) => {
  const recorder = new JobRecorder(deps.store, cause);
  const snapshot = await stateOf(deps.store, snapshotStreamId(snapshotId), snapshotDecider);
  if (snapshot.status !== 'deleting') return;
  const now = deps.now().toISOString();
  try {
    if (snapshot.location) await deps.provider.deleteSnapshot(snapshot.location);
    await recorder.record(snapshotStreamId(snapshotId), snapshotDecider, { type: 'RecordSnapshotDeleted', data: { snapshotId, now } });
  } catch (error) {
    if (deps.isStopping?.()) return;
    await recorder.record(snapshotStreamId(snapshotId), snapshotDecider, {
      type: 'RecordSnapshotDeletionFailed',
      data: { snapshotId, reason: (error as Error).message, now },
    });
  }
};
