import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { startStrata, type RunningStrata } from './support/strata-app';
import { cinderCli, expectOk, parseProperties, pollCli, requireClients, type Cli } from './support/openstack-cli';
import { imageOf, writeAt } from './support/volume-image';

/**
 * The real `cinder` program at microversion 3.70 creating volumes from a backup, a snapshot and a volume,
 * and restoring a backup into a new volume that takes the source's name and metadata. Each volume's bytes
 * are compared with its source's file.
 */

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const digestOf = async (path: string) => {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  const piece = Buffer.alloc(8 * MiB);
  try {
    for (let at = 0; at < GiB; at += piece.length) {
      piece.fill(0);
      await handle.read(piece, 0, piece.length, at);
      hash.update(piece);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
};

describe('cinder create from a backup, a snapshot, a volume', () => {
  let strata: RunningStrata;
  let cinder: Cli;

  beforeAll(async () => {
    requireClients();
    strata = await startStrata();
    cinder = cinderCli(strata.baseUrl, 'demo-user', 'demo-project');
  });
  afterAll(async () => strata?.close());

  const run = async (...args: string[]) => parseProperties(expectOk(await cinder.run('--os-volume-api-version', '3.70', ...args)).stdout);
  const waitFor = (command: string, id: string, status: string) =>
    pollCli(
      `${command} ${id} → ${status}`,
      () => cinder.run('--os-volume-api-version', '3.70', command, id),
      (r) => r.rc === 0 && parseProperties(r.stdout).status === status,
    );
  const shown = async (command: string, id: string, status: string) => parseProperties((await waitFor(command, id, status)).stdout);

  it('creates each volume with its source’s bytes, and a restore into a new volume shows the source’s metadata', async () => {
    const src = await run('create', '--name', 'src', '--description', 'the source', '--metadata', 'purpose=db', '1');
    await shown('show', src.id, 'available');
    await writeAt(imageOf(strata, src.id), 0, randomBytes(2 * MiB));
    await writeAt(imageOf(strata, src.id), 600 * MiB, randomBytes(MiB));
    const backup = await run('backup-create', '--name', 'b', src.id);
    await shown('backup-show', backup.id, 'available');

    const fromBackup = await run('create', '--backup-id', backup.id, '--name', 'v');
    expect(fromBackup).toMatchObject({ name: 'v', status: 'creating', size: '1' });
    expect(await shown('show', fromBackup.id, 'available')).toMatchObject({ snapshot_id: 'None', source_volid: 'None' });
    expect(await digestOf(imageOf(strata, fromBackup.id))).toBe(await digestOf(imageOf(strata, src.id)));

    const snapshot = await run('snapshot-create', '--name', 's', src.id);
    await shown('snapshot-show', snapshot.id, 'available');
    const fromSnapshot = await run('create', '--snapshot-id', snapshot.id, '1');
    expect(await shown('show', fromSnapshot.id, 'available')).toMatchObject({ snapshot_id: snapshot.id, size: '1' });
    expect(await digestOf(imageOf(strata, fromSnapshot.id))).toBe(
      await digestOf(join(strata.options.volumes_path, `snapshot-${snapshot.id}.img`)),
    );

    const clone = await run('create', '--source-volid', src.id, '1');
    expect(await shown('show', clone.id, 'available')).toMatchObject({ source_volid: src.id, size: '1' });
    expect(await digestOf(imageOf(strata, clone.id))).toBe(await digestOf(imageOf(strata, src.id)));

    const restore = await run('backup-restore', backup.id);
    const restored = await shown('show', restore.volume_id, 'available');
    expect(restored).toMatchObject({ name: 'src', description: 'the source' });
    expect(restored.metadata).toContain('purpose');
    expect(restored.metadata).toContain('db');
    expect(await digestOf(imageOf(strata, restore.volume_id))).toBe(await digestOf(imageOf(strata, src.id)));

    // Cinder's refusal, printed by the client.
    const unknown = 'f0000000-0000-4000-8000-00000000000f';
    const refused = await cinder.run('--os-volume-api-version', '3.70', 'create', '--backup-id', unknown, '--name', 'x');
    expect(refused.rc).not.toBe(0);
    expect(refused.stderr).toContain(`ERROR: Backup ${unknown} could not be found. (HTTP 404)`);
  }, 400_000);
});
