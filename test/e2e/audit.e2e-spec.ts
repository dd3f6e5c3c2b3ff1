import { manageFile } from './support/managed-file';
import { strataCli } from './support/strata-cli';
import { startStrataWithTokens, type RunningStrata } from './support/strata-app';

const tokens = {
  'admin-tok': { user_id: 'root', project_id: 'ops', roles: ['admin'] },
  'admin-a-tok': { user_id: 'root', project_id: 'project-a', roles: ['admin'] },
  'alice-tok': { user_id: 'alice', project_id: 'project-a', roles: ['member', 'reader'] },
  'bob-tok': { user_id: 'bob', project_id: 'project-b', roles: ['member', 'reader'] },
};
const REQUEST_ID = 'req-0a0b0c0d-0000-4000-8000-000000000001';
const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/**
 * One story for every audit route: alice backs a volume up (full, then an incremental), the catalog is
 * captured at that moment, and then the incremental is deleted.
 */
describe('/strata/v1 audit routes and `strata audit`', () => {
  let strata: RunningStrata;
  const as = (token: string) => strata.client.as({ 'X-Auth-Token': token });
  let volumeId: string;
  let fullId: string;
  let incrementalId: string;
  let afterFull: string;
  let beforeDelete: string;
  let detailBeforeDelete: any[];

  beforeAll(async () => {
    strata = await startStrataWithTokens(tokens);
    const alice = as('alice-tok');
    // A small file volume (one object per backup), registered by an admin of alice's project.
    volumeId = (await manageFile(as('admin-a-tok'), strata.managedDir, 1, 'audited-vol')).volume.id;
    const created = await alice.post(
      '/v3/backups',
      { backup: { volume_id: volumeId, name: 'full' } },
      { 'X-OpenStack-Request-ID': REQUEST_ID },
    );
    fullId = created.body.backup.id;
    await alice.waitFor(`/v3/backups/${fullId}`, (b: any) => b.backup.status === 'available');
    afterFull = new Date().toISOString();
    incrementalId = (await alice.createBackup(volumeId, { name: 'incr', incremental: true })).id;
    await alice.waitFor(`/v3/volumes/${volumeId}`, (b: any) => b.volume.status === 'available');
    beforeDelete = new Date().toISOString();
    detailBeforeDelete = (await alice.get('/v3/backups/detail')).body.backups;
    expect((await alice.delete(`/v3/backups/${incrementalId}`)).status).toBe(202);
    await alice.waitFor('/v3/backups/detail', (b: any) => b.backups.length === 1);
  }, 120_000);
  afterAll(async () => strata?.close());

  describe('GET /strata/v1/backups/{id}/events', () => {
    it('gives the whole history with what, when, who and from which request', async () => {
      const res = await as('alice-tok').get(`/strata/v1/backups/${fullId}/events`);
      expect(res.status).toBe(200);
      const { events } = res.body;
      // The incremental taken later links itself on its parent's stream (BackupChildAdded).
      expect(events.map((e: any) => e.type)).toEqual([
        'BackupRequested',
        'BackupStarted',
        'ChunkWritten',
        'BackupCompleted',
        'BackupChildAdded',
      ]);
      expect(events.map((e: any) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect(events[0]).toMatchObject({
        stream_id: `backup-${fullId}`,
        entity_kind: 'backup',
        entity_id: fullId,
        user_id: 'alice',
        project_id: 'project-a',
        correlation_id: REQUEST_ID,
        data: { backupId: fullId, volumeId, name: 'full', incremental: false },
      });
      expect(events[0].request_id).toMatch(/^req-/);
      expect(events[0].occurred_at <= afterFull).toBe(true);
      expect(Number.isInteger(events[0].position) && events[3].position > events[0].position).toBe(true);
      // The worker's events carry the request that caused them.
      for (const e of events.slice(1, 4)) expect(e).toMatchObject({ correlation_id: REQUEST_ID, user_id: 'alice' });
      expect(events[4]).toMatchObject({ user_id: 'alice', data: { backupId: fullId, childId: incrementalId } });
    });

    it('keeps the history of a deleted backup', async () => {
      const { body } = await as('alice-tok').get(`/strata/v1/backups/${incrementalId}/events`);
      expect(body.events.map((e: any) => e.type).slice(-2)).toEqual(['BackupDeletionRequested', 'BackupDeleted']);
      expect(body.events[0].data).toMatchObject({ parentId: fullId, incremental: true });
    });

    it("answers 404 for another project's backup, and shows it to an admin", async () => {
      const bob = await as('bob-tok').get(`/strata/v1/backups/${fullId}/events`);
      expect(bob).toMatchObject({ status: 404, body: { itemNotFound: { code: 404, message: `Backup ${fullId} could not be found.` } } });
      const admin = await as('admin-tok').get(`/strata/v1/backups/${fullId}/events`);
      expect(admin.body.events).toHaveLength(5);
    });

    it('pages with limit and a next link after the last position', async () => {
      const first = await as('alice-tok').get(`/strata/v1/backups/${fullId}/events?limit=3`);
      expect(first.body.events).toHaveLength(3);
      const next = new URL(first.body.events_links[0].href);
      expect(next.searchParams.get('after_position')).toBe(String(first.body.events[2].position));
      const second = await as('alice-tok').get(`${next.pathname}${next.search}`);
      expect(second.body.events.map((e: any) => e.type)).toEqual(['BackupCompleted', 'BackupChildAdded']);
      expect(second.body.events_links).toBeUndefined();
    });
  });

  describe('GET /strata/v1/events', () => {
    it('is for admins only', async () => {
      const res = await as('alice-tok').get('/strata/v1/events');
      expect(res).toMatchObject({
        status: 403,
        body: { forbidden: { code: 403, message: "Policy doesn't allow strata:audit to be performed." } },
      });
    });

    it('filters by type (repeatable) and project', async () => {
      const res = await as('admin-tok').get('/strata/v1/events?type=BackupRequested&type=BackupDeleted&project_id=project-a');
      expect(res.body.events.map((e: any) => [e.type, e.entity_id])).toEqual([
        ['BackupRequested', fullId],
        ['BackupRequested', incrementalId],
        ['BackupDeleted', incrementalId],
      ]);
      expect((await as('admin-tok').get('/strata/v1/events?project_id=project-b')).body.events).toEqual([]);
    });

    it('filters by time range and volume', async () => {
      const res = await as('admin-tok').get(`/strata/v1/events?since=${afterFull}&until=${beforeDelete}&volume_id=${volumeId}`);
      const types = res.body.events.map((e: any) => e.type);
      expect(types).toContain('VolumeBackupStarted');
      // The incremental, and its link on the full backup's stream.
      expect(new Set(res.body.events.filter((e: any) => e.entity_kind === 'backup').map((e: any) => e.entity_id))).toEqual(
        new Set([incrementalId, fullId]),
      );
      expect(res.body.events.filter((e: any) => e.entity_id === fullId).map((e: any) => e.type)).toEqual(['BackupChildAdded']);
      expect(types).not.toContain('BackupDeleted');
      for (const e of res.body.events) expect(e.occurred_at >= afterFull && e.occurred_at <= beforeDelete).toBe(true);
    });

    it('pages through the whole log with limit and the next link', async () => {
      const all = (await as('admin-tok').get('/strata/v1/events?limit=1000')).body.events;
      const seen: any[] = [];
      let path: string | null = '/strata/v1/events?limit=5';
      while (path) {
        const page: any = (await as('admin-tok').get(path)).body;
        seen.push(...page.events);
        path = page.events_links ? new URL(page.events_links[0].href).pathname + new URL(page.events_links[0].href).search : null;
      }
      expect(seen).toEqual(all);
      expect(all.length).toBeGreaterThan(10);
    });

    it('refuses a bad time or an unknown filter with a Cinder fault', async () => {
      expect(await as('admin-tok').get('/strata/v1/events?since=yesterday')).toMatchObject({
        status: 400,
        body: { badRequest: { code: 400, message: "since must be an ISO 8601 time such as 2026-11-27T10:00:00Z, got 'yesterday'." } },
      });
      expect((await as('admin-tok').get('/strata/v1/events?colour=red')).status).toBe(400);
    });
  });

  describe('GET /strata/v1/backups?as_of=', () => {
    it('shows the backups as /v3/backups/detail showed them at that time', async () => {
      const res = await as('alice-tok').get(`/strata/v1/backups?as_of=${beforeDelete}`);
      expect(res.status).toBe(200);
      expect(res.body.as_of).toBe(beforeDelete);
      expect([...res.body.backups].sort(byId)).toEqual([...detailBeforeDelete].sort(byId));
      expect(res.body.backups.find((b: any) => b.id === fullId)).toMatchObject({ has_dependent_backups: true });
    });

    it('replays only what had happened by then', async () => {
      const before = await as('alice-tok').get(`/strata/v1/backups?as_of=${afterFull}`);
      expect(before.body.backups.map((b: any) => [b.id, b.status, b.has_dependent_backups])).toEqual([[fullId, 'available', false]]);
      const now = await as('alice-tok').get(`/strata/v1/backups?as_of=${new Date().toISOString()}`);
      expect(now.body.backups.map((b: any) => [b.id, b.has_dependent_backups])).toEqual([[fullId, false]]);
      expect((await as('alice-tok').get('/strata/v1/backups?as_of=2000-01-01T00:00:00Z')).body.backups).toEqual([]);
    });

    it('is project-scoped; an admin sees all projects with all_tenants', async () => {
      expect((await as('bob-tok').get(`/strata/v1/backups?as_of=${beforeDelete}`)).body.backups).toEqual([]);
      const admin = await as('admin-tok').get(`/strata/v1/backups?as_of=${beforeDelete}&all_tenants=True`);
      expect(admin.body.backups.map((b: any) => b.id).sort()).toEqual([fullId, incrementalId].sort());
    });

    it('needs a valid as_of', async () => {
      expect(await as('alice-tok').get('/strata/v1/backups')).toMatchObject({ status: 400, body: { badRequest: { code: 400 } } });
      expect((await as('alice-tok').get('/strata/v1/backups?as_of=soon')).status).toBe(400);
    });
  });

  describe('the admin-only catalog routes', () => {
    it('refuse a member with the policy that says no', async () => {
      const alice = as('alice-tok');
      expect((await alice.get('/strata/v1/catalog/export?all=true')).body).toEqual({
        forbidden: { code: 403, message: "Policy doesn't allow strata:catalog_export to be performed." },
      });
      expect((await alice.post('/strata/v1/catalog/import', '{}\n', { 'Content-Type': 'application/x-ndjson' })).body).toEqual({
        forbidden: { code: 403, message: "Policy doesn't allow strata:catalog_import to be performed." },
      });
      expect((await alice.post('/strata/v1/catalog/rebuild', {})).body).toEqual({
        forbidden: { code: 403, message: "Policy doesn't allow strata:catalog_rebuild to be performed." },
      });
      expect(await strataCli(strata, 'alice-tok', 'catalog', 'rebuild')).toMatchObject({
        code: 1,
        stderr: "Policy doesn't allow strata:catalog_rebuild to be performed. (HTTP 403)",
      });
    });
  });

  describe('the strata command', () => {
    it('prints a backup history as a table, also for `backup events`', async () => {
      const res = await strataCli(strata, 'alice-tok', 'audit', 'backup', 'full');
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/\| BackupRequested +\| backup +\| [0-9a-f-]+ +\| alice +\| project-a +\| req-/);
      const same = await strataCli(strata, 'alice-tok', '--json', 'backup', 'events', incrementalId);
      expect(
        JSON.parse(same.stdout)
          .map((e: any) => e.type)
          .at(-1),
      ).toBe('BackupDeleted');
    });

    it('prints the filtered log as JSON', async () => {
      const res = await strataCli(
        strata,
        'admin-tok',
        '--json',
        'audit',
        'events',
        '--type',
        'BackupRequested',
        '--type',
        'BackupCompleted',
        '--project',
        'project-a',
        '--since',
        afterFull,
      );
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout).map((e: any) => [e.type, e.entity_id])).toEqual([
        ['BackupRequested', incrementalId],
        ['BackupCompleted', incrementalId],
      ]);
      const refused = await strataCli(strata, 'alice-tok', 'audit', 'events');
      expect(refused).toMatchObject({ code: 1, stderr: "Policy doesn't allow strata:audit to be performed. (HTTP 403)" });
    });

    it('prints the catalog as of a time', async () => {
      const res = await strataCli(strata, 'alice-tok', 'audit', 'as-of', beforeDelete);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(incrementalId);
      expect(res.stdout).toMatch(new RegExp(`\\| ${fullId} \\| full +\\| available \\| 1 +\\| false +\\| true `));
    });
  });
});
