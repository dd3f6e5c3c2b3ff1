import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { manageFile } from './support/managed-file';
import { cinderCli, expectOk, parseProperties, parseTable, pollCli, requireClients, type Cli } from './support/openstack-cli';
import { startStrata, type RunningStrata } from './support/strata-app';
import { imageOf, writeAt } from './support/volume-image';

/**
 * The real `cinder` program (python3-cinderclient, microversion 3.70 negotiated) on user messages and
 * volume metadata: message-list, message-show, message-delete (the messages a failed backup and a
 * restore whose objects were deleted from the repository leave); metadata set/unset (unset at 3.70 is a
 * GET with the ETag and a PUT with If-Match), metadata-show, metadata-update-all, list --filters metadata.
 */

/** Every regular file under a directory. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

/** `cinder metadata-show` prints a `Metadata-property | Value` table. */
const metadataTable = (stdout: string) => Object.fromEntries(parseTable(stdout).map((row) => [row['Metadata-property'], row.Value]));

describe('cinder message-* and metadata against Strata', () => {
  let strata: RunningStrata;
  let cinder: Cli;
  beforeAll(async () => {
    requireClients();
    strata = await startStrata();
    cinder = cinderCli(strata.baseUrl, 'demo-user', 'demo-project');
  });
  afterAll(async () => strata?.close());

  it('sets, shows, filters on and unsets volume metadata', async () => {
    const created = parseProperties(expectOk(await cinder.run('create', '--name', 'tagged', '1')).stdout);
    const client = strata.client.as({ 'X-Auth-Token': 'demo-user:demo-project' });
    await client.waitFor(`/v3/volumes/${created.id}`, (b: any) => b.volume.status === 'available');
    expectOk(await cinder.run('create', '--name', 'plain', '1'));

    expectOk(await cinder.run('metadata', 'tagged', 'set', 'tier=gold', 'owner=ops'));
    expect(metadataTable(expectOk(await cinder.run('metadata-show', 'tagged')).stdout)).toEqual({ tier: 'gold', owner: 'ops' });

    const listed = parseTable(expectOk(await cinder.run('list', '--filters', 'metadata={tier:gold}')).stdout);
    expect(listed.map((r) => r.Name)).toEqual(['tagged']);
    expect(parseTable(expectOk(await cinder.run('list', '--metadata', 'tier=silver')).stdout)).toEqual([]);

    expectOk(await cinder.run('metadata', 'tagged', 'unset', 'owner'));
    expect(metadataTable(expectOk(await cinder.run('metadata-show', 'tagged')).stdout)).toEqual({ tier: 'gold' });
    expectOk(await cinder.run('metadata-update-all', 'tagged', 'only=this'));
    expect(metadataTable(expectOk(await cinder.run('metadata-show', 'tagged')).stdout)).toEqual({ only: 'this' });
    expect(parseProperties(expectOk(await cinder.run('show', 'tagged')).stdout).metadata).toBe('only : this');
  }, 170_000);

  it('lists, shows and deletes the message a failed backup leaves', async () => {
    const { volume, path } = await manageFile(strata.client.as({ 'X-Auth-Token': 'demo-user:demo-project' }), strata.managedDir, 1, 'gone');
    unlinkSync(path);
    const backup = parseProperties(expectOk(await cinder.run('backup-create', '--name', 'doomed', volume.id)).stdout);
    await strata.client.waitFor(`/v3/backups/${backup.id}`, (b: any) => b.backup.status === 'error');

    const rows = parseTable(expectOk(await cinder.run('message-list')).stdout);
    expect(rows).toEqual([
      {
        ID: expect.stringMatching(/^[0-9a-f-]{36}$/),
        'Resource Type': 'VOLUME_BACKUP',
        'Resource UUID': backup.id,
        'Event ID': 'VOLUME_VOLUME_BACKUP_013_020',
        'User Message': 'create backup:Backup driver failed to create backup.',
      },
    ]);
    expect(parseTable(expectOk(await cinder.run('message-list', '--resource_type', 'volume')).stdout)).toEqual([]);
    const shown = parseProperties(expectOk(await cinder.run('message-show', rows[0].ID)).stdout);
    expect(shown).toMatchObject({
      id: rows[0].ID,
      message_level: 'ERROR',
      resource_uuid: backup.id,
      event_id: 'VOLUME_VOLUME_BACKUP_013_020',
    });
    expect(shown.request_id).toMatch(/^req-/);

    expectOk(await cinder.run('message-delete', rows[0].ID));
    expect(parseTable(expectOk(await cinder.run('message-list')).stdout)).toEqual([]);
    const again = await cinder.run('message-delete', rows[0].ID);
    expect(again.rc).toBe(1);
    // cinderclient looks the message up first (GET /messages/{id}, a 404) and says so in its own words.
    expect(again.stdout + again.stderr).toContain(`No message with a name or ID of '${rows[0].ID}' exists.`);
  }, 170_000);

  it('lists the message a restore leaves when the backup’s objects were deleted from the repository', async () => {
    const v370 = ['--os-volume-api-version', '3.70'];
    const run = async (...args: string[]) => parseProperties(expectOk(await cinder.run(...v370, ...args)).stdout);
    const waitFor = (command: string, id: string, status: string) =>
      pollCli(
        `${command} ${id} → ${status}`,
        () => cinder.run(...v370, command, id),
        (r) => r.rc === 0 && parseProperties(r.stdout).status === status,
      );
    const volume = await run('create', '--name', 'restored-over', '1');
    await waitFor('show', volume.id, 'available');
    await writeAt(imageOf(strata, volume.id), 0, randomBytes(1024 * 1024));
    const backup = await run('backup-create', '--name', 'emptied', volume.id);
    await waitFor('backup-show', backup.id, 'available');
    // The data objects go; the backup's _metadata and _sha256file stay, so the restore starts and fails reading.
    const objects = filesUnder(strata.options.backup_posix_path).filter(
      (p) => p.includes(backup.id) && !p.endsWith('_metadata') && !p.endsWith('_sha256file'),
    );
    expect(objects.length).toBeGreaterThan(0);
    for (const path of objects) unlinkSync(path);

    expect(await run('backup-restore', '--volume', volume.id, backup.id)).toMatchObject({ backup_id: backup.id, volume_id: volume.id });
    await waitFor('show', volume.id, 'error_restoring');
    await waitFor('backup-show', backup.id, 'available');

    const rows = parseTable(expectOk(await cinder.run(...v370, 'message-list')).stdout).filter((r) => r['Resource UUID'] === backup.id);
    expect(rows).toEqual([
      {
        ID: expect.stringMatching(/^[0-9a-f-]{36}$/),
        'Resource Type': 'VOLUME_BACKUP',
        'Resource UUID': backup.id,
        'Event ID': 'VOLUME_VOLUME_BACKUP_015_026',
        'User Message': 'restore backup:Backup driver failed to restore backup.',
      },
    ]);
    expect(parseProperties(expectOk(await cinder.run(...v370, 'message-show', rows[0].ID)).stdout)).toMatchObject({
      resource_type: 'VOLUME_BACKUP',
      resource_uuid: backup.id,
      event_id: 'VOLUME_VOLUME_BACKUP_015_026',
      user_message: 'restore backup:Backup driver failed to restore backup.',
    });
  }, 170_000);
});
