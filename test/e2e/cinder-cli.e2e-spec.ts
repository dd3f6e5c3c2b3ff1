import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { startStrata, type RunningStrata } from './support/strata-app';
import { cinderCli, expectOk, parseProperties, parseTable, pollCli, requireClients, type Cli } from './support/openstack-cli';

/**
 * The real `cinder` program (python3-cinderclient 9.1.0) against an in-process Strata, without Keystone,
 * as an operator would run it. Each command is a subprocess taking seconds, so each test is one long scenario;
 * `openstack` has its own file (openstack-cli.e2e-spec.ts), so the two run side by side.
 */

const MiB = 1024 * 1024;
const SCENARIO_TIMEOUT_MS = 170_000;

const writeAt = (path: string, offset: number, data: Buffer) => {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, data, 0, data.length, offset);
  } finally {
    closeSync(fd);
  }
};

/** Hash of a whole image read in pieces, as if zero-padded to `padTo` bytes. */
const digestOf = (path: string, padTo = 0) => {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(8 * MiB);
  let total = 0;
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; total += n) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  for (buf.fill(0); total < padTo; total += Math.min(buf.length, padTo - total))
    hash.update(buf.subarray(0, Math.min(buf.length, padTo - total)));
  return hash.digest('hex');
};

const REQUEST_ID = /\(Request-ID: req-[0-9a-f-]{36}\)/;

describe('the cinder CLI against Strata', () => {
  let strata: RunningStrata;
  let cinder: Cli;
  const imageOf = (volumeId: string) => join(strata.options.volumes_path, `volume-${volumeId}.img`);

  beforeAll(async () => {
    requireClients();
    strata = await startStrata();
    cinder = cinderCli(strata.baseUrl, 'demo-user', 'demo-project');
  });
  afterAll(async () => strata?.close());

  const cinderShow = async (command: string, nameOrId: string) => parseProperties(expectOk(await cinder.run(command, nameOrId)).stdout);
  const waitForCinderStatus = (command: string, nameOrId: string, status: string) =>
    pollCli(
      `${command} ${nameOrId} → ${status}`,
      () => cinder.run(command, nameOrId),
      (r) => r.rc === 0 && parseProperties(r.stdout).status === status,
    );
  const backupRows = async () => parseTable(expectOk(await cinder.run('backup-list', '--sort', 'name:asc')).stdout);

  it(
    'manages a file, backs it up full then incremental, finds backups by name, prints a refusal, restores byte for byte, deletes, unmanages',
    async () => {
      // A small operator file registered with POST /os-volume-manage
      // {"volume": {"host", "ref": {"source-name": PATH}, "name", "bootable": false, and nulls}}; Cinder reports it as 1 GiB.
      const source = join(strata.managedDir, 'operator-disk.img');
      writeFileSync(source, randomBytes(6 * MiB));
      const managed = parseProperties(expectOk(await cinder.run('manage', '--name', 'v1', 'strata@file#pool', source)).stdout);
      expect(managed.name).toBe('v1');
      // The size is known once the worker has inspected the file.
      expect(parseProperties((await waitForCinderStatus('show', 'v1', 'available')).stdout)).toMatchObject({ id: managed.id, size: '1' });

      // cinder resolves `v1` with GET /volumes/detail?all_tenants=1&name=v1 before POST /backups.
      const b1Created = parseProperties(expectOk(await cinder.run('backup-create', '--name', 'b1', 'v1')).stdout);
      expect(b1Created).toMatchObject({ name: 'b1', volume_id: managed.id });
      const b1 = parseProperties((await waitForCinderStatus('backup-show', b1Created.id, 'available')).stdout);
      expect(b1).toMatchObject({ is_incremental: 'False', fail_reason: 'None', volume_id: managed.id, size: '1' });

      writeAt(source, 1 * MiB, randomBytes(64 * 1024));
      writeAt(source, 5 * MiB, Buffer.alloc(MiB, 'strata '));
      const modified = readFileSync(source);
      const b2Created = parseProperties(expectOk(await cinder.run('backup-create', '--incremental', '--name', 'b2', 'v1')).stdout);
      await waitForCinderStatus('backup-show', b2Created.id, 'available');

      // backup-list: both, sorted by name (`--sort name` goes out as sort=display_name:asc).
      const rows = await backupRows();
      expect(rows.map((r) => [r.Name, r.Status, r['Volume ID'], r.Size, r['User ID']])).toEqual([
        ['b1', 'available', managed.id, '1', 'demo-user'],
        ['b2', 'available', managed.id, '1', 'demo-user'],
      ]);

      // `cinder list-filters` (GET /resource_filters?resource=backup) names the filters backup-list may send.
      expect(parseTable(expectOk(await cinder.run('list-filters', '--resource', 'backup')).stdout)).toEqual([
        { Resource: 'backup', Filters: 'name, status, volume_id' },
      ]);

      // By name: GET /backups/detail?all_tenants=1&name=b2.
      const b2 = await cinderShow('backup-show', 'b2');
      expect(b2).toMatchObject({
        id: b2Created.id,
        name: 'b2',
        status: 'available',
        is_incremental: 'True',
        has_dependent_backups: 'False',
      });
      expect(b2.object_count).toBe('2'); // the two changed extents, nothing else

      // Refusals, printed the way cinder prints Cinder's faults.
      const refused = await cinder.run('backup-delete', 'b1');
      expect(refused.rc).toBe(1);
      expect(refused.stdout).toContain(
        'Delete for backup b1 failed: Invalid backup: Incremental backups exist for this backup. (HTTP 400)',
      );
      expect(refused.stdout).toMatch(REQUEST_ID);
      expect(refused.stderr).toBe('ERROR: Unable to delete any of the specified backups.\n');
      const unknown = await cinder.run('backup-show', 'no-such-backup');
      expect(unknown).toMatchObject({ rc: 1, stderr: "ERROR: No volumebackup with a name or ID of 'no-such-backup' exists.\n" });

      // Restore the incremental into a new volume of the backup's size (1 GiB): every byte of its image is
      // the modified source, then zeros.
      const restore = parseProperties(expectOk(await cinder.run('backup-restore', '--name', 'restored', 'b2')).stdout);
      expect(restore).toMatchObject({ backup_id: b2Created.id, volume_name: 'restored' });
      expect(parseProperties((await waitForCinderStatus('show', 'restored', 'available')).stdout).size).toBe('1');
      const restoredImage = imageOf(restore.volume_id);
      expect(statSync(restoredImage).size).toBe(1024 * MiB);
      expect(digestOf(restoredImage)).toBe(digestOf(source, 1024 * MiB));
      await pollCli(
        'both backups available after the restore',
        () => cinder.run('backup-list'),
        (r) => r.rc === 0 && parseTable(r.stdout).every((row) => row.Status === 'available'),
      );

      // Newest first; then the list is empty.
      expect(expectOk(await cinder.run('backup-delete', 'b2')).stdout).toBe('Request to delete backup b2 has been accepted.\n');
      await pollCli(
        'b2 gone',
        () => cinder.run('backup-list'),
        (r) => r.rc === 0 && !parseTable(r.stdout).some((row) => row.Name === 'b2'),
      );
      expect(expectOk(await cinder.run('backup-delete', 'b1')).stdout).toBe('Request to delete backup b1 has been accepted.\n');
      await pollCli(
        'no backups left',
        () => cinder.run('backup-list'),
        (r) => r.rc === 0 && parseTable(r.stdout).length === 0,
      );

      // Snapshots print without links (Cinder's snapshot view has none).
      expectOk(await cinder.run('snapshot-create', '--name', 's1', 'v1'));
      const s1 = parseProperties((await waitForCinderStatus('snapshot-show', 's1', 'available')).stdout);
      expect(s1).toMatchObject({ name: 's1', volume_id: managed.id });
      expect(s1).not.toHaveProperty('links');
      expectOk(await cinder.run('snapshot-delete', 's1'));
      await pollCli(
        's1 gone',
        () => cinder.run('snapshot-list'),
        (r) => r.rc === 0 && parseTable(r.stdout).length === 0,
      );

      // Unmanage forgets the volume and leaves the operator's file as it was.
      expectOk(await cinder.run('unmanage', 'v1'));
      await pollCli(
        'v1 forgotten',
        () => cinder.run('show', managed.id),
        (r) => r.rc === 1,
      );
      expect(readFileSync(source).equals(modified)).toBe(true);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'extends a volume (its image grows), prints a refused extend, sets it bootable and read-only, lists the extensions',
    async () => {
      const created = parseProperties(expectOk(await cinder.run('create', '--name', 'grown', '1')).stdout);
      await waitForCinderStatus('show', 'grown', 'available');

      // POST /volumes/{id}/action {"os-extend": {"new_size": 2}}: 202, then the worker grows the image.
      expect(expectOk(await cinder.run('extend', 'grown', '2')).stdout).toBe('');
      await pollCli(
        'grown at 2 GiB',
        () => cinder.run('show', 'grown'),
        (r) => r.rc === 0 && parseProperties(r.stdout).size === '2' && parseProperties(r.stdout).status === 'available',
      );
      expect(statSync(imageOf(created.id)).size).toBe(2 * 1024 * MiB);
      const refused = await cinder.run('extend', 'grown', '1');
      expect(refused.rc).toBe(1);
      expect(refused.stderr).toContain(
        'ERROR: Invalid input received: New size for extend must be greater than current size. (current: 2, extended: 1). (HTTP 400)',
      );

      // os-set_bootable (200) and os-update_readonly_flag (202); cinder show lifts metadata.readonly into its own row.
      expect(expectOk(await cinder.run('set-bootable', 'grown', 'true')).stdout).toBe('');
      expect(expectOk(await cinder.run('readonly-mode-update', 'grown', 'True')).stdout).toBe('');
      expect(await cinderShow('show', 'grown')).toMatchObject({
        bootable: 'true',
        metadata: 'readonly : True',
        readonly: 'True',
        size: '2',
      });

      // GET /extensions.
      const extensions = parseTable(expectOk(await cinder.run('list-extensions')).stdout);
      expect(extensions.map((e) => e.Alias)).toEqual([
        'os-admin-actions',
        'os-availability-zone',
        'backups',
        'os-extended-services',
        'os-extended-snapshot-attributes',
        'scheduler-stats',
        'os-services',
        'os-types-extra-specs',
        'os-types-manage',
        'os-volume-actions',
        'os-vol-host-attr',
        'os-volume-manage',
        'os-vol-mig-status-attr',
        'os-vol-tenant-attr',
        'os-volume-type-access',
        'encryption',
        'os-volume-unmanage',
      ]);
      expect(extensions.find((e) => e.Alias === 'os-volume-actions')).toEqual({
        Name: 'VolumeActions',
        Summary: 'Enable volume actions.',
        Alias: 'os-volume-actions',
        Updated: '2012-05-31T00:00:00+00:00',
      });
    },
    SCENARIO_TIMEOUT_MS,
  );
});
