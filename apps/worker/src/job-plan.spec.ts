import type { StrataEvent } from '@strata/domain';
import { JOB_TRIGGERS, planJob } from './job-plan';

/** Only the type matters to these cases; the data is what the plan reads. */
const anEvent = (type: string, data: Record<string, unknown>) => ({ type, data }) as StrataEvent;

describe('planJob: verification', () => {
  it('turns BackupVerificationRequested into a verify job for that verification', () =>
    expect(planJob({ type: 'BackupVerificationRequested', data: { backupId: 'b1', verificationId: 'v1', requestedAt: 'now' } }))
      .toEqual({ kind: 'verify', backupId: 'b1', verificationId: 'v1', cancelRunning: false }));

  it('subscribes to it', () => expect(JOB_TRIGGERS).toContain('BackupVerificationRequested'));

  it('starts no job for the outcomes or for an export', () => {
    for (const type of ['BackupVerified', 'BackupVerificationFailed', 'BackupRecordExported', 'BackupImported'])
      expect(planJob(anEvent(type, { backupId: 'b1' }))).toEqual({ kind: 'none' });
  });
});

describe('planJob: volume extend', () => {
  it('turns VolumeExtendRequested into an extend job on that volume', () =>
    expect(planJob(anEvent('VolumeExtendRequested', { volumeId: 'v1', newSizeGb: 2, previousStatus: 'available', requestedAt: 'now' })))
      .toEqual({ kind: 'volume-extend', volumeId: 'v1' }));

  it('subscribes to it', () => expect(JOB_TRIGGERS).toContain('VolumeExtendRequested'));

  it('starts no job for the outcomes or for the actions that only change a status or a flag', () => {
    for (const type of ['VolumeExtended', 'VolumeExtendFailed', 'VolumeReserved', 'VolumeUnreserved', 'VolumeDetachingStarted',
      'VolumeDetachingRolledBack', 'VolumeBootableSet', 'VolumeReadonlyFlagUpdated'])
      expect(planJob(anEvent(type, { volumeId: 'v1' }))).toEqual({ kind: 'none' });
  });
});
