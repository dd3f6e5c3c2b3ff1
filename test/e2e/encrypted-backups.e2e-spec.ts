import { randomUUID } from 'node:crypto';
import { BARBICAN_URL, payloadOf, startBarbican } from '../support/barbican';
import { issueToken, keystoneAuthtokenEnv, startKeystone, USERS, type IssuedToken } from '../support/keystone';
import { startStrata, type RunningStrata } from './support/strata-app';

/**
 * Cinder's key handling around backups of encrypted volumes, with the real Keystone and Barbican of
 * scripts/keystone.sh and scripts/barbican.sh: every key is a Barbican secret made with the caller's
 * token; a backup carries a clone of its volume's key, a restored volume a clone of the backup's, and a
 * deleted backup's key is deleted.
 */
describe('encrypted volumes and their backups with Barbican', () => {
  let strata: RunningStrata;
  let alice: IssuedToken, dave: IssuedToken;
  let typeName: string;
  const mv = { 'OpenStack-API-Version': 'volume 3.64' };
  const as = (t: IssuedToken) => strata.client.as({ 'X-Auth-Token': t.token, ...mv });

  beforeAll(async () => {
    startKeystone();
    startBarbican();
    strata = await startStrata({
      ...keystoneAuthtokenEnv(),
      STRATA_KEY_MANAGER_BACKEND: 'barbican',
      STRATA_BARBICAN_BARBICAN_ENDPOINT: BARBICAN_URL,
    });
    [alice, dave] = await Promise.all([issueToken(USERS.alice), issueToken(USERS.dave)]);
    typeName = `luks-${randomUUID().slice(0, 8)}`;
    const type = await as(dave).post('/v3/types', { volume_type: { name: typeName } });
    expect(type.status).toBe(200);
    const encryption = await as(dave).post(`/v3/types/${type.body.volume_type.id}/encryption`, {
      encryption: { provider: 'luks', control_location: 'front-end', cipher: 'aes-xts-plain64', key_size: 256 },
    });
    expect(encryption.status).toBe(200);
  }, 240_000);
  afterAll(async () => strata?.close());

  const keyBytes = async (keyId: string) => {
    const read = await payloadOf(alice.token, keyId);
    if (read.status !== 200) throw new Error(`key ${keyId}: Barbican answered ${read.status}`);
    return read.bytes;
  };

  it("gives a new volume of an encrypted type a key of the type's size, made in Barbican as the caller", async () => {
    const created = await as(alice).post('/v3/volumes', { volume: { size: 1, name: 'enc', volume_type: typeName } });
    expect(created.status).toBe(202);
    const volume = (await as(alice).waitFor(`/v3/volumes/${created.body.volume.id}`, (b: any) => b.volume.status === 'available')).volume;
    expect(volume).toMatchObject({ encrypted: true, volume_type: typeName });
    expect(volume.encryption_key_id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await keyBytes(volume.encryption_key_id)).length).toBe(32);
  });

  it("clones the key into the backup, clones it again into each restored volume, and deletes the backup's with it", async () => {
    const created = await as(alice).post('/v3/volumes', { volume: { size: 1, name: 'enc-src', volume_type: typeName } });
    const source = (await as(alice).waitFor(`/v3/volumes/${created.body.volume.id}`, (b: any) => b.volume.status === 'available')).volume;

    const backup = await as(alice).createBackup(source.id, { name: 'enc-backup' });
    expect(backup.status).toBe('available');
    expect(backup.encryption_key_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(backup.encryption_key_id).not.toBe(source.encryption_key_id);
    expect(await keyBytes(backup.encryption_key_id)).toEqual(await keyBytes(source.encryption_key_id));

    const restore = await as(alice).post(`/v3/backups/${backup.id}/restore`, { restore: { name: 'enc-restored' } });
    expect(restore.status).toBe(202);
    const restored = (await as(alice).waitFor(`/v3/volumes/${restore.body.restore.volume_id}`, (b: any) => b.volume.status === 'available'))
      .volume;
    expect(restored.encryption_key_id).toMatch(/^[0-9a-f-]{36}$/);
    expect([source.encryption_key_id, backup.encryption_key_id]).not.toContain(restored.encryption_key_id);
    expect(await keyBytes(restored.encryption_key_id)).toEqual(await keyBytes(backup.encryption_key_id));
    await as(alice).waitFor(`/v3/backups/${backup.id}`, (b: any) => b.backup.status === 'available');

    // A volume created from the backup (3.47) gets a clone of its own too, not the backup's key.
    const fromBackup = await as(alice).post('/v3/volumes', { volume: { backup_id: backup.id, name: 'enc-from-backup' } });
    expect(fromBackup.status).toBe(202);
    const made = (await as(alice).waitFor(`/v3/volumes/${fromBackup.body.volume.id}`, (b: any) => b.volume.status !== 'creating')).volume;
    expect(made.status).toBe('available');
    expect([source.encryption_key_id, backup.encryption_key_id, restored.encryption_key_id]).not.toContain(made.encryption_key_id);
    expect(await keyBytes(made.encryption_key_id)).toEqual(await keyBytes(backup.encryption_key_id));
    await as(alice).waitFor(`/v3/backups/${backup.id}`, (b: any) => b.backup.status === 'available');

    // The existing volume's key cannot be replaced in Strata's log: refused, not half done.
    const over = await as(alice).post(`/v3/backups/${backup.id}/restore`, { restore: { volume_id: source.id } });
    expect(over).toMatchObject({ status: 400, body: { badRequest: { message: expect.stringContaining('into a new volume only') } } });

    // The export record keeps the backup's key id, as today.
    const record = await as(alice).get(`/v3/backups/${backup.id}/export_record`);
    expect(record.status).toBe(403); // export is admin-only
    const exported = await as(dave).get(`/v3/backups/${backup.id}/export_record`);
    const decoded = JSON.parse(Buffer.from(exported.body['backup-record'].backup_url, 'base64').toString('utf8'));
    expect(decoded.encryption_key_id).toBe(backup.encryption_key_id);

    expect((await as(alice).delete(`/v3/backups/${backup.id}`)).status).toBe(202);
    expect((await payloadOf(alice.token, backup.encryption_key_id)).status).toBe(404);
    expect((await keyBytes(source.encryption_key_id)).length).toBe(32);
    expect((await keyBytes(restored.encryption_key_id)).length).toBe(32);
    expect((await keyBytes(made.encryption_key_id)).length).toBe(32);
  }, 240_000);

  it("leaves another project's encrypted volume and its key alone (no clone for carol)", async () => {
    const carol = await issueToken(USERS.carol);
    const created = await as(alice).post('/v3/volumes', { volume: { size: 1, name: 'enc-private', volume_type: typeName } });
    await as(alice).waitFor(`/v3/volumes/${created.body.volume.id}`, (b: any) => b.volume.status === 'available');
    // carol is in another project: she does not even see the volume.
    expect((await as(carol).post('/v3/backups', { backup: { volume_id: created.body.volume.id } })).status).toBe(404);
  });
});
