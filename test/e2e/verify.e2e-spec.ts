import { CATALOG, type Catalog } from '@strata/catalog';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manageFile } from './support/managed-file';
import { managedDirOf, startStrata, startStrataWithTokens, type RunningStrata } from './support/strata-app';
import { strataCli } from './support/strata-cli-run';

const dataObjectsOf = (strata: RunningStrata, backup: { id: string; container: string }) => {
  const dir = join(strata.options.backup_posix_path, backup.container);
  return readdirSync(dir)
    .filter((n) => /-\d{5}$/.test(n))
    .map((n) => ({ name: n, path: join(dir, n) }));
};
const flipByte = (path: string, offset: number) => {
  const fd = openSync(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, offset);
    b[0] ^= 0xff;
    writeSync(fd, b, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
};
const eventTypes = (strata: RunningStrata, backupId: string) =>
  strata.app
    .get<Catalog>(CATALOG)
    .eventsOfEntity('backup', backupId)
    .map((e) => e.type);
/** The repository's files with size and modification time: verifying must leave them as they were. */
const snapshotOf = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const p = join(e.parentPath, e.name);
      const s = statSync(p);
      return `${p} ${s.size} ${s.mtimeMs}`;
    })
    .sort();

describe('POST /strata/v1/backups/{id}/verify', () => {
  let strata: RunningStrata;
  /** Strata's verification facts appear in Cinder's view only when asked for. */
  const STRATA_ATTRIBUTES = { 'X-Auth-Token': 'admin:project-a', 'X-Strata-Attributes': 'verification' };
  const verified = (backupId: string, verificationId: string) =>
    strata.client
      .as(STRATA_ATTRIBUTES)
      .waitFor(
        `/v3/backups/${backupId}`,
        (b: any) =>
          b.backup['strata:last_verification']?.verification_id === verificationId &&
          b.backup['strata:last_verification'].result !== 'running',
      );

  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());

  it('accepts at once, reads the whole chain without writing anywhere, and shows the outcome in the detail view', async () => {
    const { volume, path } = await manageFile(strata.client, strata.managedDir, 3, 'verified');
    const full = await strata.client.createBackup(volume.id, { name: 'v-full' });
    const fd = openSync(path, 'r+');
    writeSync(fd, randomBytes(40 * 1024), 0, 40 * 1024, 2 * 1024 * 1024);
    closeSync(fd);
    const incr = await strata.client.createBackup(volume.id, { name: 'v-incr', incremental: true });
    const before = snapshotOf(strata.options.backup_posix_path);
    const volumesBefore = (await strata.client.get('/v3/volumes')).body.volumes.length;

    const res = await strata.client.post(`/strata/v1/backups/${incr.id}/verify`, undefined);

    expect(res.status).toBe(202);
    expect(res.body.verification).toMatchObject({ backup_id: incr.id, result: 'running' });
    const shown = (await verified(incr.id, res.body.verification.verification_id)).backup;
    expect(shown['strata:last_verification']).toMatchObject({
      result: 'passed',
      chain: [full.id, incr.id],
      blocks: (3 * 1024 * 1024) / 32768,
      objects: expect.any(Number),
    });
    expect(shown['strata:last_verified_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(shown).toMatchObject({ status: 'available', is_incremental: true, name: 'v-incr' });
    // Without the header, exactly Cinder's keys; Strata's own progress view always has the outcome.
    expect(Object.keys((await strata.client.get(`/v3/backups/${incr.id}`)).body.backup).filter((k) => k.startsWith('strata:'))).toEqual([]);
    expect((await strata.client.get(`/strata/v1/backups/${incr.id}/progress`)).body.progress).toMatchObject({
      last_verification: { result: 'passed', chain: [full.id, incr.id] },
      last_verified_at: shown['strata:last_verified_at'],
    });
    expect(eventTypes(strata, incr.id).slice(-2)).toEqual(['BackupVerificationRequested', 'BackupVerified']);
    expect(snapshotOf(strata.options.backup_posix_path)).toEqual(before);
    expect((await strata.client.get('/v3/volumes')).body.volumes).toHaveLength(volumesBefore);
  });

  it('records BackupVerificationFailed naming the object whose md5 no longer matches', async () => {
    const { volume } = await manageFile(strata.client, strata.managedDir, 2, 'damaged');
    const backup = await strata.client.createBackup(volume.id, { name: 'damaged' });
    const [object] = dataObjectsOf(strata, backup);
    flipByte(object.path, 1000);

    const res = await strata.client.post(`/strata/v1/backups/${backup.id}/verify`, undefined);

    const last = (await verified(backup.id, res.body.verification.verification_id)).backup['strata:last_verification'];
    expect(last).toMatchObject({ result: 'failed', object: object.name });
    expect(last.reason).toContain(object.name);
    expect(eventTypes(strata, backup.id).slice(-1)).toEqual(['BackupVerificationFailed']);
    expect((await strata.client.get(`/v3/backups/${backup.id}`)).body.backup.status).toBe('available');
  });

  it('names a missing object', async () => {
    const { volume } = await manageFile(strata.client, strata.managedDir, 1, 'missing');
    const backup = await strata.client.createBackup(volume.id, { name: 'missing' });
    const [object] = dataObjectsOf(strata, backup);
    unlinkSync(object.path);

    const res = await strata.client.post(`/strata/v1/backups/${backup.id}/verify`, undefined);

    expect((await verified(backup.id, res.body.verification.verification_id)).backup['strata:last_verification']).toMatchObject({
      result: 'failed',
      object: object.name,
    });
  });

  it('answers 404 for an unknown backup', async () => {
    expect(await strata.client.post('/strata/v1/backups/b0000000-0000-4000-8000-0000000000ff/verify', undefined)).toMatchObject({
      status: 404,
      body: { itemNotFound: { code: 404, message: 'Backup b0000000-0000-4000-8000-0000000000ff could not be found.' } },
    });
  });

  it('is reached from the strata command, which waits for the outcome and exits 1 on a damaged backup', async () => {
    const { volume } = await manageFile(strata.client, strata.managedDir, 1, 'cli-verify');
    const backup = await strata.client.createBackup(volume.id, { name: 'cli-verify' });

    const ok = await strataCli(strata, '--json', 'backup', 'verify', 'cli-verify');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ backup_id: backup.id, result: 'passed', chain: [backup.id] });

    const [object] = dataObjectsOf(strata, backup);
    flipByte(object.path, 10);
    const bad = await strataCli(strata, 'backup', 'verify', backup.id);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(object.name);
    expect(bad.stderr).toMatch(new RegExp(`^Backup ${backup.id} failed verification: Object ${object.name}: md5 `));
  });
});

describe('a verification asked for while no worker runs', () => {
  it('is run by the next worker that starts, from the log', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'strata-verify-resume-'));
    const first = await startStrata({}, stateDir);
    const { volume } = await manageFile(first.client, first.managedDir, 1, 'resumed');
    const backup = await first.client.createBackup(volume.id, { name: 'resumed' });
    await first.close();
    const apiOnly = await startStrata({ STRATA_RUN_WORKER: 'false' }, stateDir);
    const accepted = await apiOnly.client.post(`/strata/v1/backups/${backup.id}/verify`, undefined);
    expect(accepted.status).toBe(202);
    expect((await apiOnly.client.get(`/strata/v1/backups/${backup.id}/progress`)).body.progress.last_verification).toMatchObject({
      result: 'running',
    });
    await apiOnly.close();

    const withWorker = await startStrata({}, stateDir);
    try {
      const shown = await withWorker.client.waitFor(
        `/strata/v1/backups/${backup.id}/progress`,
        (b: any) => b.progress.last_verification.result !== 'running',
      );
      expect(shown.progress.last_verification).toMatchObject({
        verification_id: accepted.body.verification.verification_id,
        result: 'passed',
        chain: [backup.id],
      });
    } finally {
      await withWorker.close();
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(managedDirOf(stateDir), { recursive: true, force: true });
    }
  }, 120_000);
});

describe('verify policy', () => {
  it('is an admin operation', async () => {
    const strata = await startStrataWithTokens({ 'alice-tok': { user_id: 'alice', project_id: 'p', roles: ['member', 'reader'] } });
    try {
      expect(
        (
          await strata.client
            .as({ 'X-Auth-Token': 'alice-tok' })
            .post('/strata/v1/backups/b0000000-0000-4000-8000-000000000001/verify', undefined)
        ).body,
      ).toEqual({ forbidden: { code: 403, message: "Policy doesn't allow strata:verify to be performed." } });
    } finally {
      await strata.close();
    }
  });
});
