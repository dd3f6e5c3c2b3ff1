import { backupIdOf, meta } from '@strata/catalog/testing/catalog-fixtures';
import { quotaClaimId, type QuotaLimits } from '@strata/domain';
import { openMemoryEventStore } from '@strata/event-store';
import { spyOnReads } from '@strata/event-store/testing/read-spy';
import { backupQuotaAmounts, claimQuota, settleQuotaClaim } from './quota-claim';
import { killableRecorder } from './testing/killable-recorder';

const unlimited: QuotaLimits = { volumes: -1, gigabytes: -1, snapshots: -1, backups: -1, backup_gigabytes: -1 };

describe("a project's quota claims, however long its history", () => {
  it('reads as few of the quota stream’s events for the 300th backup as for the 3rd, and still decides on all of them', async () => {
    const inner = openMemoryEventStore();
    const { store, reads } = spyOnReads(inner);
    const eventsRead = () => reads.reduce((events, read) => events + read.events, 0);
    const recorder = killableRecorder(store, meta());
    // One backup's claim as its workflow makes it: reserved by the api, the same step again by the worker, committed at the end.
    const backup = async (n: number) => {
      const before = eventsRead();
      const subject = { kind: 'backup' as const, id: backupIdOf(n) };
      const request = { projectId: 'p-1', subject, amounts: backupQuotaAmounts(1), defaults: unlimited, now: '2026-12-07T00:00:00Z' };
      expect((await claimQuota(recorder, request)).accepted).toBe(true);
      expect((await claimQuota(recorder, request)).accepted).toBe(true);
      await settleQuotaClaim(recorder, 'p-1', quotaClaimId(subject), 'commit', request.now);
      return eventsRead() - before;
    };

    const read: number[] = [];
    for (let n = 1; n <= 300; n++) read.push(await backup(n));

    // Each step reads the stream from the event its last fold ended at: a few events, not the whole stream.
    expect(read[2]).toBeLessThanOrEqual(6);
    expect(read[299]).toBe(read[2]);
    const limited: QuotaLimits = { ...unlimited, backups: 300 };
    const over = await claimQuota(recorder, {
      projectId: 'p-1',
      subject: { kind: 'backup', id: backupIdOf(301) },
      amounts: backupQuotaAmounts(1),
      defaults: limited,
      now: '2026-12-07T00:00:00Z',
    });
    expect(over.accepted).toBe(false);
    await inner.close();
  });
});
