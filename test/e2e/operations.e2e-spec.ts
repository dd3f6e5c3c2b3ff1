import { CATALOG, type Catalog } from '@strata/catalog';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { writeFileSync } from 'node:fs';
import { startStrata, type RunningStrata } from './support/strata-app';
import { captureLog, metricSample } from './support/captured-log';

const PROJECT = 'ops-project';

const logged = captureLog();

describe('the operator routes', () => {
  let strata: RunningStrata;
  let backupId: string;
  const client = () => strata.client.as({ 'X-Auth-Token': `ops-user:${PROJECT}` });

  beforeAll(async () => {
    strata = await startStrata({ STRATA_LOG_LEVEL: 'info' });
    const volume = await client().createVolume(1, 'ops-vol');
    // Text compresses: the compression ratio has something to show.
    const path = strata.app.get<Catalog>(CATALOG).getVolume(volume.id, { projectId: PROJECT, allProjects: false })!.locationPath!;
    writeFileSync(path, Buffer.from('strata backs up volumes\n'.repeat(200_000)), { flag: 'r+' });
    backupId = (await client().createBackup(volume.id, { name: 'ops-full' })).id;
  }, 240_000);
  afterAll(async () => strata?.close());

  describe('GET /metrics', () => {
    it('exposes backups by status, bytes, compression, job durations and projection lag in Prometheus text', async () => {
      const res = await fetch(`${strata.baseUrl}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
      const text = await res.text();
      expect(text).toContain('# TYPE strata_backups gauge\n');
      expect(metricSample(text, 'strata_backups{status="available"}')).toBe(1);
      expect(metricSample(text, 'strata_backup_read_bytes_total')).toBe(1024 ** 3);
      expect(metricSample(text, 'strata_backup_written_bytes_total')).toBeGreaterThan(0);
      expect(metricSample(text, 'strata_backup_compression_ratio')).toBeGreaterThan(1);
      expect(metricSample(text, 'strata_jobs_total{kind="backup",outcome="completed"}')).toBe(1);
      expect(text).toContain('# TYPE strata_job_duration_seconds histogram\n');
      expect(metricSample(text, 'strata_job_duration_seconds_bucket{kind="backup",outcome="completed",le="+Inf"}')).toBe(1);
      expect(metricSample(text, 'strata_job_duration_seconds_count{kind="backup",outcome="completed"}')).toBe(1);
      const head = Number(await strata.app.get<EventStore>(EVENT_STORE).headPosition());
      expect(metricSample(text, 'strata_event_store_head_position')).toBeGreaterThanOrEqual(head);
      expect(metricSample(text, 'strata_projection_lag_events')).toBeGreaterThanOrEqual(0);
      for (const line of text.trimEnd().split('\n'))
        expect(line).toMatch(
          /^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[\d.e+]+|[a-z_]+\{.*\} \+Inf)$/,
        );
    });
  });

  describe('GET /readyz', () => {
    it('is ready when the event store answers and the read models have caught up', async () => {
      const res = await strata.client.get('/readyz');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ready', eventStore: { reachable: true }, catalog: { lagEvents: 0, maxCatchUpMs: 2000 } });
      expect(res.body.catalog.position).toBe(res.body.eventStore.headPosition);
    });

    it('is not ready (503) once the event store is gone', async () => {
      const other = await startStrata();
      try {
        await other.app.get<EventStore>(EVENT_STORE).close();
        const res = await other.client.get('/readyz');
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ status: 'not ready', eventStore: { reachable: false } });
        expect((await other.client.get('/healthz')).status).toBe(503);
      } finally {
        await other.close().catch(() => undefined);
      }
    });
  });

  describe('GET /strata/v1/openapi.json', () => {
    it('describes every Cinder and Strata route the app serves, without credentials', async () => {
      const res = await fetch(`${strata.baseUrl}/strata/v1/openapi.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as any;
      expect(doc.openapi).toBe('3.0.3');
      const ops = Object.entries(doc.paths as Record<string, Record<string, { summary: string }>>).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
      );
      expect(ops).toEqual(
        expect.arrayContaining([
          'GET /v3/backups/detail',
          'POST /v3/{projectId}/backups',
          'POST /v3/backups/{backupId}/restore',
          'POST /v3/backups/{backupId}/action',
          'GET /v3/volumes/{volumeId}',
          'DELETE /v3/snapshots/{snapshotId}',
          'GET /strata/v1/jobs',
          'GET /strata/v1/backups/{backupId}/progress',
          'GET /metrics',
          'GET /readyz',
          'GET /ui',
        ]),
      );
      const backupShow = doc.paths['/v3/backups/{backupId}'].get;
      expect(backupShow.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/BackupEnvelope' });
      expect(doc.components.schemas.BackupEnvelope).toBeDefined();
    });

    it('documents every route it serves with a summary, its responses and the body it validates', async () => {
      const doc = (await (await fetch(`${strata.baseUrl}/strata/v1/openapi.json`)).json()) as any;
      const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
        Object.entries(methods).map(([m, op]) => ({ key: `${m} ${path}`, op })),
      );
      expect(operations.filter(({ op }) => !op.summary || Object.keys(op.responses).length === 0).map(({ key }) => key)).toEqual([]);
      // Generated from the DTOs the requests are validated with: 3.51's availability_zone is there, bounds and all.
      const create = doc.paths['/v3/backups'].post.requestBody.content['application/json'].schema;
      expect(create).toEqual({ $ref: '#/components/schemas/BackupCreateV351Body' });
      expect(doc.components.schemas.BackupCreateV351.properties).toMatchObject({
        volume_id: { type: 'string', format: 'uuid' },
        availability_zone: { type: 'string', nullable: true, maxLength: 255 },
      });
      expect(doc.components.schemas.VolumeCreate.properties.size).toMatchObject({ nullable: true });
      expect(doc.paths['/v3/backups/detail'].get.parameters.map((p: any) => p.name)).toEqual(
        expect.arrayContaining(['limit', 'offset', 'marker', 'with_count']),
      );
      expect(doc.paths['/readyz'].get.security).toEqual([]);
    });
  });

  describe('GET /strata/v1/jobs and progress', () => {
    it("shows a backup's status, and no job once it is done", async () => {
      const res = await client().get(`/strata/v1/backups/${backupId}/progress`);
      expect(res.status).toBe(200);
      expect(res.body.progress).toMatchObject({ backup_id: backupId, status: 'available', size_bytes: 1024 ** 3, job: null });
      expect((await client().get('/strata/v1/jobs')).body).toEqual({ jobs: [] });
      expect(await client().get(`/strata/v1/jobs/${backupId}`)).toMatchObject({
        status: 404,
        body: { itemNotFound: { code: 404, message: `No job is running on backup ${backupId}.` } },
      });
    });

    it("answers 404 with Cinder's fault for an unknown backup", async () => {
      const res = await client().get('/strata/v1/backups/00000000-0000-4000-8000-000000000000/progress');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ itemNotFound: { code: 404, message: 'Backup 00000000-0000-4000-8000-000000000000 could not be found.' } });
    });
  });

  describe('structured logs', () => {
    it('logs each request as one JSON line whose request id is the one its events carry', async () => {
      const res = await client().post('/v3/volumes', { volume: { size: 1, name: 'logged' } });
      expect(res.status).toBe(202);
      const requestId = res.headers.get('x-openstack-request-id')!;
      const volumeId = res.body.volume.id;
      await new Promise((r) => setTimeout(r, 50)); // the line is written on 'finish', just after the client has the body
      const line = logged.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === requestId);
      expect(line).toMatchObject({
        level: 'info',
        msg: 'request',
        method: 'POST',
        path: '/v3/volumes',
        status: 202,
        requestId,
        correlationId: requestId,
        userId: 'ops-user',
        projectId: PROJECT,
      });
      expect(typeof line!.durationMs).toBe('number');
      expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
      const [created] = await collect(strata.app.get<EventStore>(EVENT_STORE).readStream(`volume-${volumeId}`));
      expect(created.metadata).toMatchObject({ requestId, correlationId: requestId });
    });
  });
});

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};
