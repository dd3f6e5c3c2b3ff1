import type { VolumeLocation } from '../volume/volume.events';
import type { SnapshotEvent } from './snapshot.events';

export type SnapshotStatus = 'creating' | 'available' | 'backing-up' | 'deleting' | 'deleted' | 'error' | 'error_deleting';

export interface SnapshotRecord {
  readonly status: SnapshotStatus;
  readonly id: string;
  readonly volumeId: string;
  readonly projectId: string;
  readonly sizeGb: number;
  readonly createdAt: string;
  readonly location: VolumeLocation | null;
  readonly lockedBy: string | null;
}

export type Snapshot = { readonly status: 'absent' } | SnapshotRecord;

export const initialSnapshotState = (): Snapshot => ({ status: 'absent' });

export const evolveSnapshot = (state: Snapshot, event: SnapshotEvent): Snapshot => {
  if (event.type === 'SnapshotCreated') {
    const d = event.data;
    return {
      status: 'creating',
      id: d.snapshotId,
      volumeId: d.volumeId,
      projectId: d.projectId,
      sizeGb: d.sizeGb,
      createdAt: d.createdAt,
      location: null,
      lockedBy: null,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'SnapshotProvisioned':
      return { ...state, status: 'available', location: event.data.location };
    case 'SnapshotProvisioningFailed':
      return { ...state, status: 'error' };
    case 'SnapshotBackupStarted':
      return { ...state, status: 'backing-up', lockedBy: event.data.backupId };
    case 'SnapshotBackupEnded':
      return { ...state, status: 'available', lockedBy: null };
    case 'SnapshotDeletionRequested':
      return { ...state, status: 'deleting' };
    case 'SnapshotDeleted':
      return { ...state, status: 'deleted' };
    case 'SnapshotDeletionFailed':
      return { ...state, status: 'error_deleting' };
  }
};
