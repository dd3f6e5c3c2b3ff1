import {
  at,
  backupCompleted,
  backupIdOf,
  backupRequested,
  backupStarted,
  chunkWritten,
  event,
  GIB,
  meta,
  openTestCatalog,
  VOLUME,
  type TestCatalog,
} from '../testing/catalog-fixtures';
import { jobLeaseStreamId } from '@strata/domain';
import { randomUUID } from 'node:crypto';

const id = backupIdOf(1);
let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

describe('jobs projection', () => {
  it('shows a running backup with its progress and drops it when it completes', async () => {
    await t.given([backupRequested(), backupStarted(id), chunkWritten(id, 1, { writtenAt: at(12) })]);
    expect(t.catalog.listJobs()).toEqual([
      {
        backupId: id,
        kind: 'backup',
        volumeId: VOLUME,
        bytesDone: 512 * 1024 * 1024,
        bytesTotal: GIB,
        objectsDone: 1,
        startedAt: at(10),
        updatedAt: at(12),
        workerId: null,
        leaseExpiresAt: null,
      },
    ]);
    await t.given([backupCompleted(id)]);
    expect(t.catalog.getJob(id)).toBeNull();
  });

  it('shows a running restore until it ends', async () => {
    await t.given([
      backupRequested(),
      backupCompleted(id),
      event('RestoreRequested', { backupId: id, volumeId: 'target', volumeIsNew: true, requestedAt: at(20) }),
    ]);
    expect(t.catalog.getJob(id)).toEqual({
      backupId: id,
      kind: 'restore',
      volumeId: 'target',
      bytesDone: 0,
      bytesTotal: null,
      objectsDone: 0,
      startedAt: at(20),
      updatedAt: at(20),
      workerId: null,
      leaseExpiresAt: null,
    });
    await t.given([event('RestoreCompleted', { backupId: id, volumeId: 'target', bytesWritten: GIB, completedAt: at(21) })]);
    expect(t.catalog.listJobs()).toEqual([]);
  });

  it("takes a restore's size and progress from RestoreProgressed, never moving backwards", async () => {
    const restoring = event('RestoreRequested', { backupId: id, volumeId: 'target', volumeIsNew: true, requestedAt: at(20) });
    const progressed = (bytesDone: number, objectsDone: number, second: number) =>
      event('RestoreProgressed', { backupId: id, volumeId: 'target', bytesDone, bytesTotal: GIB, objectsDone, progressedAt: at(second) });
    await t.given([backupRequested(), backupCompleted(id), restoring, progressed(GIB / 2, 8, 22), progressed(GIB / 4, 4, 23)]);
    expect(t.catalog.getJob(id, 'restore')).toEqual({
      backupId: id,
      kind: 'restore',
      volumeId: 'target',
      bytesDone: GIB / 2,
      bytesTotal: GIB,
      objectsDone: 8,
      startedAt: at(20),
      updatedAt: at(23),
      workerId: null,
      leaseExpiresAt: null,
    });
  });
});

describe('jobs projection: the owning worker', () => {
  const lease = async (type: 'JobLeaseAcquired' | 'JobLeaseRenewed', workerId: string, expiresAt: string) => {
    const subject = { kind: 'backup' as const, id };
    const data =
      type === 'JobLeaseAcquired'
        ? { subject, workerId, expiresAt, acquiredAt: at(11), takenOverFrom: null }
        : { subject, workerId, expiresAt, renewedAt: at(11) };
    const { position } = await t.store.appendToStream(jobLeaseStreamId(subject), [{ id: randomUUID(), type, data, metadata: meta() }]);
    await t.catalog.waitForPosition(position);
  };

  it('shows the worker holding the lease of a running job, and how long it holds it', async () => {
    await t.given([backupRequested(), backupStarted(id)]);
    await lease('JobLeaseAcquired', 'worker-a', at(12));
    expect(t.catalog.getJob(id)).toMatchObject({ workerId: 'worker-a', leaseExpiresAt: at(12) });
    await lease('JobLeaseRenewed', 'worker-a', at(13));
    expect(t.catalog.getJob(id)).toMatchObject({ workerId: 'worker-a', leaseExpiresAt: at(13) });
  });

  it('shows the worker that took over a job after its first worker died', async () => {
    await t.given([backupRequested(), backupStarted(id)]);
    await lease('JobLeaseAcquired', 'worker-a', at(12));
    await lease('JobLeaseAcquired', 'worker-b', at(14));
    expect(t.catalog.getJob(id)).toMatchObject({ workerId: 'worker-b', leaseExpiresAt: at(14) });
  });
});

describe('audit projection', () => {
  it('records every event with its entity, its time and where the log holds it, in log order', async () => {
    await t.given([backupRequested(), backupStarted(id, 11)], meta({ userId: 'alice', requestId: 'req-9', correlationId: 'c-9' }));
    const history = t.catalog.eventsOfEntity('backup', id);
    expect(
      history.map(({ position, type, occurredAt, entityKind, streamId, revision }) => ({
        position,
        type,
        occurredAt,
        entityKind,
        streamId,
        revision,
      })),
    ).toEqual([
      { position: 1n, type: 'BackupRequested', occurredAt: at(10), entityKind: 'backup', streamId: `backup-${id}`, revision: 0n },
      { position: 2n, type: 'BackupStarted', occurredAt: at(11), entityKind: 'backup', streamId: `backup-${id}`, revision: 1n },
    ]);
    // The data, who asked and from which request stay in the log: the audit copies none of them.
    expect(Object.keys(t.catalog.db.prepare('SELECT * FROM audit LIMIT 1').get() as object).sort()).toEqual(
      ['entity_id', 'entity_kind', 'event_id', 'occurred_at', 'position', 'revision', 'stream_id', 'type', 'volume_id'].sort(),
    );
  });

  it('pages an entity history after a position', async () => {
    await t.given([backupRequested(), backupStarted(id), chunkWritten(id, 1), chunkWritten(id, 2)]);
    expect(t.catalog.eventsOfEntity('backup', id, { afterPosition: 1n, limit: 2 }).map((e) => e.position)).toEqual([2n, 3n]);
    expect(t.catalog.eventsOfEntity('volume', VOLUME)).toEqual([]);
  });
});
