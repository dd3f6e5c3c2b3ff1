import type { StrataEvent } from '@strata/domain';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dumpCatalog, rebuildCatalog } from './rebuild';
import { openCatalogDatabase } from './schema/catalog-database';
import {
  allScope,
  append,
  at,
  availableBackup,
  backupDeleted,
  backupIdOf,
  backupRequested,
  event,
  OTHER_PROJECT,
  openTestCatalog,
  volumeCreated,
  volumeProvisioned,
  type TestCatalog,
} from './testing/catalog-fixtures';

/** A seeded generator, so the catalog is the same on every run. */
const seeded = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

/**
 * A few hundred backups on a dozen volumes in two projects: chains of incrementals, failures,
 * deletions, renames and restores, so every projection has rows to compare.
 */
const history = (backups: number): StrataEvent[] => {
  const random = seeded(42);
  const events: StrataEvent[] = [];
  const volumes = Array.from({ length: 12 }, (_, i) => `a0000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  volumes.forEach((volumeId, i) =>
    events.push(volumeCreated({ volumeId, projectId: i % 3 ? 'project-1' : OTHER_PROJECT }), volumeProvisioned(volumeId)),
  );
  const newest = new Map<string, string>();
  for (let n = 1; n <= backups; n++) {
    const backupId = backupIdOf(n);
    const v = Math.floor(random() * volumes.length);
    const volumeId = volumes[v]!;
    const parentId = newest.get(volumeId) ?? null;
    const base = {
      backupId,
      volumeId,
      parentId,
      incremental: parentId !== null,
      createdAt: at(n),
      projectId: v % 3 ? 'project-1' : OTHER_PROJECT,
    };
    const roll = random();
    if (roll < 0.1) {
      events.push(backupRequested(base), event('BackupFailed', { backupId, reason: `failure ${n}`, failedAt: at(n + 1) }));
    } else if (roll < 0.15) {
      events.push(backupRequested(base));
    } else {
      events.push(...availableBackup(base));
      newest.set(volumeId, backupId);
      if (roll > 0.9)
        events.push(event('BackupUpdated', { backupId, name: `renamed ${n}`, metadata: { n: String(n) }, updatedAt: at(n + 2) }));
      if (roll > 0.95) events.push(event('RestoreRequested', { backupId, volumeId, volumeIsNew: false, requestedAt: at(n + 3) }));
    }
    if (roll < 0.05 && parentId === null) events.push(...backupDeleted(backupId, n + 4));
  }
  return events;
};

let t: TestCatalog;
let dir: string;
beforeEach(() => {
  t = openTestCatalog({ pageSize: 97, batchSize: 64 });
  dir = mkdtempSync(join(tmpdir(), 'strata-rebuild-'));
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rebuildCatalog', () => {
  it('replays the log into rows identical to the live catalog (300 backups)', async () => {
    // Appended while the runner follows live, in many small batches.
    const head = await append(t.store, history(300));
    await t.catalog.waitForPosition(head, 20_000);
    const live = dumpCatalog(t.catalog.db);
    expect(live.backups.length).toBeGreaterThan(250);

    const path = join(dir, 'rebuilt.db');
    expect(await rebuildCatalog(t.store, path)).toEqual({ position: head });
    const db = openCatalogDatabase(path);
    try {
      expect(dumpCatalog(db)).toEqual(live);
    } finally {
      db.close();
    }
  });

  it('drops what a file held before and rebuilds it in place', async () => {
    const head = await append(t.store, history(50));
    await t.catalog.waitForPosition(head);
    const live = dumpCatalog(t.catalog.db);
    await t.catalog.stop();
    t.catalog.db.exec("UPDATE backups SET status = 'corrupted'; DELETE FROM volumes");

    await rebuildCatalog(t.store, t.path);
    expect(dumpCatalog(t.catalog.db)).toEqual(live);
  });

  it('rebuilds a running catalog through its facade', async () => {
    const head = await append(t.store, history(50));
    await t.catalog.waitForPosition(head);
    const live = dumpCatalog(t.catalog.db);
    t.catalog.db.exec('DELETE FROM backup_children');

    expect(await t.catalog.rebuild()).toBe(head);
    expect(dumpCatalog(t.catalog.db)).toEqual(live);
  });

  it('keeps answering while it rebuilds beside the live file, and hands waiting readers to the rebuilt catalog', async () => {
    const head = await append(t.store, history(200));
    await t.catalog.waitForPosition(head, 20_000);
    const live = dumpCatalog(t.catalog.db);
    const liveCount = t.catalog.listBackups({ scope: allScope, limit: null }).total;

    const rebuilding = t.catalog.rebuild();
    expect(t.catalog.listBackups({ scope: allScope, limit: null }).total).toBe(liveCount);
    const later = await append(t.store, [backupRequested({ backupId: backupIdOf(999), createdAt: at(999) })]);
    const waited = t.catalog.waitForPosition(later);
    expect(t.catalog.rebuild()).toBe(rebuilding);

    expect(await rebuilding).toBeGreaterThanOrEqual(head);
    await waited;
    expect(t.catalog.getBackup(backupIdOf(999), allScope)).toMatchObject({ status: 'creating' });
    const after = dumpCatalog(t.catalog.db);
    expect(after.volumes).toEqual(live.volumes);
    expect(after.backups.filter((row) => row.id !== backupIdOf(999))).toEqual(live.backups);
  });
});
