import type { StrataEvent } from '@strata/domain';
import { JOB_TRIGGERS, planJob } from './job-plan';

/** Only the type matters to these cases; the data is what the plan reads. */
const anEvent = (type: string, data: Record<string, unknown>) => ({ type, data }) as StrataEvent;

describe('planJob: verification', () => {
  it('turns BackupVerificationRequested into a verify job for that verification', () =>
    expect(planJob({ type: 'BackupVerificationRequested', data: { backupId: 'b1', verificationId: 'v1', requestedAt: 'now' } })).toEqual({
      kind: 'verify',
      backupId: 'b1',
      verificationId: 'v1',
      cancelRunning: false,
    }));

  it('subscribes to it', () => expect(JOB_TRIGGERS).toContain('BackupVerificationRequested'));

  it('starts no job for the outcomes or for an export', () => {
    for (const type of ['BackupVerified', 'BackupVerificationFailed', 'BackupRecordExported', 'BackupImported'])
      expect(planJob(anEvent(type, { backupId: 'b1' }))).toEqual({ kind: 'none' });
  });
});

describe('planJob: volume extend', () => {
  it('turns VolumeExtendRequested into an extend job on that volume', () =>
    expect(
      planJob(anEvent('VolumeExtendRequested', { volumeId: 'v1', newSizeGb: 2, previousStatus: 'available', requestedAt: 'now' })),
    ).toEqual({ kind: 'volume-extend', volumeId: 'v1' }));

  it('subscribes to it', () => expect(JOB_TRIGGERS).toContain('VolumeExtendRequested'));

  it('starts no job for the outcomes or for the actions that only change a status or a flag', () => {
    for (const type of [
      'VolumeExtended',
      'VolumeExtendFailed',
      'VolumeReserved',
      'VolumeUnreserved',
      'VolumeDetachingStarted',
      'VolumeDetachingRolledBack',
      'VolumeBootableSet',
      'VolumeReadonlyFlagUpdated',
    ])
      expect(planJob(anEvent(type, { volumeId: 'v1' }))).toEqual({ kind: 'none' });
  });
});

describe('planJob: workflows start from their first step, the lock', () => {
  const backup = { backupId: 'b1' } as never;

  it('runs the backup job, which records the backup first, from a lock that carries it', () => {
    expect(planJob(anEvent('VolumeBackupStarted', { volumeId: 'v1', backupId: 'b1', backup }))).toEqual({
      kind: 'backup',
      backupId: 'b1',
      cancelRunning: false,
      lock: { kind: 'volume', id: 'v1' },
    });
    expect(planJob(anEvent('SnapshotBackupStarted', { snapshotId: 's1', backupId: 'b1', backup }))).toEqual({
      kind: 'backup',
      backupId: 'b1',
      cancelRunning: false,
      lock: { kind: 'snapshot', id: 's1' },
    });
  });

  it('runs the restore job, which requests the restore first, from a lock on its target', () =>
    expect(planJob(anEvent('VolumeRestoreStarted', { volumeId: 'v1', backupId: 'b1', volumeIsNew: false }))).toEqual({
      kind: 'restore',
      backupId: 'b1',
      cancelRunning: false,
      volumeId: 'v1',
    }));

  it('starts nothing from a lock taken before workflows (the api recorded the rest), nor from the steps the jobs record', () => {
    expect(planJob(anEvent('VolumeBackupStarted', { volumeId: 'v1', backupId: 'b1' }))).toEqual({ kind: 'none' });
    expect(planJob(anEvent('VolumeRestoreStarted', { volumeId: 'v1', backupId: 'b1' }))).toEqual({ kind: 'none' });
    for (const type of ['BackupRequested', 'RestoreRequested']) expect(JOB_TRIGGERS).not.toContain(type);
  });
});

describe('planJob: volume deletion', () => {
  it('deletes the volume', () =>
    expect(planJob(anEvent('VolumeDeletionRequested', { volumeId: 'v1', requestedAt: 'now' }))).toEqual({
      kind: 'volume-deletion',
      volumeId: 'v1',
    }));
  it('names the backup whose restore a deletion of a volume still being created from it stops', () =>
    expect(planJob(anEvent('VolumeDeletionRequested', { volumeId: 'v1', requestedAt: 'now', stopsRestoreOf: 'b1' }))).toEqual({
      kind: 'volume-deletion',
      volumeId: 'v1',
      stopsRestoreOf: 'b1',
    }));
});
