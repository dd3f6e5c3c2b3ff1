import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { startStrata, type RunningStrata } from '../e2e/support/strata-app';
import { SYSTEM_PYTHON } from './support/cinder-restore';

/**
 * Strata's request validation against Cinder's own (cinder.api.validation with cinder.api.schemas, run by
 * test/compat/cinder_validate.py): for each body Cinder refuses, Strata answers 400 with the same message,
 * jsonschema's wording, Python's reprs and all.
 */
const SCRIPT = path.join(__dirname, 'cinder_validate.py');
const U = '0c8f3c4e-4f2e-4c9e-9d0a-0a0a0a0a0a0a';
const ANY_ID = '00000000-0000-4000-8000-0000000000ff';

interface Route {
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly microversion: string;
}
const route = (method: Route['method'], p: string, microversion = '3.0'): Route => ({ method, path: p, microversion });

/**
 * Cinder's schema name, the route and microversion that validate with it, and bodies Cinder refuses (a
 * string is the body's JSON text as sent, for numbers JSON.stringify would not write as a client did).
 */
const CASES: readonly [schema: string, route: Route, bodies: readonly unknown[]][] = [
  [
    'backups.create',
    route('POST', '/v3/backups'),
    [
      {},
      [],
      { backup: null },
      { backup: [] },
      { backup: 'x' },
      { backup: {} },
      { backup: { x: 1 } },
      { backup: { volume_id: 'nope' } },
      { backup: { volume_id: 5 } },
      { backup: { volume_id: 'a\'b"c' } },
      { backup: { volume_id: 'tab\there' } },
      { backup: { volume_id: U, name: 'x'.repeat(256) } },
      { backup: { volume_id: U, name: 123 } },
      { backup: { volume_id: U, container: ['a'] } },
      { backup: { volume_id: U, incremental: 'maybe' } },
      { backup: { volume_id: U, force: 1 } },
      { backup: { volume_id: U, snapshot_id: 'x' } },
      { backup: { volume_id: U, x: 1, y: 2 } },
      { backup: { volume_id: U }, x: 1 },
      { backup: { volume_id: U, metadata: {} } },
    ],
  ],
  [
    'backups.create_backup_v343',
    route('POST', '/v3/backups', '3.43'),
    [
      { backup: { volume_id: U, metadata: { a: 1 } } },
      { backup: { volume_id: U, metadata: { a: { b: [1] } } } },
      { backup: { volume_id: U, metadata: { a$: 'x' } } },
      { backup: { volume_id: U, metadata: [] } },
      { backup: { volume_id: U, metadata: { a: 'x'.repeat(256) } } },
      { backup: { volume_id: U, availability_zone: 'az' } },
    ],
  ],
  [
    'backups.create_backup_v351',
    route('POST', '/v3/backups', '3.51'),
    [{ backup: { volume_id: U, availability_zone: 7 } }, { backup: { volume_id: U, availability_zone: 'z'.repeat(256) } }],
  ],
  [
    'backups.update',
    route('PUT', `/v3/backups/${ANY_ID}`, '3.9'),
    [{ backup: { name: 'a', zz: 1 } }, { backup: { metadata: { k: 'v' } } }, { backup: 'x' }],
  ],
  [
    'backups.update_backup_v343',
    route('PUT', `/v3/backups/${ANY_ID}`, '3.43'),
    [{ backup: { metadata: null } }, { backup: { metadata: { k: 1 } } }],
  ],
  [
    'backups.restore',
    route('POST', `/v3/backups/${ANY_ID}/restore`),
    [{ restore: { volume_id: 'x' } }, { restore: { volume_id: U, name: null, q: 1 } }, { restore: 'x' }, {}],
  ],
  [
    'backups.import_record',
    route('POST', '/v3/backups/import_record'),
    [
      { 'backup-record': { backup_service: 's', backup_url: '' } },
      { 'backup-record': { backup_service: 's'.repeat(256), backup_url: 'eA==' } },
      { 'backup-record': { backup_service: 's' }, x: 1 },
      { 'backup-record': {} },
    ],
  ],
  [
    'volumes.create_volume_v353',
    route('POST', '/v3/volumes', '3.53'),
    [
      '{"volume": {"size": 9223372036854775808}}',
      { volume: { size: '9223372036854775808' } },
      { volume: { size: 2147483648 } },
      { volume: { size: 0 } },
      { volume: { size: '0' } },
      { volume: { size: 1.5 } },
      { volume: { size: '1 ' } },
      { volume: { size: true } },
      { volume: { size: -0.5 } },
      { volume: { size: 1e308 } },
      { volume: { size: [1] } },
      { volume: { size: 1, name: 'x'.repeat(256) } },
      { volume: { size: 1, description: 'x'.repeat(300) } },
      { volume: { size: 1, zz: 1 } },
      { volume: { size: 1, availability_zone: '' } },
      { volume: { size: 1, snapshot_id: 'x' } },
      { volume: { size: 1, metadata: { k: 1 } } },
      { volume: { size: 1, multiattach: 'x' } },
    ],
  ],
  [
    'volumes.update_volume_v353',
    route('PUT', `/v3/volumes/${ANY_ID}`, '3.53'),
    [{ volume: {} }, { volume: { metadata: { a: 1 } } }, { volume: { name: 'n', zz: 1 } }, { volume: { metadata: null } }],
  ],
  [
    'snapshots.create',
    route('POST', '/v3/snapshots'),
    [
      { snapshot: {} },
      { snapshot: { volume_id: U, force: 'maybe' } },
      { snapshot: { volume_id: 'x' } },
      { snapshot: { volume_id: U, zz: 1 } },
    ],
  ],
  [
    'volume_actions.attach',
    route('POST', `/v3/volumes/${ANY_ID}/action`),
    [
      { 'os-attach': { instance_uuid: U } },
      { 'os-attach': { mountpoint: '/dev/vdb' } },
      { 'os-attach': { mountpoint: '/dev/vdb', instance_uuid: 'i-1' } },
      { 'os-attach': { mountpoint: '', instance_uuid: U } },
      { 'os-attach': { mountpoint: '/dev/vdb', instance_uuid: U, mode: 'rx' } },
    ],
  ],
  [
    'volume_actions.detach',
    route('POST', `/v3/volumes/${ANY_ID}/action`),
    [{ 'os-detach': { x: 1 } }, { 'os-detach': { attachment_id: 'x' } }],
  ],
  [
    'volume_actions.extend',
    route('POST', `/v3/volumes/${ANY_ID}/action`),
    [
      { 'os-extend': {} },
      { 'os-extend': null },
      { 'os-extend': 5 },
      { 'os-extend': { new_size: null } },
      { 'os-extend': { new_size: 0 } },
      { 'os-extend': { new_size: '0' } },
      { 'os-extend': { new_size: '1 ' } },
      { 'os-extend': { new_size: 1.5 } },
      { 'os-extend': { new_size: true } },
      { 'os-extend': { new_size: 2147483648 } },
      '{"os-extend": {"new_size": 9223372036854775808}}',
      { 'os-extend': { new_size: [2] } },
      { 'os-extend': { new_size: 2, x: 1 } },
      { 'os-extend': { new_size: 2 }, x: 1 },
    ],
  ],
  [
    'volume_actions.set_bootable',
    route('POST', `/v3/volumes/${ANY_ID}/action`),
    [
      { 'os-set_bootable': {} },
      { 'os-set_bootable': null },
      { 'os-set_bootable': { bootable: 'maybe' } },
      { 'os-set_bootable': { bootable: 1 } },
      { 'os-set_bootable': { bootable: null } },
      { 'os-set_bootable': { bootable: true, x: 1 } },
    ],
  ],
  [
    'volume_actions.volume_readonly_update',
    route('POST', `/v3/volumes/${ANY_ID}/action`),
    [
      { 'os-update_readonly_flag': {} },
      { 'os-update_readonly_flag': [] },
      { 'os-update_readonly_flag': { readonly: 'x' } },
      { 'os-update_readonly_flag': { readonly: 0 } },
      { 'os-update_readonly_flag': { readonly: false, mode: 'ro' } },
    ],
  ],
  [
    'admin_actions.reset_status_backup',
    route('POST', `/v3/backups/${ANY_ID}/action`),
    [{ 'os-reset_status': {} }, { 'os-reset_status': { status: 5 } }],
  ],
  [
    'volume_types.create',
    route('POST', '/v3/types'),
    [
      {},
      { volume_type: null },
      { volume_type: {} },
      { volume_type: { name: '' } },
      { volume_type: { name: '   ' } },
      { volume_type: { name: null } },
      { volume_type: { name: 5 } },
      { volume_type: { name: 'n'.repeat(256) } },
      { volume_type: { name: 'a', description: 'd'.repeat(256) } },
      { volume_type: { name: 'a', extra_specs: null } },
      { volume_type: { name: 'a', extra_specs: [] } },
      { volume_type: { name: 'a', extra_specs: { 'a b': null, 'c d': 1 } } },
      { volume_type: { name: 'a', extra_specs: { a$: 'x', b$: 'y' } } },
      { volume_type: { name: 'a', extra_specs: { k: 'v'.repeat(256) } } },
      { volume_type: { name: 'a', 'os-volume-type-access:is_public': 'maybe' } },
      { volume_type: { name: 'a', is_public: true } },
      { volume_type: { name: 'a' }, x: 1 },
    ],
  ],
  [
    'volume_types.update',
    route('PUT', `/v3/types/${ANY_ID}`),
    [
      { volume_type: null },
      { volume_type: { name: '' } },
      { volume_type: { name: 5 } },
      { volume_type: { is_public: 'maybe' } },
      { volume_type: { description: 'x', 'os-volume-type-access:is_public': true } },
      { volume_type: { name: 'n'.repeat(256) } },
    ],
  ],
  [
    'types_extra_specs.create',
    route('POST', `/v3/types/${ANY_ID}/extra_specs`),
    [
      {},
      { extra_specs: null },
      { extra_specs: { 'a b': 'x' } },
      { extra_specs: { 'a/b': 'x', 'c d': 'y' } },
      { extra_specs: { k: 1 } },
      { extra_specs: { k: 'v' }, x: 1 },
    ],
  ],
  [
    'types_extra_specs.update',
    route('PUT', `/v3/types/${ANY_ID}/extra_specs/k`),
    [{}, { k: '1', j: '2' }, { 'a b': '1' }, { k: 1 }, [], null, { k: { nested: true } }, { k: 'v'.repeat(256) }],
  ],
  [
    'volume_type_encryption.create',
    route('POST', `/v3/types/${ANY_ID}/encryption`),
    [
      {},
      { encryption: null },
      { encryption: { control_location: 'front-end' } },
      { encryption: { provider: 'luks' } },
      { encryption: { provider: 'luks', control_location: 'middle' } },
      { encryption: { provider: 5, control_location: 'front-end' } },
      ...['x', -1, '-1', ' 12', 1.5, '1.5', 99999999999, '99999999999', true].map((keySize) => ({
        encryption: { provider: 'luks', control_location: 'front-end', key_size: keySize },
      })),
      { encryption: { provider: 'luks', control_location: 'front-end', cipher: 5 } },
    ],
  ],
  [
    'volume_type_encryption.update',
    route('PUT', `/v3/types/${ANY_ID}/encryption/${ANY_ID}`),
    [
      { encryption: { provider: 5 } },
      { encryption: { control_location: 'nowhere' } },
      { encryption: { key_size: 'big' } },
      { encryption: [] },
    ],
  ],
  [
    'volume_type_access.add_project_access',
    route('POST', `/v3/types/${ANY_ID}/action`),
    [
      { addProjectAccess: {} },
      { addProjectAccess: { project: 'x' } },
      { addProjectAccess: null },
      { addProjectAccess: { project: U, x: 1 } },
      { addProjectAccess: { project: U }, x: 1 },
    ],
  ],
  [
    'volume_type_access.remove_project_access',
    route('POST', `/v3/types/${ANY_ID}/action`),
    [{ removeProjectAccess: { project: 5 } }, { removeProjectAccess: 'x' }],
  ],
  [
    'volume_metadata.create',
    route('POST', `/v3/volumes/${ANY_ID}/metadata`),
    [
      {},
      { metadata: null },
      { metadata: [] },
      { metadata: { a: 1 } },
      { metadata: { 'a!': '1' } },
      { metadata: { a: 'x'.repeat(256) } },
      { metadata: { ['k'.repeat(256)]: 'v' } },
      { metadata: { a: '1' }, x: 1 },
    ],
  ],
  [
    'volume_metadata.update',
    route('PUT', `/v3/volumes/${ANY_ID}/metadata/a`),
    [
      {},
      { meta: {} },
      { meta: { a: '1', b: '2' } },
      { meta: { 'a!': '1', b: '2' } },
      { meta: { a: null } },
      { meta: 'a' },
      { meta: { a: '1' }, x: 1 },
    ],
  ],
  [
    'volume_manage.volume_manage_create_v316',
    route('POST', '/v3/os-volume-manage', '3.16'),
    [
      { volume: { host: 'h', ref: 5 } },
      { volume: { host: 'h' } },
      { volume: { host: 'h h', ref: {} } },
      { volume: { host: 'h', ref: 'x', bootable: 'x' } },
      { volume: { ref: 'x', cluster: 5 } },
    ],
  ],
  [
    'services.enable_and_disable',
    route('PUT', '/v3/os-services/disable'),
    [
      {},
      [],
      { host: 'node-1' },
      { binary: '', host: 'node-1' },
      { binary: 5, host: 'node-1' },
      { binary: 'cinder-backup', host: 'node 1' },
      { binary: 'cinder-backup', host: '' },
      { binary: 'cinder-backup', host: 'node-1', colour: 'red' },
      { service: 'x'.repeat(256), host: 'node-1' },
      { binary: 'cinder-backup', host: 'node-1', cluster: 5 },
      { binary: 'cinder-backup', host: 'node-1', disabled_reason: 'why' },
    ],
  ],
  [
    'services.disable_log_reason',
    route('PUT', '/v3/os-services/disable-log-reason'),
    [
      { binary: 'cinder-backup', host: 'node-1', disabled_reason: '' },
      { binary: 'cinder-backup', host: 'node-1', disabled_reason: '   ' },
      { binary: 'cinder-backup', host: 'node-1', disabled_reason: 5 },
      { binary: 'cinder-backup', host: 'node-1', disabled_reason: 'x'.repeat(256) },
      { host: 'node-1', disabled_reason: 'why' },
    ],
  ],
];

const cinderMessages = (pairs: readonly [string, unknown][]): (string | null)[] => {
  const asText = pairs.map(([schema, body]) => [schema, typeof body === 'string' ? body : JSON.stringify(body)]);
  const run = spawnSync(SYSTEM_PYTHON, [SCRIPT], { input: JSON.stringify(asText), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cinder_validate.py failed (is python3-cinder installed?): ${run.stderr}`);
  return JSON.parse(run.stdout) as (string | null)[];
};

describe("request validation, message for message with Cinder's validator", () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());

  it('refuses every body Cinder refuses, with the same 400 and message', async () => {
    const pairs = CASES.flatMap(([schema, , bodies]) => bodies.map((body) => [schema, body] as [string, unknown]));
    const routes = CASES.flatMap(([, r, bodies]) => bodies.map(() => r));
    const expected = cinderMessages(pairs);
    const differences: unknown[] = [];
    for (const [i, [schema, body]] of pairs.entries()) {
      const cinder = expected[i];
      if (cinder === null) throw new Error(`Cinder accepts ${schema} ${JSON.stringify(body)}: the case tests nothing`);
      const r = routes[i]!;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const res = await strata.client.request(r.method, r.path, text, { 'OpenStack-API-Version': `volume ${r.microversion}` });
      const strataSays = res.status === 400 ? res.body?.badRequest?.message : `${res.status} ${JSON.stringify(res.body)}`;
      if (strataSays !== cinder) differences.push({ schema, body, cinder, strata: strataSays });
    }
    expect(differences).toEqual([]);
  });
});
