import {
  defaultPosixContainer,
  posixObjectPrefix,
  type runBackup,
  type BackupLocation,
  type BackupRepository,
  type DriverOptions,
  type Sha256File,
  type WorkerPool,
} from '@strata/chunked-driver';

let backupCounter = 0;

/** The engine's arguments for one backup of `image` at a fresh location (no catalog, no events), and that location. */
export const engineBackupArgs = (
  repository: BackupRepository,
  image: string,
  options: DriverOptions,
  parent: Sha256File | null,
  pool?: WorkerPool,
): { at: BackupLocation; args: Parameters<typeof runBackup>[0] } => {
  const backupId = `bbbbbbbb-1111-4222-8333-${String(++backupCounter).padStart(12, '0')}`;
  const at: BackupLocation = {
    container: defaultPosixContainer(backupId),
    prefix: posixObjectPrefix({ volumeId: 'v', backupId, at: new Date() }),
  };
  const header = {
    backupId,
    volumeId: 'v',
    name: null,
    description: null,
    createdAt: new Date().toISOString(),
    volumeMeta: null,
    parentId: null,
  };
  return { at, args: { repository, ...at, source: { path: image }, pool, parent, options, header } };
};
