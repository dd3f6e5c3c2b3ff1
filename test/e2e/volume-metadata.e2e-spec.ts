import { createHash } from 'node:crypto';
import { startStrata, startStrataWithTokens, type RunningStrata } from './support/strata-app';

const V370 = { 'OpenStack-API-Version': 'volume 3.70' };

describe("a volume's metadata, as Cinder's volume_metadata API", () => {
  let strata: RunningStrata;
  let volumeId: string;
  const client = () => strata.client.as({ 'X-Auth-Token': 'demo:demo', ...V370 });
  const metadataOf = async () => (await client().get(`/v3/volumes/${volumeId}/metadata`)).body;

  beforeAll(async () => {
    strata = await startStrata();
    const res = await client().post('/v3/volumes', { volume: { size: 1, name: 'meta', metadata: { origin: 'create' } } });
    volumeId = res.body.volume.id;
    await client().waitFor(`/v3/volumes/${volumeId}`, (b: any) => b.volume.status === 'available');
  });
  afterAll(async () => strata?.close());

  it('merges with POST, answering the whole metadata, and shows it in the volume', async () => {
    const res = await client().post(`/v3/volumes/${volumeId}/metadata`, { metadata: { a: '1', b: '2' } });
    expect(res).toMatchObject({ status: 200, body: { metadata: { origin: 'create', a: '1', b: '2' } } });
    expect(await metadataOf()).toEqual({ metadata: { origin: 'create', a: '1', b: '2' } });
    expect((await client().get(`/v3/volumes/${volumeId}`)).body.volume.metadata).toEqual({ origin: 'create', a: '1', b: '2' });
  });

  it('shows, sets and deletes one key, with Cinder’s refusals', async () => {
    expect((await client().get(`/v3/volumes/${volumeId}/metadata/a`)).body).toEqual({ meta: { a: '1' } });
    expect((await client().get(`/v3/volumes/${volumeId}/metadata/nope`)).body).toEqual({
      itemNotFound: { code: 404, message: `Volume ${volumeId} has no metadata with key nope.` },
    });
    expect((await client().put(`/v3/volumes/${volumeId}/metadata/a`, { meta: { a: '10' } })).body).toEqual({ meta: { a: '10' } });
    expect((await client().put(`/v3/volumes/${volumeId}/metadata/a`, { meta: { b: '10' } })).body).toEqual({
      badRequest: { code: 400, message: 'Request body and URI mismatch' },
    });
    expect((await client().put(`/v3/volumes/${volumeId}/metadata/a`, { meta: { a: '1', b: '2' } })).body).toEqual({
      badRequest: {
        code: 400,
        message: "Invalid input for field/attribute meta. Value: {'a': '1', 'b': '2'}. {'a': '1', 'b': '2'} has too many properties",
      },
    });
    const deleted = await client().delete(`/v3/volumes/${volumeId}/metadata/b`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toBeNull();
    expect((await client().delete(`/v3/volumes/${volumeId}/metadata/b`)).body).toEqual({
      itemNotFound: { code: 404, message: `Volume ${volumeId} has no metadata with key b.` },
    });
    expect(await metadataOf()).toEqual({ metadata: { origin: 'create', a: '10' } });
  });

  it('replaces the whole metadata with PUT, and refuses what Cinder’s schema refuses', async () => {
    expect((await client().put(`/v3/volumes/${volumeId}/metadata`, { metadata: { only: 'this' } })).body).toEqual({
      metadata: { only: 'this' },
    });
    expect((await client().post(`/v3/volumes/${volumeId}/metadata`, { metadata: { 'bad!': 'x' } })).body).toEqual({
      badRequest: {
        code: 400,
        message:
          "Invalid input for field/attribute metadata. Value: {'bad!': 'x'}. 'bad!' does not match any of the regexes: '^[a-zA-Z0-9-_:. /]{1,255}$'",
      },
    });
    expect((await client().post(`/v3/volumes/${volumeId}/metadata`, {})).body).toEqual({
      badRequest: { code: 400, message: "'metadata' is a required property" },
    });
    expect((await client().post(`/v3/volumes/${'0'.repeat(8)}-0000-4000-8000-000000000000/metadata`, { metadata: {} })).status).toBe(404);
  });

  it('gives an ETag from 3.15 and answers 412 to an If-Match naming another version', async () => {
    const res = await client().get(`/v3/volumes/${volumeId}/metadata`);
    const etag = createHash('md5').update('{"metadata": {"only": "this"}}').digest('hex');
    expect(res.headers.get('etag')).toBe(etag);
    const stale = await client().put(`/v3/volumes/${volumeId}/metadata`, { metadata: { x: '1' } }, { 'If-Match': 'not-the-etag' });
    expect(stale.status).toBe(412);
    expect(await metadataOf()).toEqual({ metadata: { only: 'this' } });
    const fresh = await client().put(`/v3/volumes/${volumeId}/metadata/only`, { meta: { only: 'that' } }, { 'If-Match': `"${etag}"` });
    expect(fresh.status).toBe(200);
    // Before 3.15 If-Match is not read.
    const old = await client().put(
      `/v3/volumes/${volumeId}/metadata`,
      { metadata: { k: 'v' } },
      { 'If-Match': 'x', 'OpenStack-API-Version': 'volume 3.14' },
    );
    expect(old.status).toBe(200);
  });

  it('filters the volume list on metadata, as Cinder evaluates the filter', async () => {
    const other = (await client().post('/v3/volumes', { volume: { size: 1, name: 'other', metadata: { k: 'w' } } })).body.volume.id;
    await client().waitFor(`/v3/volumes/${other}`, (b: any) => b.volume.status === 'available');
    const names = async (filter: string) =>
      (await client().get(`/v3/volumes?${new URLSearchParams({ metadata: filter })}`)).body.volumes.map((v: any) => v.name).sort();
    expect(await names("{'k': 'v'}")).toEqual(['meta']);
    expect(await names("{'k': 'w'}")).toEqual(['other']);
    expect(await names('{}')).toEqual(['meta', 'other']);
    expect(await names("{'k': 'v', 'x': 'y'}")).toEqual([]);
    // Not a Python dict: Cinder's query matches nothing.
    expect(await names('k=v')).toEqual([]);
    // The admin metadata Cinder's views show is matched too.
    await client().post(`/v3/volumes/${other}/action`, { 'os-update_readonly_flag': { readonly: true } });
    expect(await names("{'readonly': 'True'}")).toEqual(['other']);
  });
});

describe('volume metadata and projects', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrataWithTokens({
      'alice-tok': { user_id: 'alice', project_id: 'project-a', roles: ['member', 'reader'] },
      'bob-tok': { user_id: 'bob', project_id: 'project-b', roles: ['member', 'reader'] },
      'carol-tok': { user_id: 'carol', project_id: 'project-a', roles: ['reader'] },
    });
  });
  afterAll(async () => strata?.close());

  it("keeps another project's volume out of reach, and a reader from changing it", async () => {
    const alice = strata.client.as({ 'X-Auth-Token': 'alice-tok', ...V370 });
    const id = (await alice.post('/v3/volumes', { volume: { size: 1, metadata: { k: 'v' } } })).body.volume.id;
    await alice.waitFor(`/v3/volumes/${id}`, (b: any) => b.volume.status === 'available');
    const bob = strata.client.as({ 'X-Auth-Token': 'bob-tok', ...V370 });
    expect((await bob.get(`/v3/volumes/${id}/metadata`)).status).toBe(404);
    expect((await bob.post(`/v3/volumes/${id}/metadata`, { metadata: { a: 'b' } })).status).toBe(404);
    const carol = strata.client.as({ 'X-Auth-Token': 'carol-tok', ...V370 });
    expect((await carol.get(`/v3/volumes/${id}/metadata`)).body).toEqual({ metadata: { k: 'v' } });
    expect((await carol.post(`/v3/volumes/${id}/metadata`, { metadata: { a: 'b' } })).body).toEqual({
      forbidden: { code: 403, message: "Policy doesn't allow volume:create_volume_metadata to be performed." },
    });
    // A member's metadata filter is one of Cinder's resource filters; name~ is not.
    expect((await alice.get(`/v3/volumes?metadata=${encodeURIComponent("{'k': 'v'}")}`)).body.volumes).toHaveLength(1);
    expect((await alice.get('/v3/volumes?name~=x')).body).toEqual({
      badRequest: { code: 400, message: 'Invalid filters name~ are found in query options.' },
    });
  });
});
