import type { Catalog } from '@strata/catalog';
import { snapshotDecider, snapshotStreamId, volumeDecider, volumeStreamId, type SnapshotCreated, type VolumeCreated } from '@strata/domain';
import type { EventStore } from '@strata/event-store';
import { sizeGbOf, type VolumeLocation, type VolumeProvider } from '@strata/volumes';
import { claimSnapshotCreation, claimVolumeCreation, DEFAULT_QUOTA_CLASS, quotaDefaultsFrom, type QuotaOptions } from '@strata/workflows';
import { JobRecorder, stateOf, type JobCause } from '../job-recorder';

export interface VolumeJobDeps {
  readonly store: EventStore;
  readonly catalog: Catalog;
  readonly provider: VolumeProvider;
  /** strata.conf's quota defaults: a creation's claim is decided again before it is provisioned. */
  readonly options: QuotaOptions;
  readonly now: () => Date;
  readonly isStopping?: () => boolean;
}

const quotaDefaultsOf = (deps: VolumeJobDeps) => quotaDefaultsFrom(deps.options, deps.catalog.quotaClassLimits(DEFAULT_QUOTA_CLASS));

const locationOf = (l: VolumeLocation) => ({ kind: l.kind, path: l.path, sizeBytes: l.sizeBytes, owned: l.owned });

/** Creates a blank image, or inspects a managed file or device, and records where the bytes live. */
export const provisionVolume = async (deps: VolumeJobDeps, cause: JobCause, volumeId: string) => {
  const recorder = new JobRecorder(deps.store, cause);
  let created: VolumeCreated['data'] | null = null;
  const volume = await stateOf(deps.store, volumeStreamId(volumeId), volumeDecider, (e) => {
    if (e.type === 'VolumeCreated') created = e.data;
  });
  if (volume.status !== 'creating' || !created) return;
  const { source, projectId, sizeGb } = created as VolumeCreated['data'];
  const now = deps.now().toISOString();
  // The creation's claim first: the request may have stopped before it; refused, the volume is withdrawn.
  const claim = await claimVolumeCreation(recorder, volumeId, { projectId, sizeGb, defaults: quotaDefaultsOf(deps), now });
  if (!claim.accepted) return;
  try {
    const location =
      source.kind === 'managed'
        ? await deps.provider.inspectManagedVolume(source.ref)
        : await deps.provider.createVolume(volumeId, volume.sizeGb);
    await recorder.record(volumeStreamId(volumeId), volumeDecider, {
      type: 'RecordVolumeProvisioned',
      data: { volumeId, location: locationOf(location), sizeGb: sizeGbOf(location.sizeBytes), now },
    });
  } catch (error) {
    if (deps.isStopping?.()) return;
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

export const deleteVolume = async (deps: VolumeJobDeps, cause: JobCause, volumeId: string) => {
  const recorder = new JobRecorder(deps.store, cause);
  const volume = await stateOf(deps.store, volumeStreamId(volumeId), volumeDecider);
  if (volume.status !== 'deleting') return;
  const now = deps.now().toISOString();
  try {
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
  let created: SnapshotCreated['data'] | null = null;
  const snapshot = await stateOf(deps.store, snapshotStreamId(snapshotId), snapshotDecider, (e) => {
    if (e.type === 'SnapshotCreated') created = e.data;
  });
  if (snapshot.status !== 'creating' || !created) return;
  const now = deps.now().toISOString();
  const { projectId, sizeGb } = created as SnapshotCreated['data'];
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
