import { MAX_HISTORY_LINE_BYTES } from '@strata/catalog';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manageFile } from './support/managed-file';
import { strataCli } from './support/strata-cli';
import { startStrata, type RunningStrata } from './support/strata-app';
import type { StrataClient } from './support/strata-client';

const NDJSON = { 'Content-Type': 'application/x-ndjson' };

/** What a catalog shows of its backups, minus the links (they name the host). */
const backupsOf = async (client: StrataClient) =>
  ((await client.get('/v3/backups/detail?all_tenants=True')).body.backups as any[])
    .map(({ links: _links, ...backup }) => backup)
    .sort((a, b) => a.id.localeCompare(b.id));

/** A backup's audited history, minus the positions (each store numbers its own log). */
const historyOf = async (client: StrataClient, backupId: string) =>
  ((await client.get(`/strata/v1/backups/${backupId}/events?limit=1000`)).body.events as any[]).map(({ position: _p, ...e }) => e);

const exportFile = async (strata: RunningStrata, query: string) => {
  const res = await fetch(`${strata.baseUrl}/strata/v1/catalog/export?${query}`, { headers: { 'X-Auth-Token': 'admin:project-a' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
  return res.text();
};

const lines = (file: string) =>
  file
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));

/** A file changed on purpose and given a fresh checksum: only the import's stream check can refuse it. */
const resealed = (eventLines: string[]) => {
  const body = eventLines.map((l) => `${l}\n`).join('');
  return `${body}${JSON.stringify({ sha256: createHash('sha256').update(body).digest('hex'), events: eventLines.length - 1 })}\n`;
};

/**
 * Strata A holds the history: two volumes, a chain full → incremental on the first, a full on the second
 * and a deleted backup. Each other Strata imports from it; all share A's repository so imports restore.
 */
describe('catalog export and import', () => {
  let repository: string;
  let a: RunningStrata;
  let volumeId: string;
  let fullId: string;
  let incrementalId: string;
  let otherFullId: string;
  let allFile: string;
  const others: RunningStrata[] = [];
  const start = async () => {
    const strata = await startStrata({ STRATA_BACKUP_POSIX_PATH: repository });
    others.push(strata);
    return strata;
  };

  beforeAll(async () => {
    repository = mkdtempSync(join(tmpdir(), 'strata-shared-repo-'));
    a = await startStrata({ STRATA_BACKUP_POSIX_PATH: repository });
    volumeId = (await manageFile(a.client, a.managedDir, 1, 'vol-1')).volume.id;
    const otherVolumeId = (await manageFile(a.client.as({ 'X-Auth-Token': 'bob:project-b' }), a.managedDir, 1, 'vol-2')).volume.id;
    fullId = (await a.client.createBackup(volumeId, { name: 'full' })).id;
    incrementalId = (await a.client.createBackup(volumeId, { name: 'incr', incremental: true })).id;
    otherFullId = (await a.client.as({ 'X-Auth-Token': 'bob:project-b' }).createBackup(otherVolumeId, { name: 'bob-full' })).id;
    const doomed = (await a.client.createBackup(otherVolumeId, { name: 'doomed' })).id;
    await a.client.waitFor(`/v3/volumes/${otherVolumeId}`, (b: any) => b.volume.status === 'available');
    expect((await a.client.delete(`/v3/backups/${doomed}`)).status).toBe(202);
    await a.client.waitFor('/v3/backups/detail?all_tenants=True', (b: any) => b.backups.length === 3);
    allFile = await exportFile(a, 'all=true');
  }, 120_000);
  afterAll(async () => {
    for (const strata of [a, ...others]) await strata?.close();
    rmSync(repository, { recursive: true, force: true });
  });

  describe('GET /strata/v1/catalog/export', () => {
    it('writes a versioned header, every event in log order and a checksum line', async () => {
      const [header, ...rest] = lines(allFile);
      const trailer = rest.pop();
      expect(header).toMatchObject({ format: 'strata-catalog', version: 1, selection: { all: true } });
      expect(rest.map((e) => e.position)).toEqual([...rest.map((e) => e.position)].sort((x, y) => x - y));
      expect(new Set(rest.map((e) => e.streamId.split('-')[0]))).toEqual(new Set(['volume', 'backup']));
      const covered = allFile.slice(0, allFile.lastIndexOf('{"sha256"'));
      expect(trailer).toEqual({ sha256: createHash('sha256').update(covered).digest('hex'), events: rest.length });
    });

    it('carries a chosen incremental with its parent chain and its volume, nothing else', async () => {
      const events = lines(await exportFile(a, `backup_id=${incrementalId}`)).slice(1, -1);
      expect(new Set(events.map((e) => e.streamId))).toEqual(
        new Set([`backup-${incrementalId}`, `backup-${fullId}`, `volume-${volumeId}`]),
      );
    });

    it('refuses an unknown backup and an unclear selection', async () => {
      expect((await a.client.get('/strata/v1/catalog/export?backup_id=nope')).body).toEqual({
        itemNotFound: { code: 404, message: 'Backup nope could not be found.' },
      });
      expect((await a.client.get('/strata/v1/catalog/export')).status).toBe(400);
      expect((await a.client.get(`/strata/v1/catalog/export?all=true&backup_id=${fullId}`)).status).toBe(400);
    });
  });

  describe('POST /strata/v1/catalog/import', () => {
    it('rebuilds the same catalog in an empty store, keeping times and authors; a second import adds nothing', async () => {
      const b = await start();
      const first = await b.client.post('/strata/v1/catalog/import', allFile, NDJSON);
      const eventCount = lines(allFile).length - 2;
      // Every store records the same __DEFAULT__ volume type at its first start: that one event is already there.
      expect(first).toMatchObject({
        status: 200,
        body: { import: { events: eventCount, appended: eventCount - 1, already_present: 1, version: 1 } },
      });
      expect(await backupsOf(b.client)).toEqual(await backupsOf(a.client));
      expect(await historyOf(b.client, incrementalId)).toEqual(await historyOf(a.client, incrementalId));
      expect((await historyOf(b.client, fullId))[0]).toMatchObject({ user_id: 'admin', project_id: 'project-a' });

      const again = await b.client.post('/strata/v1/catalog/import', allFile, NDJSON);
      expect(again.body.import).toMatchObject({ appended: 0, already_present: eventCount });
      expect(await backupsOf(b.client)).toEqual(await backupsOf(a.client));
    });

    it('adds to a populated store, and the imported chain restores and takes new incrementals', async () => {
      const c = await start();
      const ownVolume = (await manageFile(c.client, c.managedDir, 1, 'own')).volume.id;
      const own = await c.client.createBackup(ownVolume, { name: 'own' });
      const res = await c.client.post('/strata/v1/catalog/import', await exportFile(a, `backup_id=${incrementalId}`), NDJSON);
      expect(res.status).toBe(200);
      const imported = await backupsOf(c.client);
      expect(imported.map((x) => x.id).sort()).toEqual([own.id, fullId, incrementalId].sort());
      const all = await backupsOf(a.client);
      for (const id of [fullId, incrementalId]) expect(imported.find((x) => x.id === id)).toEqual(all.find((x) => x.id === id));
      expect(imported.find((x) => x.id === fullId)).toMatchObject({ has_dependent_backups: true, status: 'available' });

      const restore = await c.client.post(`/v3/backups/${incrementalId}/restore`, { restore: { volume_id: volumeId } });
      expect(restore.status).toBe(202);
      await c.client.waitFor(`/v3/backups/${incrementalId}`, (b: any) => b.backup.status === 'available');
      await c.client.waitFor(`/v3/volumes/${volumeId}`, (b: any) => b.volume.status === 'available');
      const next = await c.client.createBackup(volumeId, { name: 'next', incremental: true });
      expect(next).toMatchObject({ status: 'available', is_incremental: true });
      expect((await historyOf(c.client, next.id))[0].data.parentId).toBe(incrementalId);
    });

    it('refuses a stream that holds other events, writing nothing', async () => {
      const d = await start();
      await d.client.post('/strata/v1/catalog/import', await exportFile(a, `backup_id=${fullId}`), NDJSON);
      const head = (await d.client.get('/strata/v1/events?limit=1000')).body.events.length;
      const original = allFile.trimEnd().split('\n').slice(0, -1);
      const forked = original.map((line) => {
        const e = JSON.parse(line);
        return e.streamId === `backup-${fullId}` && e.revision === 1
          ? JSON.stringify({ ...e, id: '00000000-0000-4000-8000-00000000f0e4' })
          : line;
      });
      const res = await d.client.post('/strata/v1/catalog/import', resealed(forked), NDJSON);
      expect(res.status).toBe(409);
      expect(res.body.conflictingRequest.message).toBe(
        `Cannot import: stream backup-${fullId} already holds other events (revision 1 is event ` +
          `${lines(allFile).find((e) => e.streamId === `backup-${fullId}` && e.revision === 1).id} here, ` +
          '00000000-0000-4000-8000-00000000f0e4 in the file); nothing was imported.',
      );
      expect((await d.client.get('/strata/v1/events?limit=1000')).body.events).toHaveLength(head);
      expect((await d.client.get(`/v3/backups/${otherFullId}`)).status).toBe(404);
    });

    it('refuses a damaged, truncated or foreign file, and a body that is not NDJSON', async () => {
      const d = await start();
      const before = (await d.client.get('/strata/v1/events')).body.events;
      const damaged = allFile.replace('"name":"full"', '"name":"fall"');
      expect((await d.client.post('/strata/v1/catalog/import', damaged, NDJSON)).body.badRequest.message).toMatch(
        /^Invalid catalog file: checksum mismatch/,
      );
      const truncated = allFile.slice(0, allFile.lastIndexOf('{"sha256"'));
      expect((await d.client.post('/strata/v1/catalog/import', truncated, NDJSON)).body.badRequest.message).toBe(
        'Invalid catalog file: the checksum line is missing: the file is truncated',
      );
      expect((await d.client.post('/strata/v1/catalog/import', '{"format":"tarball"}\n', NDJSON)).body.badRequest.message).toBe(
        'Invalid catalog file (line 1): the first line must name format "strata-catalog"',
      );
      expect((await d.client.post('/strata/v1/catalog/import', allFile, { 'Content-Type': 'text/plain' })).status).toBe(415);
      expect((await d.client.get('/strata/v1/events')).body.events).toEqual(before);
    });

    it('refuses a line longer than any event can be once it has read that much, not after holding all of it', async () => {
      const d = await start();
      const before = (await d.client.get('/strata/v1/events')).body.events;
      // A header, then bytes with no line break (an image uploaded by mistake), streamed: never whole in memory here.
      const header = `${allFile.slice(0, allFile.indexOf('\n'))}\n`;
      const piece = Buffer.alloc(1 << 20, 'x');
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(Buffer.from(header));
          if (sent > MAX_HISTORY_LINE_BYTES) return controller.close();
          controller.enqueue(piece);
          sent += piece.length;
        },
      });
      const res = await fetch(`${d.baseUrl}/strata/v1/catalog/import`, {
        method: 'POST',
        headers: { ...NDJSON, 'X-Auth-Token': 'admin:project-a' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { badRequest: { message: string } }).badRequest.message).toBe(
        `Invalid catalog file (line 2): a line longer than ${MAX_HISTORY_LINE_BYTES} bytes, the most any event Strata records can take`,
      );
      expect((await d.client.get('/strata/v1/events')).body.events).toEqual(before);
      expect((await d.client.get('/readyz')).body.status).toBe('ready');
    });

    it('refuses a well-formed file (valid checksum) holding an event no read model could store, naming line and field', async () => {
      const d = await start();
      const before = (await d.client.get('/strata/v1/events')).body.events;
      const original = allFile.trimEnd().split('\n').slice(0, -1);
      const badLine = original.findIndex((line) => line.includes('"type":"VolumeCreated"'));
      const hostile = original.map((line, i) => (i === badLine ? line.replace(/"sizeGb":\d+/, '"sizeGb":9223372036854775808') : line));

      const res = await d.client.post('/strata/v1/catalog/import', resealed(hostile), NDJSON);

      expect(res.status).toBe(400);
      expect(res.body.badRequest.message).toBe(
        `Invalid catalog file (line ${badLine + 1}): VolumeCreated data.sizeGb must be at most 2147483647, not ${2 ** 63}`,
      );
      expect((await d.client.get('/strata/v1/events')).body.events).toEqual(before);
      expect((await d.client.get('/readyz')).body.status).toBe('ready');
    });
  });

  describe('the strata command', () => {
    it('exports to a file and imports it, by backup name or everything', async () => {
      const e = await start();
      const dir = mkdtempSync(join(tmpdir(), 'strata-cli-export-'));
      const file = join(dir, 'catalog.ndjson');
      const chain = join(dir, 'chain.ndjson');
      try {
        expect((await strataCli(a, 'admin:project-a', 'catalog', 'export', '--all', '--output', file)).code).toBe(0);
        expect(readFileSync(file, 'utf8')).toBe(
          allFile
            .replace(/"exportedAt":"[^"]+"/, readFileSync(file, 'utf8').match(/"exportedAt":"[^"]+"/)![0])
            .replace(/{"sha256":"[0-9a-f]+"/, readFileSync(file, 'utf8').match(/{"sha256":"[0-9a-f]+"/)![0]),
        );
        expect((await strataCli(a, 'admin:project-a', 'catalog', 'export', '--backup', 'incr', '--output', chain)).code).toBe(0);
        expect(lines(readFileSync(chain, 'utf8'))[0].selection).toEqual({ backupIds: [incrementalId] });

        const imported = await strataCli(e, 'admin:project-a', '--json', 'catalog', 'import', file);
        expect(imported.code).toBe(0);
        expect(JSON.parse(imported.stdout)).toMatchObject({ appended: lines(allFile).length - 3, already_present: 1 });
        expect(await backupsOf(e.client)).toEqual(await backupsOf(a.client));
        writeFileSync(file, 'not a catalog\n');
        expect(await strataCli(e, 'admin:project-a', 'catalog', 'import', file)).toMatchObject({
          code: 1,
          stderr: 'Invalid catalog file (line 1): not a JSON line (HTTP 400)',
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
