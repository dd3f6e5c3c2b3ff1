import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manageFile } from './support/managed-file';
import { managedDirOf, restartableStrata, startStrata, type RunningStrata } from './support/strata-app';
import type { StrataClient } from './support/strata-client';

const badRequest = (message: string) => ({ status: 400, body: { badRequest: { code: 400, message } } });
const manage = (client: StrataClient, path: string, name = 'adopted') =>
  client.post('/v3/os-volume-manage', { volume: { host: 'strata@file', ref: { 'source-name': path }, name } });
const headPosition = async (client: StrataClient): Promise<number> => (await client.get('/healthz')).body.eventStore.headPosition;
const eventTypes = async (client: StrataClient, volumeId: string): Promise<string[]> =>
  (await client.get(`/strata/v1/events?volume_id=${volumeId}&limit=1000`)).body.events.map((e: any) => e.type);

/** Loop devices need root and a kernel that offers them; without them the device test is skipped, saying why. */
const losetup = (...args: string[]): { device?: string; why?: string } => {
  const run = spawnSync('losetup', args, { encoding: 'utf8' });
  if (run.error) return { why: `losetup cannot run: ${run.error.message}` };
  if (run.status !== 0) return { why: `losetup ${args.join(' ')} failed: ${run.stderr.trim()}` };
  return { device: run.stdout.trim() };
};
const probeLoop = (): { device?: string; why?: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-loop-probe-'));
  try {
    spawnSync('truncate', ['-s', '1M', join(dir, 'probe.img')]);
    const result = losetup('-f', '--show', join(dir, 'probe.img'));
    if (result.device) losetup('-d', result.device);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
const loop = probeLoop();
if (!loop.device) console.warn(`managed loop device e2e skipped: ${loop.why}`);
const itIfLoop = loop.device ? it : it.skip;

describe('POST /v3/os-volume-manage under managed_volume_paths', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'strata-managed-paths-'));
  const managedDir = managedDirOf(stateDir);
  const elsewhere = mkdtempSync(join(tmpdir(), 'strata-elsewhere-'));
  const admitted = `${managedDir}, /dev/*`;
  let strata: RunningStrata;
  const client = () => strata.client;

  beforeAll(async () => {
    mkdirSync(managedDir, { recursive: true });
    strata = await startStrata({ STRATA_MANAGED_VOLUME_PATHS: `${managedDir},/dev/*` }, stateDir);
    // A volume of Strata's own and a backup, so that the repository and the volume directory exist.
    await client().createBackup((await client().createVolume(1, 'own')).id);
  });
  afterAll(async () => {
    await strata?.close();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(managedDir, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  /** Each case: the path to offer (made by the setup), and the refusal after "Invalid volume: PATH ". */
  const cases: [label: string, setup: () => string, refusal: () => string][] = [
    ['/etc/shadow', () => '/etc/shadow', () => `is outside managed_volume_paths (${admitted})`],
    [
      'a path outside that does not exist (without saying so)',
      () => '/root/no-such-disk.img',
      () => `is outside managed_volume_paths (${admitted})`,
    ],
    [
      'a symlink elsewhere into /etc',
      () => link(join(elsewhere, 'innocent.img'), '/etc/passwd'),
      () => `is outside managed_volume_paths (${admitted})`,
    ],
    [
      'a symlink in the managed directory that leads to /etc/passwd',
      () => link(join(managedDir, 'passwd.img'), '/etc/passwd'),
      () => `is outside managed_volume_paths (${admitted}): it leads to /etc/passwd`,
    ],
    [
      'the event store',
      () => join(stateDir, 'events.sqlite'),
      () => `is Strata's own state (event_store ${join(stateDir, 'events.sqlite')}), not a volume`,
    ],
    [
      "the event store's WAL through a symlink in the managed directory",
      () => link(join(managedDir, 'wal.img'), join(stateDir, 'events.sqlite-wal')),
      () => `is Strata's own state (event_store ${join(stateDir, 'events.sqlite-wal')}), not a volume`,
    ],
    [
      'the catalog',
      () => join(stateDir, 'catalog.sqlite'),
      () => `is Strata's own state (catalog_path ${join(stateDir, 'catalog.sqlite')}), not a volume`,
    ],
    [
      "one of Strata's volume images",
      () => strata.options.volumes_path + '/x.img',
      () => `is Strata's own state (volumes_path ${strata.options.volumes_path}), not a volume`,
    ],
    [
      'the backup repository',
      () => strata.options.backup_posix_path,
      () => `is Strata's own state (backup_posix_path ${strata.options.backup_posix_path}), not a volume`,
    ],
    [
      'a file under state_path',
      () => file(join(stateDir, 'stray.img'), 4096),
      () => `is Strata's own state (state_path ${stateDir}), not a volume`,
    ],
    ['a missing file in the managed directory', () => join(managedDir, 'nothing.img'), () => 'does not exist'],
    [
      'a directory in the managed directory',
      () => dir(join(managedDir, 'a-directory')),
      () => 'is a directory, not a regular file or block device',
    ],
    ['a character device', () => '/dev/null', () => 'is a character device, not a regular file or block device'],
    ['an empty file', () => file(join(managedDir, 'empty.img'), 0), () => 'is empty (0 bytes)'],
    ['a relative path', () => 'images/db.img', () => 'is not an absolute path'],
  ];

  it.each(cases)('refuses %s: a 400 with the reason, and nothing recorded', async (_label, setup, refusal) => {
    const path = setup();
    const before = await headPosition(client());

    const res = await manage(client(), path);

    expect(res).toMatchObject(badRequest(`Invalid volume: ${path} ${refusal()}.`));
    expect(await headPosition(client())).toBe(before);
    expect((await client().get('/v3/volumes/detail?name=adopted')).body.volumes).toEqual([]);
  });

  it('takes a file in the managed directory', async () => {
    const { volume, path } = await manageFile(client(), managedDir, 1, 'in-managed-dir');
    expect(volume).toMatchObject({ status: 'available', size: 1 });
    expect(await eventTypes(client(), volume.id)).toEqual(['VolumeCreated', 'VolumeProvisioned']);
    expect(statSync(path).size).toBe(1024 * 1024);
  });

  itIfLoop(`takes a loop device that the /dev/* glob admits${loop.device ? '' : ` [skipped: ${loop.why}]`}`, async () => {
    const image = file(join(managedDir, 'loop-backing.img'), 16 * 1024 * 1024);
    const { device } = losetup('-f', '--show', image);
    try {
      const res = await manage(client(), device!, 'loop');
      expect(res.status).toBe(202);
      const volume = (await client().waitFor(`/v3/volumes/${res.body.volume.id}`, (b: any) => b.volume.status !== 'creating')).volume;
      expect(volume).toMatchObject({ status: 'available', size: 1 });
      expect((await client().post(`/v3/volumes/${volume.id}/action`, { 'os-unmanage': {} })).status).toBe(202);
      await client().waitFor('/v3/volumes/detail', (b: any) => !b.volumes.some((v: any) => v.id === volume.id));
    } finally {
      losetup('-d', device!);
    }
  });
});

describe('the worker checks the path again when it inspects it', () => {
  const strata = restartableStrata('strata-managed-recheck-');

  it('records the provisioning failure when the file became a symlink to /etc/passwd after the request', async () => {
    const apiOnly = await strata.restart(false);
    const path = file(join(apiOnly.managedDir, 'swapped.img'), 4096);
    const accepted = await manage(apiOnly.client, path);
    expect(accepted.status).toBe(202);
    rmSync(path);
    symlinkSync('/etc/passwd', path);

    const withWorker = await strata.restart(true);
    const volumeId = accepted.body.volume.id;
    const volume = (await withWorker.client.waitFor(`/v3/volumes/${volumeId}`, (b: any) => b.volume.status !== 'creating')).volume;

    expect(volume.status).toBe('error');
    const events = (await withWorker.client.get(`/strata/v1/events?volume_id=${volumeId}`)).body.events;
    expect(events.map((e: any) => e.type)).toEqual(['VolumeCreated', 'VolumeProvisioningFailed']);
    expect(events[1].data.reason).toBe(
      `Invalid managed volume ${path}: is outside managed_volume_paths (${withWorker.managedDir}): it leads to /etc/passwd`,
    );
  });
});

describe('restoring into a managed file', () => {
  let strata: RunningStrata;
  const client = () => strata.client;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());

  it('refuses a backup larger than the file in bytes, though both show 1 GiB, and leaves the file as it was', async () => {
    const path = join(strata.managedDir, 'small.img');
    writeFileSync(path, randomBytes(1000));
    const before = readFileSync(path);
    const managed = await manage(client(), path, 'small');
    const target = (await client().waitFor(`/v3/volumes/${managed.body.volume.id}`, (b: any) => b.volume.status === 'available')).volume;
    expect(target.size).toBe(1);
    const backup = await client().createBackup((await client().createVolume(1, 'one-gib')).id);
    const head = await headPosition(client());

    const res = await client().post(`/v3/backups/${backup.id}/restore`, { restore: { volume_id: target.id } });

    expect(res).toMatchObject(
      badRequest('Invalid volume: volume size 1000 bytes is too small to restore backup of size 1073741824 bytes.'),
    );
    expect(await headPosition(client())).toBe(head);
    expect(await eventTypes(client(), target.id)).toEqual(['VolumeCreated', 'VolumeProvisioned']);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect((await client().get(`/v3/volumes/${target.id}`)).body.volume.status).toBe('available');
  }, 240_000);

  it('fails the restore, without growing the file, when the file shrank after it was managed', async () => {
    const { volume, path } = await manageFile(client(), strata.managedDir, 2, 'shrinking');
    const backup = await client().createBackup(volume.id);
    truncateSync(path, 1000);
    const before = readFileSync(path);

    const res = await client().post(`/v3/backups/${backup.id}/restore`, { restore: { volume_id: volume.id } });
    expect(res.status).toBe(202);
    const after = (await client().waitFor(`/v3/volumes/${volume.id}`, (b: any) => b.volume.status !== 'restoring-backup')).volume;

    expect(after.status).toBe('error_restoring');
    const failed = (await client().get(`/strata/v1/backups/${backup.id}/events`)).body.events.find((e: any) => e.type === 'RestoreFailed');
    expect(failed.data.reason).toBe(
      `Restore target ${path} holds 1000 bytes, but the backup needs ${2 * 1024 * 1024}: a restore never extends its target`,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

const file = (path: string, bytes: number) => {
  writeFileSync(path, Buffer.alloc(0));
  if (bytes > 0) truncateSync(path, bytes);
  return path;
};
const dir = (path: string) => {
  mkdirSync(path, { recursive: true });
  return path;
};
const link = (path: string, target: string) => {
  symlinkSync(target, path);
  return path;
};
