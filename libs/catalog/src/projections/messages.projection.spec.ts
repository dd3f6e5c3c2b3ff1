import Database from 'better-sqlite3';
import { migrateCatalog, openCatalogDatabase } from '../schema/catalog-database';
import {
  allScope,
  at,
  backupIdOf,
  backupRequested,
  event,
  meta,
  openTestCatalog,
  OTHER_PROJECT,
  ownScope,
  VOLUME,
  volumeCreated,
  type TestCatalog,
} from '../testing/catalog-fixtures';

let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

const B1 = backupIdOf(1);
const always = { createdSince: '0000-01-01T00:00:00.000Z' };
const page = { scope: ownScope, visibility: always };

describe('messages projection', () => {
  it("derives one message per failure, in the failed resource's project, with the failure event's id", async () => {
    await t.given([volumeCreated(), backupRequested()]);
    await t.given(
      [event('RestoreFailed', { backupId: B1, volumeId: VOLUME, reason: 'object gone', failedAt: at(20) })],
      meta({ requestId: 'req-restore' }),
    );
    const [failure] = t.catalog.eventsOfEntity('backup', B1).filter((e) => e.type === 'RestoreFailed');
    const { rows } = t.catalog.listMessages(page);
    expect(rows).toEqual([
      {
        id: failure.eventId,
        projectId: 'project-1',
        requestId: 'req-restore',
        resourceType: 'VOLUME_BACKUP',
        resourceUuid: B1,
        eventId: 'VOLUME_VOLUME_BACKUP_015_026',
        actionId: '015',
        detailId: '026',
        messageLevel: 'ERROR',
        createdAt: at(20),
      },
    ]);
    expect(t.catalog.listMessages({ ...page, scope: { projectId: OTHER_PROJECT, allProjects: false } }).rows).toEqual([]);
    expect(t.catalog.listMessages({ ...page, scope: allScope }).rows).toHaveLength(1);
  });

  it('hides a deleted message and, by the visibility cut-off, an expired one', async () => {
    await t.given([volumeCreated(), event('VolumeProvisioningFailed', { volumeId: VOLUME, reason: 'disk full', failedAt: at(5) })]);
    const [message] = t.catalog.listMessages(page).rows;
    expect(message.eventId).toBe('VOLUME_VOLUME_008_012');
    expect(t.catalog.getMessage(message.id, ownScope, { createdSince: at(5) })).toEqual(message);
    expect(t.catalog.getMessage(message.id, ownScope, { createdSince: at(6) })).toBeNull();
    expect(t.catalog.listMessages({ ...page, visibility: { createdSince: at(6) } }).rows).toEqual([]);
    await t.given([event('UserMessageDeleted', { messageId: message.id, deletedAt: at(7) })]);
    expect(t.catalog.getMessage(message.id, ownScope, always)).toBeNull();
    expect(t.catalog.listMessages(page).rows).toEqual([]);
  });

  it('filters on exact columns and substrings', async () => {
    await t.given([volumeCreated(), backupRequested()]);
    await t.given([
      event('BackupFailed', { backupId: B1, reason: 'x', failedAt: at(20) }),
      event('VolumeExtendFailed', { volumeId: VOLUME, reason: 'x', failedAt: at(21) }),
    ]);
    const ids = (filters: Record<string, string>) => t.catalog.listMessages({ ...page, filters }).rows.map((m) => m.eventId);
    expect(ids({})).toEqual(['VOLUME_VOLUME_007_010', 'VOLUME_VOLUME_BACKUP_013_020']);
    expect(ids({ resourceType: 'VOLUME' })).toEqual(['VOLUME_VOLUME_007_010']);
    expect(ids({ eventIdLike: 'BACKUP' })).toEqual(['VOLUME_VOLUME_BACKUP_013_020']);
    expect(t.catalog.listMessages({ ...page, sort: [{ key: 'created_at', dir: 'asc' }] }).rows.map((m) => m.createdAt)).toEqual([
      at(20),
      at(21),
    ]);
  });

  it('gives a catalog from before messages the messages of the failures its audit log holds (migration 25)', async () => {
    await t.given([volumeCreated(), event('VolumeProvisioningFailed', { volumeId: VOLUME, reason: 'disk full', failedAt: at(5) })]);
    const [projected] = t.catalog.listMessages(page).rows;
    // A second connection to the same file: the catalog as a Strata from before step 25 left it.
    // Its audit still held who asked and from which request (migration 29 left those to the log).
    const requestIds = new Map<bigint, string | null>();
    for await (const e of t.store.readAll())
      requestIds.set(e.position, typeof e.metadata.requestId === 'string' ? e.metadata.requestId : null);
    const db = openCatalogDatabase(t.path);
    try {
      db.exec('DROP TABLE messages');
      db.exec('ALTER TABLE audit ADD COLUMN request_id TEXT');
      const setRequest = db.prepare('UPDATE audit SET request_id = ? WHERE position = ?');
      for (const [position, requestId] of requestIds) setRequest.run(requestId, position);
      db.pragma('user_version = 24');
    } finally {
      db.close();
    }
    // Brought to step 25 only: a later step empties a catalog that holds rows.
    const reopened = new Database(t.path);
    migrateCatalog(reopened, 25);
    try {
      const row = reopened.prepare('SELECT * FROM messages').get() as Record<string, unknown>;
      expect(row).toMatchObject({
        id: projected.id,
        project_id: 'project-1',
        request_id: 'req-1',
        resource_type: 'VOLUME',
        resource_uuid: VOLUME,
        event_id: 'VOLUME_VOLUME_008_012',
        created_at: at(5),
        deleted_at: null,
      });
    } finally {
      reopened.close();
    }
  });
});
