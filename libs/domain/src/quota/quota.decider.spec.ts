import { InvalidInput } from '../errors';
import { DeciderSpecification } from '../testing/decider-specification';
import type { QuotaCommand } from './quota.commands';
import { quotaClassDecider, quotaDecider } from './quota.decider';
import { quotaRefusalMessage } from './quota.errors';
import type { QuotaAmounts, QuotaEvent, QuotaLimits, QuotaSubject } from './quota.events';

const given = DeciderSpecification.for(quotaDecider);
const NOW = '2026-12-04T10:00:00.000Z';
const P = 'project-1';
const DEFAULTS: QuotaLimits = { volumes: 10, gigabytes: 1000, snapshots: 10, backups: 2, backup_gigabytes: 10 };
const backup = (n: number): QuotaSubject => ({ kind: 'backup', id: `b0000000-0000-4000-8000-00000000000${n}` });
const claimOf = (s: QuotaSubject) => `${s.kind}:${s.id}`;

const reserve = (subject: QuotaSubject, amounts: QuotaAmounts, defaults = DEFAULTS): QuotaCommand => ({
  type: 'ReserveQuota',
  data: { projectId: P, subject, amounts, defaults, now: NOW },
});
const reserved = (subject: QuotaSubject, amounts: QuotaAmounts): QuotaEvent => ({
  type: 'QuotaReserved',
  data: { projectId: P, claimId: claimOf(subject), subject, amounts, reservedAt: NOW },
});
const committed = (subject: QuotaSubject): QuotaEvent => ({
  type: 'QuotaCommitted',
  data: { projectId: P, claimId: claimOf(subject), committedAt: NOW },
});
const released = (subject: QuotaSubject): QuotaEvent => ({
  type: 'QuotaReleased',
  data: { projectId: P, claimId: claimOf(subject), releasedAt: NOW },
});
const limitsSet = (limits: QuotaAmounts): QuotaEvent => ({ type: 'QuotaLimitsUpdated', data: { projectId: P, limits, updatedAt: NOW } });
const twoBackups = [
  reserved(backup(1), { backups: 1, backup_gigabytes: 1 }),
  committed(backup(1)),
  reserved(backup(2), { backups: 1, backup_gigabytes: 1 }),
];

describe('ReserveQuota', () => {
  it('reserves what fits under the default limits', () =>
    given([])
      .when(reserve(backup(1), { backups: 1, backup_gigabytes: 4 }))
      .then([reserved(backup(1), { backups: 1, backup_gigabytes: 4 })]));

  it('counts reserved and committed claims alike, and records the refusal of the first resource over (Cinder names that one)', () =>
    given(twoBackups)
      .when(reserve(backup(3), { backups: 1, backup_gigabytes: 100 }))
      .then([
        {
          type: 'QuotaReservationRefused',
          data: {
            projectId: P,
            claimId: claimOf(backup(3)),
            subject: backup(3),
            amounts: { backups: 1, backup_gigabytes: 100 },
            over: 'backups',
            limit: 2,
            consumed: 2,
            refusedAt: NOW,
          },
        },
      ]));

  it('refuses by size when only the gigabytes do not fit', () =>
    given([reserved(backup(1), { backups: 1, backup_gigabytes: 8 })])
      .when(reserve(backup(2), { backups: 1, backup_gigabytes: 3 }))
      .thenState((s) => expect(s.claims.get(claimOf(backup(2)))?.status).toBe('refused')));

  it("lets a released claim's share be claimed again", () =>
    given([...twoBackups, released(backup(1))])
      .when(reserve(backup(3), { backups: 1, backup_gigabytes: 1 }))
      .then([reserved(backup(3), { backups: 1, backup_gigabytes: 1 })]));

  it("applies the project's own limit over the default, and -1 as unlimited", () => {
    given([...twoBackups, limitsSet({ backups: -1 })])
      .when(reserve(backup(3), { backups: 1, backup_gigabytes: 1 }))
      .then([reserved(backup(3), { backups: 1, backup_gigabytes: 1 })]);
    given([limitsSet({ backups: 0 })])
      .when(reserve(backup(1), { backups: 1 }))
      .thenState((s) => expect(s.claims.get(claimOf(backup(1)))?.status).toBe('refused'));
  });

  it('decides a claim once: asked again, accepted or refused, it decides nothing', () => {
    given(twoBackups)
      .when(reserve(backup(1), { backups: 1 }))
      .then([]);
    const refusedThird = given(twoBackups).when(reserve(backup(3), { backups: 1 }));
    refusedThird.thenState((s) => expect(s.reserved.backups).toBe(1));
  });

  it('may claim on a subject again under a claim id of its own (a deleted backup imported again)', () =>
    given([...twoBackups, released(backup(1))])
      .when({
        type: 'ReserveQuota',
        data: {
          projectId: P,
          subject: backup(1),
          claimId: `${claimOf(backup(1))}@again`,
          amounts: { backups: 1 },
          defaults: DEFAULTS,
          now: NOW,
        },
      })
      .thenState((s) => expect(s.claims.get(`${claimOf(backup(1))}@again`)?.status).toBe('reserved')));
});

describe('CommitQuota and ReleaseQuota', () => {
  it('moves a reservation into use, and a claim in use or reserved out of the totals, once each', () => {
    given(twoBackups)
      .when({ type: 'CommitQuota', data: { projectId: P, claimId: claimOf(backup(2)), now: NOW } })
      .thenState((s) => expect([s.inUse.backups, s.reserved.backups]).toEqual([2, 0]));
    given(twoBackups)
      .when({ type: 'CommitQuota', data: { projectId: P, claimId: claimOf(backup(1)), now: NOW } })
      .then([]);
    given(twoBackups)
      .when({ type: 'ReleaseQuota', data: { projectId: P, claimId: claimOf(backup(1)), now: NOW } })
      .thenState((s) => expect([s.inUse.backups, s.inUse.backup_gigabytes, s.reserved.backups]).toEqual([0, 0, 1]));
    given([...twoBackups, released(backup(1))])
      .when({ type: 'ReleaseQuota', data: { projectId: P, claimId: claimOf(backup(1)), now: NOW } })
      .then([]);
    given([])
      .when({ type: 'ReleaseQuota', data: { projectId: P, claimId: 'backup:unknown', now: NOW } })
      .then([]);
  });
});

describe('UpdateQuotaLimits and ResetQuotaLimits', () => {
  it("refuses a limit below what is in use and reserved, in Cinder's words", () =>
    given(twoBackups)
      .when({ type: 'UpdateQuotaLimits', data: { projectId: P, limits: { volumes: 5, backups: 1 }, now: NOW } })
      .thenThrows(
        InvalidInput,
        'Quota backups limit must be equal or greater than existing resources. Current usage is 2 and the requested limit is 1.',
      ));

  it('takes -1 and limits at or above usage', () =>
    given(twoBackups)
      .when({ type: 'UpdateQuotaLimits', data: { projectId: P, limits: { backups: 2, backup_gigabytes: -1 }, now: NOW } })
      .then([limitsSet({ backups: 2, backup_gigabytes: -1 })]));

  it('resets only a project that has limits of its own', () => {
    given([limitsSet({ backups: 3 })])
      .when({ type: 'ResetQuotaLimits', data: { projectId: P, now: NOW } })
      .then([{ type: 'QuotaLimitsReset', data: { projectId: P, resetAt: NOW } }]);
    given([])
      .when({ type: 'ResetQuotaLimits', data: { projectId: P, now: NOW } })
      .then([]);
  });

  it('refuses a limit the event schema cannot hold', () =>
    given([])
      .when({ type: 'UpdateQuotaLimits', data: { projectId: P, limits: { backups: -5 }, now: NOW } })
      .thenThrows(InvalidInput));
});

describe('quota classes', () => {
  it("records a class's limits", () =>
    DeciderSpecification.for(quotaClassDecider)([])
      .when({ type: 'UpdateQuotaClassLimits', data: { className: 'default', limits: { backups: 4 }, now: NOW } })
      .then([{ type: 'QuotaClassLimitsUpdated', data: { className: 'default', limits: { backups: 4 }, updatedAt: NOW } }]));
});

describe("Cinder's refusal messages", () => {
  const refusal = (
    subject: QuotaSubject,
    over: 'volumes' | 'gigabytes' | 'snapshots' | 'backups' | 'backup_gigabytes',
    amounts: QuotaAmounts,
  ) => quotaRefusalMessage({ projectId: P, claimId: 'x', subject, amounts, over, limit: 10, consumed: 9, refusedAt: NOW });
  const volume: QuotaSubject = { kind: 'volume', id: 'v' };
  const snapshot: QuotaSubject = { kind: 'snapshot', id: 's' };

  it('speaks as BackupLimitExceeded, VolumeBackupSizeExceedsAvailableQuota, VolumeLimitExceeded, SnapshotLimitExceeded and VolumeSizeExceedsAvailableQuota', () => {
    expect(refusal(backup(1), 'backups', { backups: 1 })).toBe('Maximum number of backups allowed (10) exceeded');
    expect(refusal(backup(1), 'backup_gigabytes', { backups: 1, backup_gigabytes: 5 })).toBe(
      'Requested backup exceeds allowed Backup gigabytes quota. Requested 5G, quota is 10G and 9G has been consumed.',
    );
    expect(refusal(volume, 'volumes', { volumes: 1 })).toBe("Maximum number of volumes allowed (10) exceeded for quota 'volumes'.");
    expect(refusal(volume, 'gigabytes', { volumes: 1, gigabytes: 3 })).toBe(
      'Requested volume or snapshot exceeds allowed gigabytes quota. Requested 3G, quota is 10G and 9G has been consumed.',
    );
    expect(refusal(snapshot, 'snapshots', { snapshots: 1 })).toBe('Maximum number of snapshots allowed (10) exceeded');
    expect(refusal(snapshot, 'gigabytes', { snapshots: 1, gigabytes: 2 })).toBe(
      'Requested volume or snapshot exceeds allowed gigabytes quota. Requested 2G, quota is 10G and 9G has been consumed.',
    );
  });
});
