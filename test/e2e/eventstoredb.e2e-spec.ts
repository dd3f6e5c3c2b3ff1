import { createHash, randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EsdbDouble } from '@strata/event-store/testing/esdb-double/esdb-double';
import { openEsdbEventStore } from '@strata/event-store';
import { startStrata, type RunningStrata } from './support/strata-app';

const MiB = 1024 * 1024;
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe('Strata on EventStoreDB (event_store = esdb://…, against the gRPC double)', () => {
  let double: EsdbDouble;
  let strata: RunningStrata;
  beforeAll(async () => {
    double = await EsdbDouble.start();
    strata = await startStrata({ STRATA_EVENT_STORE: `esdb://127.0.0.1:${double.port}?tls=false` });
  });
  afterAll(async () => {
    await strata?.close();
    await double?.stop();
  });

  it('backs a volume up and restores it byte for byte, with every event in EventStoreDB', async () => {
    const { client } = strata;
    const volume = await client.createVolume(1, 'on-esdb');
    const image = join(strata.options.volumes_path, `volume-${volume.id}.img`);
    const handle = await open(image, 'r+');
    await handle.write(randomBytes(2 * MiB), 0, 2 * MiB, 5 * MiB);
    await handle.close();
    const digest = await sha256(image);

    const backup = await client.createBackup(volume.id, { name: 'esdb' });
    expect(backup).toMatchObject({ status: 'available', fail_reason: null, volume_id: volume.id });

    const restore = await client.post(`/v3/backups/${backup.id}/restore`, { restore: { name: 'restored' } });
    expect(restore.status).toBe(202);
    const target = restore.body.restore.volume_id;
    await client.waitFor(`/v3/volumes/${target}`, (b: any) => b.volume.status === 'available');
    expect(await sha256(join(strata.options.volumes_path, `volume-${target}.img`))).toBe(digest);

    const store = openEsdbEventStore(double.connectionString);
    try {
      const types: string[] = [];
      for await (const event of store.readStream(`backup-${backup.id}`)) types.push(event.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'BackupRequested',
          'BackupStarted',
          'ChunkWritten',
          'BackupCompleted',
          'RestoreRequested',
          'RestoreCompleted',
        ]),
      );
    } finally {
      await store.close();
    }
  }, 240_000);
});
