import { BackupNotFound } from '../errors';
import type { CompleteBackup, FailBackup, RecordChunkWritten, StartBackup } from './backup.commands';
import type { BackupCompleted, BackupFailed, BackupStarted, ChunkWritten } from './backup.events';
import type { Backup, BackupRecord } from './backup.state';

/**
 * What the worker records while it runs a backup. Each decision is idempotent: a job that resumes or is
 * delivered twice records nothing new, and nothing is recorded once the backup left `creating`
 * (a deletion that cancels it wins).
 */
const running = (state: Backup, backupId: string): BackupRecord | null => {
  if (state.status === 'absent') throw new BackupNotFound(backupId);
  return state.status === 'creating' ? state : null;
};

export const decideStartBackup = ({ data }: StartBackup, state: Backup): BackupStarted[] => {
  const b = running(state, data.backupId);
  if (!b || b.storage) return [];
  const { backupId, container, objectPrefix, service, driver, now } = data;
  return [{ type: 'BackupStarted', data: { backupId, container, objectPrefix, service, driver, startedAt: now } }];
};

export const decideRecordChunkWritten = ({ data }: RecordChunkWritten, state: Backup): ChunkWritten[] => {
  const b = running(state, data.backupId);
  if (!b || !b.storage) return [];
  return data.objects
    .filter((o) => o.objectIndex > b.objectCount)
    .map((o) => ({ type: 'ChunkWritten', data: { backupId: b.id, ...o, writtenAt: data.now } }));
};

export const decideCompleteBackup = ({ data }: CompleteBackup, state: Backup): BackupCompleted[] => {
  const b = running(state, data.backupId);
  if (!b) return [];
  const { objectCount, sizeBytes, storedBytes, now } = data;
  return [{ type: 'BackupCompleted', data: { backupId: b.id, objectCount, sizeBytes, storedBytes, completedAt: now } }];
};

export const decideFailBackup = ({ data }: FailBackup, state: Backup): BackupFailed[] => {
  const b = running(state, data.backupId);
  if (!b) return [];
  // Cinder keeps fail_reason to 255 characters.
  return [{ type: 'BackupFailed', data: { backupId: b.id, reason: data.reason.slice(0, 255), failedAt: data.now } }];
};
