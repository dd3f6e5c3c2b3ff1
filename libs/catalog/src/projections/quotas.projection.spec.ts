import type { QuotaAmounts, QuotaEvent, QuotaSubject } from '@strata/domain';
import {
  at,
  availableBackup,
  backupDeleted,
  backupIdOf,
  backupRequested,
  event,
  openTestCatalog,
  PROJECT,
  type TestCatalog,
} from '../testing/catalog-fixtures';

let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

const subject = (n: number): QuotaSubject => ({ kind: 'backup', id: backupIdOf(n) });
const claimId = (n: number) => `backup:${backupIdOf(n)}`;
const reserved = (n: number, amounts: QuotaAmounts = { backups: 1, backup_gigabytes: 2 }): QuotaEvent =>
  event('QuotaReserved', { projectId: PROJECT, claimId: claimId(n), subject: subject(n), amounts, reservedAt: at(2) });
const committed = (n: number): QuotaEvent => event('QuotaCommitted', { projectId: PROJECT, claimId: claimId(n), committedAt: at(3) });
const released = (n: number): QuotaEvent => event('QuotaReleased', { projectId: PROJECT, claimId: claimId(n), releasedAt: at(4) });
const zero = { volumes: 0, gigabytes: 0, snapshots: 0, backups: 0, backup_gigabytes: 0 };

describe('quotas projection', () => {
  it("sums a project's claims: reserved until committed, in use until released; a refusal takes nothing", async () => {
    await t.given([reserved(1), reserved(2), committed(1)]);
    expect(t.catalog.projectQuotaUsage(PROJECT)).toEqual({
      inUse: { ...zero, backups: 1, backup_gigabytes: 2 },
      reserved: { ...zero, backups: 1, backup_gigabytes: 2 },
    });
    await t.given([
      released(1),
      released(2),
      event('QuotaReservationRefused', {
        projectId: PROJECT,
        claimId: claimId(3),
        subject: subject(3),
        amounts: { backups: 1 },
        over: 'backups',
        limit: 0,
        consumed: 0,
        refusedAt: at(5),
      }),
    ]);
    expect(t.catalog.projectQuotaUsage(PROJECT)).toEqual({ inUse: zero, reserved: zero });
    expect(t.catalog.projectQuotaUsage('other')).toEqual({ inUse: zero, reserved: zero });
  });

  it("keeps a project's own limits and a class's, and forgets the project's on reset", async () => {
    await t.given([
      event('QuotaLimitsUpdated', { projectId: PROJECT, limits: { backups: 3 }, updatedAt: at(1) }),
      event('QuotaLimitsUpdated', { projectId: PROJECT, limits: { volumes: -1, backups: 4 }, updatedAt: at(2) }),
      event('QuotaClassLimitsUpdated', { className: 'default', limits: { snapshots: 7 }, updatedAt: at(3) }),
    ]);
    expect(t.catalog.projectQuotaLimits(PROJECT)).toEqual({ volumes: -1, backups: 4 });
    expect(t.catalog.quotaClassLimits('default')).toEqual({ snapshots: 7 });
    await t.given([event('QuotaLimitsReset', { projectId: PROJECT, resetAt: at(4) })]);
    expect(t.catalog.projectQuotaLimits(PROJECT)).toEqual({});
    expect(t.catalog.quotaClassLimits('default')).toEqual({ snapshots: 7 });
  });

  it('lists the claims whose subject asks for a step: commit when created, release when failed or deleted, none while creating', async () => {
    const failed = backupIdOf(2);
    await t.given([
      ...availableBackup({ backupId: backupIdOf(1) }),
      backupRequested({ backupId: failed }),
      event('BackupFailed', { backupId: failed, reason: 'boom', failedAt: at(12) }),
      backupRequested({ backupId: backupIdOf(3) }),
      reserved(1),
      reserved(2),
      reserved(3),
    ]);
    const due = () => t.catalog.quotaClaimsToSettle().map((c) => [c.claimId, c.subjectStatus]);
    expect(due()).toEqual([
      [claimId(1), 'available'],
      [claimId(2), 'error'],
    ]);
    await t.given([committed(1), released(2), ...backupDeleted(backupIdOf(1))]);
    expect(due()).toEqual([[claimId(1), 'deleted']]);
    await t.given([released(1)]);
    expect(due()).toEqual([]);
  });
});
