import { CATALOG, type Catalog } from '@strata/catalog';
import { randomBytes } from 'node:crypto';
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN_DIR } from '../../libs/chunked-driver/src/testing/fixtures';
import { CINDER_RECORD_KEYS, decodeRecordUrl, exportRecord, headOf, importRecord, restoreToNewVolume } from './support/backup-records';
import { cinderEncodeRecords, cinderReencodeRecords } from './support/cinder-record';
import { manageFile } from './support/managed-file';
import { cinderCli, expectOk, parseProperties, requireClients } from './support/openstack-cli';
import { startStrata, startStrataWithTokens, type RunningStrata } from './support/strata-app';

const POSIX = 'cinder.backup.drivers.posix.PosixBackupDriver';
const eventTypes = (strata: RunningStrata, backupId: string) =>
  strata.app
    .get<Catalog>(CATALOG)
    .eventsOfEntity('backup', backupId)
    .map((e) => e.type);
const imageOf = (strata: RunningStrata, volumeId: string) => join(strata.options.volumes_path, `volume-${volumeId}.img`);
const overwrite = (path: string, offset: number, data: Buffer) => {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, data, 0, data.length, offset);
  } finally {
    closeSync(fd);
  }
};

describe('GET …/backups/{id}/export_record and POST …/backups/import_record', () => {
  let source: RunningStrata;
  let target: RunningStrata;
  let full: { id: string };
  let incremental: { id: string };
  let modified: Buffer;

  beforeAll(async () => {
    source = await startStrata();
    // A second Strata with its own (empty) event store, reading the first one's repository.
    target = await startStrata({ STRATA_BACKUP_POSIX_PATH: source.options.backup_posix_path });
    const { volume, path } = await manageFile(source.client, source.managedDir, 3, 'exported');
    full = await source.client.createBackup(volume.id, { name: 'full', description: 'the base' });
    overwrite(path, 1024 * 1024, randomBytes(100 * 1024));
    modified = readFileSync(path);
    incremental = await source.client.createBackup(volume.id, { name: 'incr', incremental: true });
  }, 120_000);
  afterAll(async () => {
    await target?.close();
    await source?.close();
  });

  it("exports exactly what Cinder's encode_record writes for the backup, and records BackupRecordExported", async () => {
    const record = await exportRecord(source.client, full.id);

    expect(record.backup_service).toBe(POSIX);
    const decoded = decodeRecordUrl(record.backup_url);
    expect(Object.keys(decoded)).toEqual(CINDER_RECORD_KEYS);
    expect(decoded).toMatchObject({
      driver_info: {},
      id: full.id,
      status: 'available',
      display_name: 'full',
      display_description: 'the base',
      parent_id: null,
      num_dependent_backups: 1,
      size: 1,
      service: POSIX,
      deleted: false,
      deleted_at: null,
      container: `${full.id.slice(0, 2)}/${full.id.slice(2, 4)}/${full.id}`,
    });
    expect(decoded.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await cinderReencodeRecords([record.backup_url])).toEqual([record.backup_url]);
    expect(eventTypes(source, full.id)).toContain('BackupRecordExported');
  });

  it('imports a chain child first: the child is listed, its restore is refused until the parent is imported, then it restores byte for byte', async () => {
    const incrementalRecord = await exportRecord(source.client, incremental.id);
    const fullRecord = await exportRecord(source.client, full.id);

    const imported = await importRecord(target.client, incrementalRecord);
    expect(imported.status).toBe(201);
    expect(imported.body.backup).toMatchObject({ id: incremental.id, name: 'incr' });
    expect((await target.client.get(`/v3/backups/${incremental.id}`)).body.backup).toMatchObject({
      status: 'available',
      is_incremental: true,
      has_dependent_backups: false,
    });
    expect(await target.client.post(`/v3/backups/${incremental.id}/restore`, { restore: {} })).toMatchObject({
      status: 400,
      body: {
        badRequest: {
          code: 400,
          message: `Invalid backup: Backup ${incremental.id} needs backup ${full.id}, which is not in the catalog: import it first.`,
        },
      },
    });

    expect((await importRecord(target.client, fullRecord)).status).toBe(201);
    expect((await target.client.get(`/v3/backups/${full.id}`)).body.backup).toMatchObject({
      status: 'available',
      has_dependent_backups: true,
    });
    const restored = await restoreToNewVolume(target.client, incremental.id);
    expect(headOf(imageOf(target, restored), modified.length).equals(modified)).toBe(true);
    expect(eventTypes(target, incremental.id).slice(0, 1)).toEqual(['BackupImported']);
  });

  it("refuses an id that exists and is not deleted, with Cinder's message", async () => {
    const record = await exportRecord(source.client, full.id);
    expect(await importRecord(source.client, record)).toMatchObject({
      status: 400,
      body: { badRequest: { code: 400, message: 'Invalid backup: Backup already exists in database.' } },
    });
  });

  it('revives a deleted backup of the same id', async () => {
    const { volume } = await manageFile(source.client, source.managedDir, 1, 'revived');
    const lone = await source.client.createBackup(volume.id, { name: 'lone' });
    const record = await exportRecord(source.client, lone.id);
    expect((await source.client.delete(`/v3/backups/${lone.id}`)).status).toBe(202);
    await source.client.waitFor(`/v3/backups/detail`, (b: any) => !b.backups.some((x: any) => x.id === lone.id));
    // Deleting removed the objects; the revived backup is listed again (a restore would then fail on the objects).
    expect((await importRecord(source.client, record)).status).toBe(201);
    expect((await source.client.get(`/v3/backups/${lone.id}`)).body.backup).toMatchObject({ status: 'available', name: 'lone' });
  });

  it("answers an undecodable record or one without id or size with Cinder's messages", async () => {
    const url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');
    const cases: [string, string][] = [
      ['123456', "Invalid input received: Can't decode backup record."],
      [Buffer.from('{"id": 1').toString('base64'), "Invalid input received: Can't parse backup record."],
      [url({ size: 1 }), 'Invalid input received: Provided backup record is missing an id'],
      [url({ id: full.id }), 'Invalid input received: Provided backup record is missing size attribute'],
    ];
    for (const [backupUrl, message] of cases)
      expect(await importRecord(target.client, { backup_service: POSIX, backup_url: backupUrl })).toMatchObject({
        status: 400,
        body: { badRequest: { code: 400, message } },
      });
    expect((await target.client.post('/v3/backups/import_record', { 'backup-record': { backup_service: POSIX } })).body).toEqual({
      badRequest: {
        code: 400,
        message: `Invalid input for field/attribute backup-record. Value: {'backup_service': '${POSIX}'}. 'backup_url' is a required property`,
      },
    });
  });

  it('imports a record for another driver as an error backup saying so, as Cinder does', async () => {
    const id = 'e0000000-0000-4000-8000-00000000000e';
    const backupUrl = Buffer.from(
      JSON.stringify({ id, size: 1, display_name: 'x', display_description: null, container: 'c', service_metadata: 'p', object_count: 1 }),
    ).toString('base64');
    expect((await importRecord(target.client, { backup_service: 'cinder.backup.drivers.swift', backup_url: backupUrl })).status).toBe(201);
    expect((await target.client.get(`/v3/backups/${id}`)).body.backup).toMatchObject({
      status: 'error',
      fail_reason: 'Import record failed, cannot find backup service to perform the import. Request service cinder.backup.drivers.swift.',
    });
  });
});

describe('records Cinder exported from the golden repository', () => {
  let strata: RunningStrata;
  const rows = JSON.parse(readFileSync(join(GOLDEN_DIR, 'catalog.json'), 'utf8')).backups as Record<string, unknown>[];
  const encryptionKeyId = '6e6e6e6e-3333-4333-8333-000000000003';

  beforeAll(async () => {
    const repository = mkdtempSync(join(tmpdir(), 'strata-golden-repo-'));
    cpSync(join(GOLDEN_DIR, 'repo'), repository, { recursive: true });
    strata = await startStrata({ STRATA_BACKUP_POSIX_PATH: repository });
  }, 60_000);
  afterAll(async () => strata?.close());

  it('imports them in any order, restores both backups byte for byte, and exports them back as Cinder would (encryption key kept)', async () => {
    const urls = await cinderEncodeRecords(rows.map((r) => ({ ...r, encryption_key_id: encryptionKeyId })));
    for (const backupUrl of [...urls].reverse())
      expect((await importRecord(strata.client, { backup_service: POSIX, backup_url: backupUrl })).status).toBe(201);

    for (const row of rows) {
      const restored = await restoreToNewVolume(strata.client, row.id as string);
      const image = readFileSync(join(GOLDEN_DIR, row.image as string));
      expect(headOf(imageOf(strata, restored), image.length).equals(image)).toBe(true);
    }
    const shown = await strata.client.get(`/v3/backups/${rows[0].id}`, { 'OpenStack-API-Version': 'volume 3.64' });
    expect(shown.body.backup).toMatchObject({ encryption_key_id: encryptionKeyId, name: 'golden-full', has_dependent_backups: true });
    const exported = await exportRecord(strata.client, rows[1].id as string);
    expect(decodeRecordUrl(exported.backup_url)).toMatchObject({
      encryption_key_id: encryptionKeyId,
      parent_id: rows[0].id,
      service_metadata: rows[1].service_metadata,
      container: rows[1].container,
      volume_id: rows[1].volume_id,
      object_count: 3,
    });
    expect(await cinderReencodeRecords([exported.backup_url])).toEqual([exported.backup_url]);
  }, 120_000);
});

describe('policy: export and import are admin operations', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrataWithTokens({ 'alice-tok': { user_id: 'alice', project_id: 'p', roles: ['member', 'reader'] } });
  });
  afterAll(async () => strata?.close());

  it("refuses a member with Cinder's policy messages", async () => {
    const alice = strata.client.as({ 'X-Auth-Token': 'alice-tok' });
    expect((await alice.get('/v3/backups/b0000000-0000-4000-8000-000000000001/export_record')).body).toEqual({
      forbidden: { code: 403, message: "Policy doesn't allow backup:export-import to be performed." },
    });
    expect((await importRecord(alice, { backup_service: POSIX, backup_url: 'e30=' })).body).toEqual({
      forbidden: { code: 403, message: "Policy doesn't allow backup:backup-import to be performed." },
    });
  });
});

describe('cinder backup-export and backup-import', () => {
  let source: RunningStrata;
  let target: RunningStrata;
  beforeAll(async () => {
    requireClients();
    source = await startStrata();
    target = await startStrata({ STRATA_BACKUP_POSIX_PATH: source.options.backup_posix_path });
  });
  afterAll(async () => {
    await target?.close();
    await source?.close();
  });

  it('exports with cinder from one Strata and imports with cinder into another', async () => {
    const { volume } = await manageFile(source.client, source.managedDir, 1, 'cli-export');
    const backup = await source.client.createBackup(volume.id, { name: 'cli-b' });

    const exported = parseProperties(expectOk(await cinderCli(source.baseUrl, 'u', 'p').run('backup-export', backup.id)).stdout);
    expect(exported.backup_service).toBe(POSIX);
    expect(decodeRecordUrl(exported.backup_url)).toMatchObject({ id: backup.id, display_name: 'cli-b' });

    const imported = parseProperties(
      expectOk(await cinderCli(target.baseUrl, 'u', 'p').run('backup-import', exported.backup_service, exported.backup_url)).stdout,
    );
    expect(imported).toMatchObject({ id: backup.id, name: 'cli-b' });
    expect((await target.client.get(`/v3/backups/${backup.id}`)).body.backup).toMatchObject({ status: 'available', name: 'cli-b' });
  }, 120_000);
});
