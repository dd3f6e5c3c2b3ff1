import { firstEventOfType } from './decode-event';

describe('firstEventOfType', () => {
  const appended = [
    { id: 'e1', type: 'VolumeBackupStarted', data: { volumeId: 'v' }, metadata: {} },
    { id: 'e2', type: 'QuotaReservationRefused', data: { claimId: 'backup:b', over: 'backups' } },
    { id: 'e3', type: 'QuotaReservationRefused', data: { claimId: 'backup:c', over: 'gigabytes' } },
  ];

  it('gives the first event of the type, as the domain event it is', () =>
    expect(firstEventOfType(appended, 'QuotaReservationRefused')).toEqual({
      type: 'QuotaReservationRefused',
      data: { claimId: 'backup:b', over: 'backups' },
    }));

  it('gives undefined when none is of the type', () => expect(firstEventOfType(appended, 'BackupImported')).toBeUndefined());
});
