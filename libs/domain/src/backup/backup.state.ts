import type { BackupDriverSettings, BackupEvent } from './backup.events';

export type BackupStatus = 'creating' | 'available' | 'deleting' | 'deleted' | 'error' | 'error_deleting' | 'restoring';

export interface BackupRecord {
  readonly status: BackupStatus;
  readonly id: string;
  readonly volumeId: string;
  readonly snapshotId: string | null;
  readonly projectId: string;
  readonly sizeGb: number;
  readonly parentId: string | null;
  readonly requestedContainer: string | null;
  /** Set by BackupStarted, or by BackupImported (whose driver settings are unknown: null). */
  readonly storage: {
    readonly container: string;
    readonly objectPrefix: string;
    readonly service: string;
    readonly driver: BackupDriverSettings | null;
  } | null;
  /** Data objects recorded so far; the next one is objectCount + 1. The list itself stays in the stream. */
  readonly objectCount: number;
  /** Chunks of the volume whose objects are all durable: a resumed job continues from here. */
  readonly chunksDone: number;
  /** The status before a deletion was requested: a deletion of a `creating` backup cancels it. */
  readonly statusBeforeDeletion: BackupStatus | null;
  /** BackupCancelled is recorded: the backup job and the deletion job both end a cancelled run, once between them. */
  readonly cancelled: boolean;
  readonly restoringTo: string | null;
  /** A verification asked for and not yet recorded as passed or failed. */
  readonly pendingVerificationId: string | null;
  /** Objects of the chain the running restore has made durable on its target. */
  readonly restoreObjectsDone: number;
  /** Incrementals linked on this stream (BackupChildAdded), with when; the catalog says which still live. */
  readonly linkedChildren: readonly { readonly id: string; readonly at: string }[];
}

export type Backup = { readonly status: 'absent' } | BackupRecord;

export const initialBackupState = (): Backup => ({ status: 'absent' });

export const evolveBackup = (state: Backup, event: BackupEvent): Backup => {
  if (event.type === 'BackupRequested') {
    const d = event.data;
    return {
      status: 'creating',
      id: d.backupId,
      volumeId: d.volumeId,
      snapshotId: d.snapshotId,
      projectId: d.projectId,
      sizeGb: d.sizeGb,
      parentId: d.parentId,
      requestedContainer: d.container,
      storage: null,
      objectCount: 0,
      chunksDone: 0,
      statusBeforeDeletion: null,
      cancelled: false,
      restoringTo: null,
      pendingVerificationId: null,
      restoreObjectsDone: 0,
      linkedChildren: [],
    };
  }
  if (event.type === 'BackupImported') {
    // Like BackupRequested, an import revives a deleted backup's stream (Cinder reuses the soft-deleted row).
    const d = event.data;
    return {
      status: d.status,
      id: d.backupId,
      volumeId: d.volumeId,
      snapshotId: d.snapshotId,
      projectId: d.projectId,
      sizeGb: d.sizeGb,
      parentId: d.parentId,
      requestedContainer: d.container,
      storage:
        d.container !== null && d.objectPrefix !== null
          ? { container: d.container, objectPrefix: d.objectPrefix, service: d.service, driver: null }
          : null,
      objectCount: d.objectCount,
      chunksDone: 0,
      statusBeforeDeletion: null,
      cancelled: false,
      restoringTo: null,
      pendingVerificationId: null,
      restoreObjectsDone: 0,
      linkedChildren: [],
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'BackupStarted': {
      const { container, objectPrefix, service, driver } = event.data;
      return { ...state, storage: { container, objectPrefix, service, driver } };
    }
    case 'ChunkWritten':
      return {
        ...state,
        objectCount: Math.max(state.objectCount, event.data.objectIndex),
        chunksDone: Math.max(state.chunksDone, event.data.chunkIndex + 1),
      };
    case 'BackupCompleted':
      return { ...state, status: 'available' };
    case 'BackupFailed':
      return { ...state, status: 'error' };
    case 'BackupDeletionRequested':
      return {
        ...state,
        status: 'deleting',
        statusBeforeDeletion: state.status === 'deleting' ? state.statusBeforeDeletion : state.status,
      };
    case 'BackupCancelled':
      return { ...state, cancelled: true };
    case 'BackupDeleted':
      return { ...state, status: 'deleted' };
    case 'BackupDeletionFailed':
      return { ...state, status: 'error' };
    case 'BackupStatusReset':
      return { ...state, status: event.data.status };
    case 'BackupUpdated':
      return state;
    case 'RestoreRequested':
      return { ...state, status: 'restoring', restoringTo: event.data.volumeId, restoreObjectsDone: 0 };
    case 'RestoreCompleted':
    case 'RestoreFailed':
    case 'RestoreCancelled':
      return {
        ...state,
        status: state.status === 'deleting' || state.status === 'deleted' ? state.status : 'available',
        restoringTo: null,
        restoreObjectsDone: 0,
      };
    case 'BackupChildAdded':
      return { ...state, linkedChildren: [...state.linkedChildren, { id: event.data.childId, at: event.data.addedAt }] };
    case 'BackupChildRemoved':
      return { ...state, linkedChildren: state.linkedChildren.filter((c) => c.id !== event.data.childId) };
    case 'RestoreProgressed':
      return { ...state, restoreObjectsDone: Math.max(state.restoreObjectsDone, event.data.objectsDone) };
    case 'BackupRecordExported':
      return state;
    case 'BackupVerificationRequested':
      return { ...state, pendingVerificationId: event.data.verificationId };
    case 'BackupVerified':
    case 'BackupVerificationFailed':
      return state.pendingVerificationId === event.data.verificationId ? { ...state, pendingVerificationId: null } : state;
  }
};
