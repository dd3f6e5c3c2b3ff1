import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manageFile } from './support/managed-file';
import { managedDirOf, startStrata, type RunningStrata } from './support/strata-app';

/**
 * Every route the OpenAPI document lists, fed what a careless or hostile client sends: numbers no column
 * can hold, strings no name should be, nesting no parser should recurse into, bytes that are not UTF-8,
 * duplicate keys, lists where objects go. No answer may be a 500; afterwards the service is ready, a
 * normal request works, and a restart on the same state comes up with the same listings.
 */
const MARK = '"__HOSTILE__"';

/** Each value as the JSON text a client would send (so 2^63 and -0 reach the server as written). */
const VALUES: readonly [name: string, json: string][] = [
  ['2^53+1', '9007199254740993'],
  ['2^63', '9223372036854775808'],
  ['-0', '-0'],
  ['-1', '-1'],
  ['1e308', '1e308'],
  ['"1 "', '"1 "'],
  ['a numeric string beyond DB_MAX_INT', '"99999999999999999999"'],
  ['nesting 10,000 deep', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
  ['objects 5,000 deep', `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`],
  ['a 100 KB string', JSON.stringify('x'.repeat(100_000))],
  ['a 1 MB string', JSON.stringify('x'.repeat(1_000_000))],
  ['control characters', JSON.stringify('\u0000\u0001\u001b[31m\u007f\n')],
  ['a lone surrogate', '"\\ud800"'],
  ['bidi and zero-width characters', JSON.stringify('\u202egnp.exe\u200b')],
  ['a path', '"../../../etc/passwd"'],
  ['a list', '[1, 2]'],
  ['an object', '{"a": {"b": "c"}}'],
  ['null', 'null'],
  ['true', 'true'],
  ['an empty string', '""'],
];

/** Body shapes around a value: the whole body, the envelope, each field, and the field twice. */
const bodiesFor = (envelope: string, fields: readonly string[]): string[] => [
  MARK,
  `{"${envelope}": ${MARK}}`,
  `{"${envelope}": {}, "extra": ${MARK}}`,
  ...fields.flatMap((field) => [`{"${envelope}": {"${field}": ${MARK}}}`, `{"${envelope}": {"${field}": "ok", "${field}": ${MARK}}}`]),
];

/** The payload fields of a documented request body (`{"backup": {...}}` → ['backup', [fields]]). */
const payloadOf = (doc: any, ref: string | undefined): [string, string[]] | null => {
  if (!ref) return null;
  const envelope = doc.components.schemas[ref.split('/').pop()!];
  const [key, property] = Object.entries(envelope.properties as Record<string, any>)[0]!;
  const inner = property.allOf?.[0]?.$ref ?? property.$ref;
  const payload = inner ? doc.components.schemas[inner.split('/').pop()] : null;
  return [key, Object.keys(payload?.properties ?? {})];
};

/** Actions are one route each for backups, volumes and volume types; their payloads are known here, not in the document. */
const ACTIONS: Readonly<Record<string, readonly [string, readonly string[]][]>> = {
  backups: [
    ['os-reset_status', ['status']],
    ['os-force_delete', []],
    ['os-bogus', []],
  ],
  volumes: [
    ['os-attach', ['instance_uuid', 'mountpoint', 'host_name', 'mode']],
    ['os-detach', ['attachment_id']],
    ['os-unmanage', []],
    ['os-extend', ['new_size']],
    ['os-set_bootable', ['bootable']],
    ['os-update_readonly_flag', ['readonly']],
    ['os-reserve', []],
    ['os-unreserve', []],
    ['os-begin_detaching', []],
    ['os-roll_detaching', []],
  ],
  types: [
    ['addProjectAccess', ['project']],
    ['removeProjectAccess', ['project']],
  ],
};

const HOSTILE_IDS = [
  '%00',
  'x'.repeat(5_000),
  '..%2F..%2Fetc%2Fpasswd',
  '%E2%80%AE',
  '99999999999999999999',
  "'%3B%20DROP%20TABLE%20backups%3B--",
  '%FF%FE',
];

interface Probe {
  readonly method: string;
  readonly path: string;
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
}

describe('hostile input on every route', () => {
  let stateDir: string;
  let strata: RunningStrata;
  const answers: { probe: string; status: number; body: string }[] = [];

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'strata-hostile-'));
    strata = await startStrata({}, stateDir);
  });
  afterAll(async () => {
    await strata?.close();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(managedDirOf(stateDir), { recursive: true, force: true });
  });

  const send = async ({ method, path, body, headers = {} }: Probe) => {
    const res = await fetch(`${strata.baseUrl}${path}`, {
      method,
      headers: {
        'X-Auth-Token': 'admin:hostile',
        'OpenStack-API-Version': 'volume 3.70',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body,
    });
    const text = await res.text();
    answers.push({
      probe: `${method} ${path.slice(0, 120)} ${String(body ?? '').slice(0, 120)}`,
      status: res.status,
      body: text.slice(0, 300),
    });
  };

  /** Settles the worker: every job done, nothing `creating`, `deleting`, `restoring` or `extending`. */
  const settled = async () => {
    const busy = /"status":"(creating|deleting|restoring|backing-up|restoring-backup|extending)"/;
    await strata.client.waitFor('/strata/v1/jobs?all_tenants=1', (b: any) => b.jobs.length === 0, 180_000);
    for (const list of ['/v3/volumes/detail?all_tenants=1', '/v3/backups/detail?all_tenants=1', '/v3/snapshots/detail?all_tenants=1'])
      await strata.client.waitFor(list, (b: any) => !busy.test(JSON.stringify(b)), 180_000);
  };

  /** The lists as a client sees them, links made independent of the port the process listens on. */
  const listings = async () => {
    const get = async (path: string) =>
      JSON.parse(
        JSON.stringify((await strata.client.get(path)).body)
          .split(strata.baseUrl)
          .join('BASE'),
      );
    return {
      volumes: await get('/v3/volumes/detail?all_tenants=1&sort=id:asc'),
      backups: await get('/v3/backups/detail?all_tenants=1&sort=id:asc'),
      snapshots: await get('/v3/snapshots/detail?all_tenants=1&sort=id:asc'),
    };
  };

  it('answers every probe without a 500, then is ready, works, and restarts with the same listings', async () => {
    const client = strata.client.as({ 'X-Auth-Token': 'admin:hostile' });
    const { volume } = await manageFile(client, strata.managedDir, 2, 'hostile');
    const backup = await client.createBackup(volume.id);
    const snapshot = (await client.post('/v3/snapshots', { snapshot: { volume_id: volume.id, name: 'hostile-snap' } })).body.snapshot;
    const type = (
      await client.post('/v3/types', {
        volume_type: { name: 'hostile-type', extra_specs: { k: 'v' }, 'os-volume-type-access:is_public': false },
      })
    ).body.volume_type;
    const ids: Record<string, string> = {
      backupId: backup.id,
      volumeId: volume.id,
      snapshotId: snapshot.id,
      projectId: 'hostile',
      file: 'app.js',
      typeId: type.id,
      key: 'k',
      encryptionId: 'provider',
    };
    const doc = (await strata.client.get('/strata/v1/openapi.json')).body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))
      // Destructive routes last, so the others still find their fixtures.
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));

    const probes: Probe[] = [];
    for (const { path, method, op } of operations) {
      const real = path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? name);
      // Path parameters: hostile ids in every position.
      for (const param of path.match(/\{(\w+)\}/g) ?? [])
        for (const id of HOSTILE_IDS)
          probes.push({ method, path: path.replace(/\{(\w+)\}/g, (m) => (m === param ? id : ids[m.slice(1, -1)]!)) });
      // Query parameters: each hostile value in each documented parameter, repeated, and an unknown one.
      const query = (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name as string);
      for (const name of [...query, 'unknown_parameter'])
        for (const [, json] of VALUES) {
          const value = encodeURIComponent(json.length > 4096 ? json.slice(0, 4096) : json.replace(/^"|"$/g, ''));
          probes.push({ method, path: `${real}?${name}=${value}` }, { method, path: `${real}?${name}=${value}&${name}=1` });
        }
      // Bodies: each value in each shape of the route's payload.
      if (method === 'POST' || method === 'PUT') {
        const action = /\/(backups|volumes|types)\/\{\w+\}\/action$/.exec(path)?.[1];
        const shapes = action
          ? ACTIONS[action]!.flatMap(([key, fields]) => bodiesFor(key, fields))
          : (() => {
              const payload = payloadOf(doc, op.requestBody?.content?.['application/json']?.schema?.$ref);
              return payload ? bodiesFor(payload[0], payload[1]) : [MARK];
            })();
        for (const shape of shapes) for (const [, json] of VALUES) probes.push({ method, path: real, body: shape.replace(MARK, json) });
        // Bytes that are not UTF-8 inside a string, and a body that is not JSON at all.
        probes.push({
          method,
          path: real,
          body: Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
        });
        probes.push({ method, path: real, body: '{"unterminated": ' });
      }
    }
    // Headers every route reads.
    for (const header of ['OpenStack-API-Version', 'X-Auth-Token', 'X-OpenStack-Request-ID'])
      for (const value of ['volume 9999999999999999999.1', 'volume 3.x', ':::', 'x'.repeat(8_000), 'caf\u00e9'])
        probes.push({ method: 'GET', path: '/v3/backups/detail', headers: { [header]: value } });
    // A catalog file whose one event no read model could store, with a valid checksum: refused before any append.
    probes.push({
      method: 'POST',
      path: '/strata/v1/catalog/import',
      body: `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}\n`,
      headers: { 'Content-Type': 'application/x-ndjson' },
    });

    for (let i = 0; i < probes.length; i += 8) await Promise.all(probes.slice(i, i + 8).map(send));

    // No 500, and every refusal a Cinder fault body (never a stack or an HTML page).
    const failures = answers.filter((a) => a.status >= 500 || (a.status >= 400 && !/^\{"\w+":\{"code":\d+,"message":/.test(a.body)));
    expect({ probes: answers.length, failures: failures.slice(0, 20) }).toEqual({ probes: probes.length, failures: [] });
    expect(probes.length).toBeGreaterThan(3_000);

    await settled();
    expect((await strata.client.get('/readyz')).body.status).toBe('ready');
    const normal = await client.createVolume(1, 'after-the-storm');
    expect(normal.status).toBe('available');

    await settled();
    const before = await listings();
    await strata.close();
    strata = await startStrata({}, stateDir);
    expect((await strata.client.get('/readyz')).status).toBe(200);
    expect(await listings()).toEqual(before);
  }, 600_000);
});
