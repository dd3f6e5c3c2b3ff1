import type { BackupCommand, RequestBackup } from '../backup/backup.commands';
import type { BackupEvent, BackupRequested } from '../backup/backup.events';

/** Factories that default every field, so a spec shows only what matters to it. */
export const NOW = '2026-11-27T10:00:00.000Z';
export const LATER = '2026-11-27T11:00:00.000Z';
export const backupId = 'b0000000-0000-4000-8000-000000000001';
export const volumeId = 'a0000000-0000-4000-8000-000000000001';
export const projectId = 'project-1';

export const requestBackup = (data: Partial<RequestBackup['data']> = {}): RequestBackup => ({
  type: 'RequestBackup',
  data: {
    backupId,
    projectId,
    userId: 'user-1',
    name: 'nightly',
    description: null,
    container: null,
    incremental: false,
    force: false,
    volume: { id: volumeId, sizeGb: 1, encryptionKeyId: null },
    snapshot: null,
    newestAvailable: null,
    availabilityZone: null,
    metadata: {},
    service: 'cinder.backup.drivers.posix.PosixBackupDriver',
    now: NOW,
    ...data,
  },
});

export const backupRequested = (data: Partial<BackupRequested['data']> = {}): BackupRequested => ({
  type: 'BackupRequested',
  data: {
    backupId,
    volumeId,
    snapshotId: null,
    projectId,
    userId: 'user-1',
    name: 'nightly',
    description: null,
    container: null,
    incremental: false,
    force: false,
    parentId: null,
    sizeGb: 1,
    availabilityZone: null,
    metadata: {},
    encryptionKeyId: null,
    service: 'cinder.backup.drivers.posix.PosixBackupDriver',
    dataTimestamp: NOW,
    createdAt: NOW,
    ...data,
  },
});

export const driver = { objectSizeBytes: 1024 * 1024, shaBlockSizeBytes: 32768, compression: 'zlib', compressionLevel: 1 };

export const backupStarted = (): BackupEvent => ({
  type: 'BackupStarted',
  data: { backupId, container: 'b0/00/' + backupId, objectPrefix: 'volume_x_backup_y', service: 'posix', driver, startedAt: NOW },
});

export const chunkWritten = (objectIndex: number, chunkIndex = objectIndex - 1): BackupEvent => ({
  type: 'ChunkWritten',
  data: {
    backupId,
    objectIndex,
    objectName: `volume_x_backup_y-${String(objectIndex).padStart(5, '0')}`,
    chunkIndex,
    offsetBytes: chunkIndex * driver.objectSizeBytes,
    lengthBytes: driver.objectSizeBytes,
    compression: 'zlib',
    md5: 'd41d8cd98f00b204e9800998ecf8427e',
    storedBytes: 100,
    writtenAt: NOW,
  },
});

export const backupCompleted = (): BackupEvent => ({
  type: 'BackupCompleted',
  data: { backupId, objectCount: 1, sizeBytes: 1 << 30, storedBytes: 100, completedAt: NOW },
});

export const command = <T extends BackupCommand['type']>(type: T, data: Extract<BackupCommand, { type: T }>['data']) =>
  ({ type, data }) as Extract<BackupCommand, { type: T }>;
