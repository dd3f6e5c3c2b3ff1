import Ajv from 'ajv';
import {
  backupDetailSchema,
  backupRecordSchema,
  backupSummarySchema,
  restoreSchema,
} from '../../apps/api/src/backups/backup.response-schema';
import { envelope, list, type JsonSchema, type ViewRequest } from '../../apps/api/src/shared/cinder-response-schema';
import { snapshotDetailSchema, snapshotSummarySchema } from '../../apps/api/src/snapshots/snapshot.response-schema';
import { volumeDetailSchema, volumeSummarySchema } from '../../apps/api/src/volumes/volume.response-schema';
import { manageFile } from './support/managed-file';
import { startStrataWithTokens, type RunningStrata } from './support/strata-app';
import type { StrataClient } from './support/strata-client';

/**
 * Every view a Cinder client reads, at every microversion from 3.0 to 3.70 and for an admin and a member,
 * against Cinder's response schemas (written from Cinder's view builders, `*.response-schema.ts`, with no
 * additional properties): no key Cinder does not send, none it sends missing, Cinder's types.
 */
const PROJECT = 'views';
const ROLES = { admin: 'admin-token', member: 'member-token' } as const;
const MICROVERSIONS = Array.from({ length: 71 }, (_, minor) => `3.${minor}`);
/** Where a view changes: the answers that create something are checked at these. */
const GATES = [
  '3.0',
  '3.9',
  '3.13',
  '3.14',
  '3.18',
  '3.21',
  '3.41',
  '3.43',
  '3.45',
  '3.48',
  '3.56',
  '3.61',
  '3.63',
  '3.64',
  '3.65',
  '3.69',
  '3.70',
];

const ajv = new Ajv({ allErrors: true, strict: false });
const KEY = '11111111-2222-4333-8444-555555555555';

describe("Cinder's views, key for key, at every microversion and role", () => {
  let strata: RunningStrata;
  const failures: { route: string; microversion: string; role: string; status?: number; errors: unknown }[] = [];
  const fixtures = { volume: '', attached: '', snapshot: '', backup: '' };

  const clientFor = (role: keyof typeof ROLES, microversion: string): StrataClient =>
    strata.client.as({ 'X-Auth-Token': ROLES[role], 'OpenStack-API-Version': `volume ${microversion}` });

  const check = async (
    role: keyof typeof ROLES,
    microversion: string,
    route: string,
    status: number,
    send: (c: StrataClient) => Promise<{ status: number; body: unknown }>,
    schema: (r: ViewRequest) => JsonSchema,
  ) => {
    const [major, minor] = microversion.split('.').map(Number);
    const res = await send(clientFor(role, microversion));
    const validate = ajv.compile(schema({ microversion: { major: major!, minor: minor! }, admin: role === 'admin' }));
    if (res.status !== status) failures.push({ route, microversion, role, status: res.status, errors: res.body });
    else if (!validate(res.body)) failures.push({ route, microversion, role, errors: validate.errors?.slice(0, 3) });
  };

  beforeAll(async () => {
    strata = await startStrataWithTokens({
      [ROLES.admin]: { user_id: 'ada', project_id: PROJECT, roles: ['admin', 'member', 'reader'] },
      [ROLES.member]: { user_id: 'mel', project_id: PROJECT, roles: ['member', 'reader'] },
    });
    const admin = strata.client.as({ 'X-Auth-Token': ROLES.admin });
    fixtures.volume = (await manageFile(admin, strata.managedDir, 1, 'viewed')).volume.id;
    await admin.put(`/v3/volumes/${fixtures.volume}`, { volume: { metadata: { role: 'db' } } });
    const attached = await admin.post('/v3/volumes', { volume: { size: 1, name: 'attached', encryption_key_id: KEY } });
    fixtures.attached = attached.body.volume.id;
    await admin.waitFor(`/v3/volumes/${fixtures.attached}`, (b: any) => b.volume.status === 'available');
    await admin.post(`/v3/volumes/${fixtures.attached}/action`, {
      'os-attach': { instance_uuid: '1e000000-0000-4000-8000-000000000001', mountpoint: '/dev/vdb', host_name: 'compute-1' },
    });
    const snapshot = await admin.post('/v3/snapshots', { snapshot: { volume_id: fixtures.volume, name: 'viewed-snap' } });
    fixtures.snapshot = snapshot.body.snapshot.id;
    await admin.waitFor(`/v3/snapshots/${fixtures.snapshot}`, (b: any) => b.snapshot.status === 'available');
    const backup = await admin
      .as({ 'X-Auth-Token': ROLES.admin, 'OpenStack-API-Version': 'volume 3.70' })
      .createBackup(fixtures.volume, { name: 'viewed-backup', metadata: { k: 'v' } });
    fixtures.backup = backup.id;
  }, 120_000);
  afterAll(async () => strata?.close());

  beforeEach(() => {
    failures.length = 0;
  });

  it('shows, lists and lists in detail volumes, snapshots and backups with exactly their keys', async () => {
    for (const microversion of MICROVERSIONS)
      for (const role of ['admin', 'member'] as const) {
        const get = (path: string) => (c: StrataClient) => c.get(path);
        const vol = (r: ViewRequest) => volumeDetailSchema(r, 'show');
        const snap = (r: ViewRequest) => snapshotDetailSchema(r, 'show');
        await check(role, microversion, 'GET /volumes', 200, get('/v3/volumes'), (r) => list(r, 'volumes', volumeSummarySchema));
        await check(role, microversion, 'GET /volumes?with_count', 200, get('/v3/volumes?with_count=true'), (r) =>
          list(r, 'volumes', volumeSummarySchema, { withCount: true }),
        );
        await check(role, microversion, 'GET /volumes/detail', 200, get('/v3/volumes/detail'), (r) => list(r, 'volumes', vol(r)));
        await check(role, microversion, 'GET /volumes/{id}', 200, get(`/v3/volumes/${fixtures.volume}`), (r) => envelope('volume', vol(r)));
        await check(role, microversion, 'GET /volumes/{attached}', 200, get(`/v3/volumes/${fixtures.attached}`), (r) =>
          envelope('volume', vol(r)),
        );
        await check(role, microversion, 'GET /snapshots', 200, get('/v3/snapshots'), (r) => list(r, 'snapshots', snapshotSummarySchema));
        await check(role, microversion, 'GET /snapshots/detail?with_count', 200, get('/v3/snapshots/detail?with_count=1'), (r) =>
          list(r, 'snapshots', snap(r), { withCount: true }),
        );
        await check(role, microversion, 'GET /snapshots/{id}', 200, get(`/v3/snapshots/${fixtures.snapshot}`), (r) =>
          envelope('snapshot', snap(r)),
        );
        await check(role, microversion, 'GET /backups', 200, get('/v3/backups'), (r) => list(r, 'backups', backupSummarySchema));
        await check(role, microversion, 'GET /backups/detail?with_count', 200, get('/v3/backups/detail?with_count=true'), (r) =>
          list(r, 'backups', backupDetailSchema(r), { withCount: true }),
        );
        await check(role, microversion, 'GET /backups/{id}', 200, get(`/v3/backups/${fixtures.backup}`), (r) =>
          envelope('backup', backupDetailSchema(r)),
        );
      }
    expect(failures).toEqual([]);
  }, 600_000);

  it('answers creates, updates, restores and records with exactly their keys', async () => {
    for (const microversion of GATES)
      for (const role of ['admin', 'member'] as const) {
        const answer = (r: ViewRequest) => envelope('volume', volumeDetailSchema(r, 'answer'));
        await check(
          role,
          microversion,
          'POST /volumes',
          202,
          (c) => c.post('/v3/volumes', { volume: { size: 1, name: `made-${microversion}` } }),
          answer,
        );
        await check(
          role,
          microversion,
          'PUT /volumes/{id}',
          200,
          (c) => c.put(`/v3/volumes/${fixtures.volume}`, { volume: { name: 'renamed' } }),
          answer,
        );
        await check(
          role,
          microversion,
          'POST /snapshots',
          202,
          (c) => c.post('/v3/snapshots', { snapshot: { volume_id: fixtures.volume } }),
          (r) => envelope('snapshot', snapshotDetailSchema(r, 'answer')),
        );
        if (Number(microversion.split('.')[1]) >= 9)
          await check(
            role,
            microversion,
            'PUT /backups/{id}',
            200,
            (c) => c.put(`/v3/backups/${fixtures.backup}`, { backup: { name: 'viewed' } }),
            () => envelope('backup', backupSummarySchema),
          );
      }
    const admin = clientFor('admin', '3.70');
    await check(
      'admin',
      '3.70',
      'GET /backups/{id}/export_record',
      200,
      (c) => c.get(`/v3/backups/${fixtures.backup}/export_record`),
      () => backupRecordSchema,
    );
    await check(
      'member',
      '3.70',
      'POST /backups/{id}/restore',
      202,
      (c) => c.post(`/v3/backups/${fixtures.backup}/restore`, { restore: null }),
      () => restoreSchema,
    );
    await admin.waitFor(`/v3/backups/${fixtures.backup}`, (b: any) => b.backup.status === 'available');
    const { volume } = await manageFile(admin, strata.managedDir, 1, 'fresh');
    await check(
      'member',
      '3.0',
      'POST /backups',
      202,
      (c) => c.post('/v3/backups', { backup: { volume_id: volume.id } }),
      () => envelope('backup', backupSummarySchema),
    );
    expect(failures).toEqual([]);
  }, 600_000);
});
