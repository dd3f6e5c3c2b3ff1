import { CATALOG, type Catalog } from '@strata/catalog';
import { volumeStreamId } from '@strata/domain';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strataCli } from './support/strata-cli';
import { startStrata, type RunningStrata } from './support/strata-app';
import { captureLog, metricSample } from './support/captured-log';

const HOSTILE_VOLUME = 'f0000000-0000-4000-8000-0000000000ff';

/**
 * A VolumeCreated whose size no SQLite INTEGER holds (2**63: "cannot store REAL value in INTEGER column
 * volumes.size"), as a log written by another version or a bug could hold, appended past the api's checks.
 */
const appendHostileEvent = async (strata: RunningStrata) => {
  const store = strata.app.get<EventStore>(EVENT_STORE);
  const id = randomUUID();
  const { position } = await store.appendToStream(volumeStreamId(HOSTILE_VOLUME), [
    {
      id,
      type: 'VolumeCreated',
      data: {
        volumeId: HOSTILE_VOLUME,
        projectId: 'project-a',
        userId: 'admin',
        name: 'hostile',
        description: null,
        sizeGb: 2 ** 63,
        availabilityZone: 'nova',
        volumeType: null,
        encryptionKeyId: null,
        metadata: {},
        source: { kind: 'blank' },
        createdAt: '2026-11-27T10:00:00.000Z',
      },
      metadata: {
        correlationId: 'corr-hostile',
        causationId: 'req-hostile',
        userId: 'admin',
        projectId: 'project-a',
        requestId: 'req-hostile',
      },
    },
  ]);
  return { id, position };
};

const logged = captureLog();

/** The service on a log holding one event no projection can apply: a story, so one `describe` on one state. */
describe('an event no projection can apply, appended straight into the log', () => {
  let stateDir: string;
  let strata: RunningStrata;
  let hostile: { id: string; position: bigint };

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'strata-parked-'));
    strata = await startStrata({}, stateDir);
    hostile = await appendHostileEvent(strata);
    await strata.app.get<Catalog>(CATALOG).waitForPosition(hostile.position);
  }, 60_000);
  afterAll(async () => {
    await strata?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('is parked, logged, and the service goes on taking writes and answering reads', async () => {
    const res = await strata.client.post('/v3/volumes', { volume: { size: 1, name: 'after the hostile event' } });

    expect(logged.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({
        level: 'error',
        context: 'Catalog',
        msg:
          `Parked event ${hostile.id} (VolumeCreated in ${volumeStreamId(HOSTILE_VOLUME)}) at position ${hostile.position}: ` +
          'projection volumes failed: cannot store REAL value in INTEGER column volumes.size',
      }),
    );

    expect(res.status).toBe(202);
    expect((await strata.client.get(`/v3/volumes/${res.body.volume.id}`)).body.volume).toMatchObject({ name: 'after the hostile event' });
    expect((await strata.client.get(`/v3/volumes/${HOSTILE_VOLUME}`)).status).toBe(404);
  });

  it('makes /readyz answer 200 "degraded" with the count of parked events', async () => {
    const res = await strata.client.get('/readyz');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', catalog: { lagEvents: 0, parkedEvents: 1 } });
    expect(res.body.catalog.degraded).toBe(
      '1 event is parked: no projection could apply it, so the read models lack its effects. ' +
        'GET /strata/v1/catalog/failures lists them; strata catalog rebuild retries them.',
    );
  });

  it('shows in /metrics as strata_projection_failures', async () => {
    const text = await (await fetch(`${strata.baseUrl}/metrics`)).text();

    expect(text).toContain('# TYPE strata_projection_failures gauge\n');
    expect(metricSample(text, 'strata_projection_failures')).toBe(1);
  });

  it('is listed by GET /strata/v1/catalog/failures and by `strata catalog failures`', async () => {
    const expected = {
      position: Number(hostile.position),
      event_id: hostile.id,
      stream_id: volumeStreamId(HOSTILE_VOLUME),
      type: 'VolumeCreated',
      projection: 'volumes',
      error: 'cannot store REAL value in INTEGER column volumes.size',
    };

    const res = await strata.client.get('/strata/v1/catalog/failures');
    const cli = await strataCli(strata, 'admin:admin', '--json', 'catalog', 'failures');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ failures: [{ ...expected, parked_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }] });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(res.body.failures);
  });

  it('is retried by `strata catalog rebuild`, and parked again while it still cannot be applied', async () => {
    const head = await strata.app.get<EventStore>(EVENT_STORE).headPosition();
    const rebuilt = await strataCli(strata, 'admin:admin', '--json', 'catalog', 'rebuild');

    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout).position).toBeGreaterThanOrEqual(Number(head)); // the worker may append meanwhile
    expect((await strata.client.get('/strata/v1/catalog/failures')).body.failures).toMatchObject([{ event_id: hostile.id }]);
    expect((await strata.client.get('/readyz')).body).toMatchObject({ status: 'degraded', catalog: { parkedEvents: 1 } });
  }, 60_000);

  it('restarts on the same state and answers, and again with catalog.sqlite deleted', async () => {
    await strata.close();
    strata = await startStrata({}, stateDir);
    expect((await strata.client.get('/readyz')).body).toMatchObject({ status: 'degraded', catalog: { parkedEvents: 1 } });
    expect((await strata.client.post('/v3/volumes', { volume: { size: 1, name: 'after a restart' } })).status).toBe(202);

    await strata.close();
    for (const file of ['catalog.sqlite', 'catalog.sqlite-wal', 'catalog.sqlite-shm']) rmSync(join(stateDir, file), { force: true });
    expect(existsSync(join(stateDir, 'catalog.sqlite'))).toBe(false);
    strata = await startStrata({}, stateDir);

    expect((await strata.client.get('/readyz')).body).toMatchObject({ status: 'degraded', catalog: { lagEvents: 0, parkedEvents: 1 } });
    const volumes = (await strata.client.get('/v3/volumes?all_tenants=True')).body.volumes.map((v: { name: string }) => v.name);
    expect(volumes.sort()).toEqual(['after a restart', 'after the hostile event']);
    expect((await strata.client.post('/v3/volumes', { volume: { size: 1, name: 'after a rebuild' } })).status).toBe(202);
  }, 60_000);
});
