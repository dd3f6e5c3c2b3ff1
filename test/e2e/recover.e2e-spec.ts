import { CATALOG, type Catalog } from '@strata/catalog';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN_DIR } from '../../libs/chunked-driver/src/testing/fixtures';
import { headOf, restoreToNewVolume } from './support/backup-records';
import { manageFile } from './support/managed-file';
import { managedDirOf, startStrata, startStrataWithTokens, type RunningStrata } from './support/strata-app';
import { strataCli } from './support/strata-cli-run';

const imageOf = (strata: RunningStrata, volumeId: string) => join(strata.options.volumes_path, `volume-${volumeId}.img`);
const recover = (strata: RunningStrata, body: unknown = {}) => strata.client.post('/strata/v1/catalog/recover', body);

describe('POST /strata/v1/catalog/recover after the event store is lost', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'strata-recover-'));
  let strata: RunningStrata;
  let full: { id: string; container: string };
  let incremental: { id: string; container: string };
  let modified: Buffer;
  const unfinishedId = 'cccccccc-0000-4000-8000-000000000001';

  beforeAll(async () => {
    const before = await startStrata({}, stateDir);
    const { volume, path } = await manageFile(before.client, before.managedDir, 3, 'lost');
    full = await before.client.createBackup(volume.id, { name: 'r-full', description: 'kept in _metadata' });
    const fd = openSync(path, 'r+');
    writeSync(fd, randomBytes(64 * 1024), 0, 64 * 1024, 32 * 1024);
    closeSync(fd);
    modified = readFileSync(path);
    incremental = await before.client.createBackup(volume.id, { name: 'r-incr', incremental: true });
    await before.close();
    // A backup that died mid-write: a data object, no _metadata.
    const root = before.options.backup_posix_path;
    const unfinished = join(root, 'cc/cc', unfinishedId);
    mkdirSync(unfinished, { recursive: true });
    const [object] = readdirSync(join(root, full.container)).filter((n) => n.endsWith('-00001'));
    copyFileSync(join(root, full.container, object), join(unfinished, `volume_${volume.id}_20261127000000_backup_${unfinishedId}-00001`));
    // The log and the read models are gone; the repository is all that is left.
    rmSync(join(stateDir, 'events.sqlite'));
    rmSync(join(stateDir, 'catalog.sqlite'));
    for (const f of readdirSync(stateDir)) if (/\.sqlite-(wal|shm)$/.test(f)) rmSync(join(stateDir, f));
    strata = await startStrata({}, stateDir);
  }, 120_000);
  afterAll(async () => {
    await strata?.close();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(managedDirOf(stateDir), { recursive: true, force: true });
  });

  it('rebuilds the chain from _metadata, reports the unfinished backup as incomplete, and the chain restores byte for byte', async () => {
    expect((await strata.client.get('/v3/backups')).body.backups).toEqual([]);

    const res = await recover(strata);

    expect(res.status).toBe(200);
    expect(res.body.recovery.repository).toEqual({ driver: 'posix', path: strata.options.backup_posix_path });
    expect(res.body.recovery.recovered.map((b: any) => [b.id, b.name, b.parent_id]).sort()).toEqual(
      [
        [full.id, 'r-full', null],
        [incremental.id, 'r-incr', full.id],
      ].sort(),
    );
    expect(res.body.recovery.incomplete).toEqual([
      {
        id: unfinishedId,
        container: `cc/cc/${unfinishedId}`,
        prefix: expect.stringContaining(unfinishedId),
        data_objects: 1,
        reason: 'no _metadata object: the backup never finished writing',
      },
    ]);
    expect(res.body.recovery.skipped).toEqual([]);
    const listed = (await strata.client.get('/v3/backups/detail')).body.backups;
    expect(listed.map((b: any) => b.id).sort()).toEqual([full.id, incremental.id].sort());
    expect(listed.find((b: any) => b.id === full.id)).toMatchObject({
      status: 'available',
      description: 'kept in _metadata',
      has_dependent_backups: true,
      is_incremental: false,
      size: 1,
    });
    expect(listed.find((b: any) => b.id === incremental.id)).toMatchObject({ status: 'available', is_incremental: true });

    const restored = await restoreToNewVolume(strata.client, incremental.id);
    expect(headOf(imageOf(strata, restored), modified.length).equals(modified)).toBe(true);
  });

  it('is idempotent: recovering again records nothing and skips what the log already has', async () => {
    await recover(strata);
    const catalog = strata.app.get<Catalog>(CATALOG);
    const eventsBefore = catalog.eventsOfEntity('backup', full.id).length;

    const res = await recover(strata);

    expect(res.body.recovery.recovered).toEqual([]);
    expect(res.body.recovery.skipped.map((s: any) => [s.id, s.reason]).sort()).toEqual(
      [
        [full.id, 'already in the catalog'],
        [incremental.id, 'already in the catalog'],
      ].sort(),
    );
    expect(catalog.eventsOfEntity('backup', full.id)).toHaveLength(eventsBefore);
  });

  it('refuses a repository other than the configured one, saying why', async () => {
    const other = mkdtempSync(join(tmpdir(), 'strata-other-repo-'));
    const res = await recover(strata, { repository: { driver: 'posix', path: other } });
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toBe(
      `Invalid backup: Repository ${other} is not the configured backup_posix_path ` +
        `${strata.options.backup_posix_path}: Strata restores only from the configured repository, so point backup_posix_path at it (or recover without a path).`,
    );
    expect((await recover(strata, { repository: { driver: 'swift' } })).status).toBe(400);
  });
});

describe('strata catalog recover on the repository Cinder wrote', () => {
  let strata: RunningStrata;
  let repository: string;
  const rows = JSON.parse(readFileSync(join(GOLDEN_DIR, 'catalog.json'), 'utf8')).backups as Record<string, any>[];

  beforeAll(async () => {
    repository = mkdtempSync(join(tmpdir(), 'strata-golden-recover-'));
    cpSync(join(GOLDEN_DIR, 'repo'), repository, { recursive: true });
    strata = await startStrata({ STRATA_BACKUP_POSIX_PATH: repository });
  });
  afterAll(async () => strata?.close());

  it("recovers Cinder's chain with the strata command; both backups restore byte for byte and the incremental verifies", async () => {
    const out = await strataCli(strata, 'catalog', 'recover', '--repository', repository, '--project', 'project-a');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('recovered 2, incomplete 0, skipped 0');

    for (const row of rows) {
      const shown = (await strata.client.get(`/v3/backups/${row.id}`)).body.backup;
      expect(shown).toMatchObject({
        status: 'available',
        name: row.display_name,
        description: row.display_description,
        volume_id: row.volume_id,
        container: row.container,
        object_count: row.object_count,
        size: 1,
        is_incremental: row.parent_id !== null,
        has_dependent_backups: row.num_dependent_backups > 0,
        created_at: row.created_at,
      });
      const restored = await restoreToNewVolume(strata.client, row.id);
      const image = readFileSync(join(GOLDEN_DIR, row.image));
      expect(headOf(imageOf(strata, restored), image.length).equals(image)).toBe(true);
    }
    const verified = await strataCli(strata, '--json', 'backup', 'verify', rows[1].id);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ result: 'passed', chain: [rows[0].id, rows[1].id] });

    const again = await strataCli(strata, '--json', 'catalog', 'recover');
    expect(JSON.parse(again.stdout)).toMatchObject({ recovered: [], incomplete: [] });
  }, 120_000);
});

describe('recover on a repository holding a _metadata no catalog row can hold', () => {
  it('reports that backup as skipped, saying why, and recovers the others', async () => {
    const repository = mkdtempSync(join(tmpdir(), 'strata-hostile-recover-'));
    cpSync(join(GOLDEN_DIR, 'repo'), repository, { recursive: true });
    // Cinder's full backup again, in its own container, its `_metadata` claiming a backup id that is not a UUID.
    const source = join(repository, '0f/0f/0f0f0f0f-1111-4111-8111-000000000001');
    const hostile = join(repository, 'hh/hh/hostile');
    cpSync(source, hostile, { recursive: true });
    const [metadataFile] = readdirSync(hostile).filter((n) => n.endsWith('_metadata'));
    const metadata = JSON.parse(readFileSync(join(hostile, metadataFile!), 'utf8'));
    writeFileSync(join(hostile, metadataFile!), JSON.stringify({ ...metadata, backup_id: '../../etc' }));
    const strata = await startStrata({ STRATA_BACKUP_POSIX_PATH: repository });
    try {
      const res = await recover(strata);

      expect(res.status).toBe(200);
      expect(res.body.recovery.recovered.map((b: any) => b.id).sort()).toEqual([
        '0f0f0f0f-1111-4111-8111-000000000001',
        '0f0f0f0f-1111-4111-8111-000000000002',
      ]);
      expect(res.body.recovery.skipped).toEqual([
        {
          id: '../../etc',
          container: 'hh/hh/hostile',
          prefix: expect.any(String),
          reason: 'not recoverable: Invalid input received: BackupImported data.backupId must be a lower-case UUID, not "../../etc".',
        },
      ]);
    } finally {
      await strata.close();
      rmSync(repository, { recursive: true, force: true });
    }
  });
});

describe('recover policy', () => {
  it('is an admin operation', async () => {
    const strata = await startStrataWithTokens({ 'alice-tok': { user_id: 'alice', project_id: 'p', roles: ['member', 'reader'] } });
    try {
      expect((await strata.client.as({ 'X-Auth-Token': 'alice-tok' }).post('/strata/v1/catalog/recover', {})).body).toEqual({
        forbidden: { code: 403, message: "Policy doesn't allow strata:recover to be performed." },
      });
    } finally {
      await strata.close();
    }
  });
});
