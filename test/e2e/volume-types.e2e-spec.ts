import { DEFAULT_VOLUME_TYPE_ID } from '@strata/domain';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { managedDirOf, startStrata, startStrataWithTokens, type RunningStrata } from './support/strata-app';
import type { StrataClient } from './support/strata-client';

/**
 * Cinder's volume types over HTTP: /types with its extra specs, encryption and access lists, the
 * `__DEFAULT__` type and `default_volume_type`, and `volume_type` on volume create. Roles come from a
 * token file: an admin, a member and a reader of one project, and a member of another.
 */
const MEMBER_PROJECT = '4f1a2b3c4d5e4f6a8b9c0d1e2f3a4b5c';
const OTHER_PROJECT = '9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b';
const TOKENS = {
  admin: { user_id: 'admin', project_id: 'admin-project', roles: ['admin', 'member', 'reader'] },
  member: { user_id: 'mia', project_id: MEMBER_PROJECT, roles: ['member', 'reader'] },
  reader: { user_id: 'rae', project_id: MEMBER_PROJECT, roles: ['reader'] },
  other: { user_id: 'otto', project_id: OTHER_PROJECT, roles: ['member', 'reader'] },
};
const V = (microversion: string) => ({ 'OpenStack-API-Version': `volume ${microversion}` });
const fault = (status: number, message: string) => {
  const name = { 400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound', 409: 'conflictingRequest', 500: 'computeFault' }[status]!;
  return { status, body: { [name]: { code: status, message } } };
};

describe('volume types', () => {
  let strata: RunningStrata;
  let admin: StrataClient;
  let member: StrataClient;
  let reader: StrataClient;
  let other: StrataClient;
  beforeAll(async () => {
    strata = await startStrataWithTokens(TOKENS);
    admin = strata.client.as({ 'X-Auth-Token': 'admin' });
    member = strata.client.as({ 'X-Auth-Token': 'member' });
    reader = strata.client.as({ 'X-Auth-Token': 'reader' });
    other = strata.client.as({ 'X-Auth-Token': 'other' });
  });
  afterAll(async () => strata?.close());

  let counter = 0;
  /** A new public type with a name no other test uses. */
  const newType = async (body: Record<string, unknown> = {}) => {
    const res = await admin.post('/v3/types', { volume_type: { name: `type-${++counter}`, ...body } });
    if (res.status !== 200) throw new Error(`type create: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.volume_type as { id: string; name: string };
  };
  const newVolume = async (client: StrataClient, volume: Record<string, unknown>) => {
    const res = await client.post('/v3/volumes', { volume: { size: 1, ...volume } });
    if (res.status !== 202) throw new Error(`volume create: ${res.status} ${JSON.stringify(res.body)}`);
    return (await client.waitFor(`/v3/volumes/${res.body.volume.id}`, (b: any) => b.volume.status !== 'creating')).volume;
  };

  describe('__DEFAULT__', () => {
    it('exists from the start with a fixed id, shown with the keys each role may see', async () => {
      expect((await admin.get('/v3/types/default')).body).toEqual({
        volume_type: {
          id: DEFAULT_VOLUME_TYPE_ID,
          name: '__DEFAULT__',
          is_public: true,
          description: 'Default Volume Type',
          extra_specs: {},
          qos_specs_id: null,
          'os-volume-type-access:is_public': true,
        },
      });
      expect((await member.get(`/v3/types/${DEFAULT_VOLUME_TYPE_ID}`)).body.volume_type).toEqual({
        id: DEFAULT_VOLUME_TYPE_ID,
        name: '__DEFAULT__',
        is_public: true,
        description: 'Default Volume Type',
        extra_specs: {},
        'os-volume-type-access:is_public': true,
      });
      expect(Object.keys((await reader.get(`/v3/types/${DEFAULT_VOLUME_TYPE_ID}`)).body.volume_type)).toEqual([
        'id',
        'name',
        'is_public',
        'description',
        'extra_specs',
      ]);
    });

    it('is the type of a volume created without one, shown by name and, from 3.63, by id', async () => {
      const volume = await newVolume(member, { name: 'untyped' });
      expect(volume.volume_type).toBe('__DEFAULT__');
      expect(volume).not.toHaveProperty('volume_type_id');
      const shown = (await member.get(`/v3/volumes/${volume.id}`, V('3.63'))).body.volume;
      expect(shown).toMatchObject({ volume_type: '__DEFAULT__', volume_type_id: DEFAULT_VOLUME_TYPE_ID });
    });

    it('cannot be deleted while default_volume_type names it', async () =>
      expect(await admin.delete(`/v3/types/${DEFAULT_VOLUME_TYPE_ID}`)).toMatchObject(
        fault(400, `The volume type ${DEFAULT_VOLUME_TYPE_ID} is a default volume type and cannot be deleted.`),
      ));
  });

  describe('POST, PUT and DELETE /types', () => {
    it('creates a type and answers with the view of types_manage', async () => {
      const res = await admin.post('/v3/types', {
        volume_type: { name: 'Gold', description: 'fast', extra_specs: { volume_backend_name: 'ssd' } },
      });
      expect(res.status).toBe(200);
      expect(res.body.volume_type).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Gold',
        is_public: true,
        extra_specs: { volume_backend_name: 'ssd' },
        description: 'fast',
        'os-volume-type-access:is_public': true,
      });
      expect(await admin.post('/v3/types', { volume_type: { name: 'gold' } })).toMatchObject(
        fault(409, 'Volume Type gold already exists.'),
      );
      expect(await member.post('/v3/types', { volume_type: { name: 'mine' } })).toMatchObject(
        fault(403, "Policy doesn't allow volume_extension:type_create to be performed."),
      );
      expect(await admin.post('/v3/types', { volume_type: { name: '  ' } })).toMatchObject(
        fault(400, "An invalid 'name' value was provided. The 'name' can not be empty."),
      );
    });

    it('updates name, description and visibility, refusing a name taken and a request that changes nothing', async () => {
      const type = await newType();
      const taken = await newType();
      const res = await admin.put(`/v3/types/${type.id}`, { volume_type: { name: `${type.name}-renamed`, is_public: 'false' } });
      expect(res.body.volume_type).toEqual({
        id: type.id,
        name: `${type.name}-renamed`,
        is_public: false,
        extra_specs: {},
        description: null,
      });
      expect(await admin.put(`/v3/types/${type.id}`, { volume_type: { name: taken.name.toUpperCase() } })).toMatchObject(
        fault(409, `Volume Type ${taken.name.toUpperCase()} already exists.`),
      );
      expect(await admin.put(`/v3/types/${type.id}`, { volume_type: { name: null } })).toMatchObject(
        fault(400, 'Specify volume type name, description, is_public or a combination thereof.'),
      );
      expect(await admin.put('/v3/types/no-such-type', { volume_type: { description: 'x' } })).toMatchObject(
        fault(404, 'Volume type no-such-type could not be found.'),
      );
    });

    it('deletes a type no volume uses, and refuses one in use', async () => {
      const used = await newType();
      await newVolume(admin, { volume_type: used.name });
      expect(await admin.delete(`/v3/types/${used.id}`)).toMatchObject(fault(400, 'Target volume type is still in use.'));
      const unused = await newType();
      expect((await admin.delete(`/v3/types/${unused.id}`)).status).toBe(202);
      expect(await admin.get(`/v3/types/${unused.id}`)).toMatchObject(fault(404, `Volume type ${unused.id} could not be found.`));
    });
  });

  describe('GET /types', () => {
    it('lists public types to everyone, and every type to an admin who asks for is_public=None', async () => {
      const hidden = await newType({ 'os-volume-type-access:is_public': false });
      const names = async (client: StrataClient, query = '') =>
        (await client.get(`/v3/types${query}`)).body.volume_types.map((t: any) => t.name);
      expect(await names(member)).not.toContain(hidden.name);
      expect(await names(member)).toContain('__DEFAULT__');
      expect(await names(admin)).not.toContain(hidden.name);
      expect(await names(admin, '?is_public=None')).toContain(hidden.name);
      const privateOnes = await names(admin, '?is_public=false');
      expect(privateOnes).toContain(hidden.name);
      expect(privateOnes).not.toContain('__DEFAULT__');
      expect(await member.get(`/v3/types/${hidden.id}`)).toMatchObject(fault(404, `Volume type ${hidden.id} could not be found.`));
    });

    it('filters on extra specs and columns for admins, and refuses other filters from a user from 3.52', async () => {
      const type = await newType({ extra_specs: { volume_backend_name: 'tape' } });
      const found = await admin.get(`/v3/types?is_public=None&extra_specs=${encodeURIComponent("{'volume_backend_name': 'tape'}")}`);
      expect(found.body.volume_types.map((t: any) => t.id)).toEqual([type.id]);
      expect((await admin.get(`/v3/types?is_public=None&name=${type.name.toUpperCase()}`)).body.volume_types.map((t: any) => t.id)).toEqual(
        [type.id],
      );
      expect(await member.get('/v3/types?name=x', V('3.52'))).toMatchObject(fault(400, 'Invalid filters name are found in query options.'));
      expect((await member.get('/v3/types?name=x', V('3.51'))).status).toBe(200);
      expect(await admin.get('/v3/types?is_public=maybe')).toMatchObject(fault(400, 'Invalid is_public filter [maybe]'));
    });

    it('pages with a limit and names the next page in volume_type_links', async () => {
      await newType();
      await newType();
      const page = await admin.get('/v3/types?limit=1&sort=name:asc');
      expect(page.body.volume_types).toHaveLength(1);
      expect(page.body.volume_type_links).toEqual([
        { rel: 'next', href: expect.stringContaining(`marker=${page.body.volume_types[0].id}`) },
      ]);
    });
  });

  describe('extra specs', () => {
    it('sets, lists, shows, updates and unsets specs, answering with the body sent', async () => {
      const type = await newType();
      const specs = `/v3/types/${type.id}/extra_specs`;
      expect(
        (await admin.post(specs, { extra_specs: { volume_backend_name: 'ssd', 'RESKEY:availability_zones': 'nova', empty: null } })).body,
      ).toEqual({ extra_specs: { volume_backend_name: 'ssd', 'RESKEY:availability_zones': 'nova', empty: null } });
      expect((await admin.get(specs)).body).toEqual({
        extra_specs: { 'RESKEY:availability_zones': 'nova', empty: null, volume_backend_name: 'ssd' },
      });
      expect((await member.get(specs)).body).toEqual({ extra_specs: { 'RESKEY:availability_zones': 'nova' } });
      expect((await admin.get(`${specs}/volume_backend_name`)).body).toEqual({ volume_backend_name: 'ssd' });
      expect(await member.get(`${specs}/volume_backend_name`)).toMatchObject(
        fault(404, `Volume Type ${type.id} has no extra specs with key volume_backend_name.`),
      );
      expect((await admin.put(`${specs}/volume_backend_name`, { volume_backend_name: 'nvme' })).body).toEqual({
        volume_backend_name: 'nvme',
      });
      expect(await admin.put(`${specs}/volume_backend_name`, { other: 'x' })).toMatchObject(fault(400, 'Request body and URI mismatch'));
      expect(await admin.put(`${specs}/k`, { k: 'v', j: 'w' })).toMatchObject(fault(400, "{'k': 'v', 'j': 'w'} has too many properties"));
      expect((await admin.delete(`${specs}/volume_backend_name`)).status).toBe(202);
      expect(await admin.delete(`${specs}/volume_backend_name`)).toMatchObject(
        fault(404, `Volume Type ${type.id} has no extra specs with key volume_backend_name.`),
      );
      expect(await admin.post(specs, { extra_specs: { 'a b': 'x' } })).toMatchObject(
        fault(
          400,
          "Invalid input for field/attribute extra_specs. Value: {'a b': 'x'}. 'a b' does not match any of the regexes: '^[a-zA-Z0-9-_:.]{1,255}$'",
        ),
      );
    });

    it('refuses to change the specs of a type a volume uses, and cacheable with multiattach', async () => {
      const type = await newType({ extra_specs: { cacheable: '<is> True' } });
      expect(await admin.post(`/v3/types/${type.id}/extra_specs`, { extra_specs: { multiattach: '<is> True' } })).toMatchObject(
        fault(400, 'cacheable cannot be set with multiattach.'),
      );
      await newVolume(admin, { volume_type: type.id });
      expect(await admin.post(`/v3/types/${type.id}/extra_specs`, { extra_specs: { k: 'v' } })).toMatchObject(
        fault(400, 'Volume Type is currently in use.'),
      );
      expect(await admin.delete(`/v3/types/${type.id}/extra_specs/cacheable`)).toMatchObject(
        fault(400, 'Volume Type is currently in use.'),
      );
    });
  });

  describe('encryption', () => {
    it('creates, shows, updates and deletes encryption specs, as admin only', async () => {
      const type = await newType();
      const path = `/v3/types/${type.id}/encryption`;
      expect((await admin.get(path)).body).toEqual({});
      const created = await admin.post(path, { encryption: { provider: 'luks', control_location: 'front-end', key_size: '256' } });
      expect(created.body).toEqual({
        encryption: {
          provider: 'luks',
          control_location: 'front-end',
          key_size: 256,
          volume_type_id: type.id,
          encryption_id: expect.any(String),
        },
      });
      const { encryption_id: encryptionId } = created.body.encryption;
      expect((await admin.get(path)).body).toEqual({
        volume_type_id: type.id,
        control_location: 'front-end',
        deleted: false,
        created_at: expect.any(String),
        updated_at: null,
        encryption_id: encryptionId,
        key_size: 256,
        provider: 'luks',
        deleted_at: null,
        cipher: null,
      });
      expect((await admin.get(`${path}/provider`)).body).toEqual({ provider: 'luks' });
      expect(await admin.get(`${path}/colour`)).toMatchObject(fault(404, `Volume type encryption for type ${type.id} does not exist.`));
      expect(await admin.post(path, { encryption: { provider: 'luks', control_location: 'front-end' } })).toMatchObject(
        fault(400, `Volume type encryption for type ${type.id} already exists.`),
      );
      expect((await admin.put(`${path}/${encryptionId}`, { encryption: { cipher: 'aes-xts-plain64' } })).body).toEqual({
        encryption: { cipher: 'aes-xts-plain64' },
      });
      expect((await admin.get(`${path}/cipher`)).body).toEqual({ cipher: 'aes-xts-plain64' });
      expect(await member.get(path)).toMatchObject(
        fault(403, "Policy doesn't allow volume_extension:volume_type_encryption:get to be performed."),
      );
      expect((await admin.delete(`${path}/${encryptionId}`)).status).toBe(202);
      expect((await admin.get(path)).body).toEqual({});
      expect(await admin.delete(`${path}/${encryptionId}`)).toMatchObject(
        fault(404, `Volume type encryption for type ${type.id} does not exist.`),
      );
    });

    it("creates volumes of an encrypted type only with the volume's key, which makes them encrypted", async () => {
      const type = await newType();
      await admin.post(`/v3/types/${type.id}/encryption`, { encryption: { provider: 'luks', control_location: 'front-end' } });
      expect(await admin.post('/v3/volumes', { volume: { size: 1, volume_type: type.name } })).toMatchObject(
        fault(
          400,
          `Invalid input received: Volume type '${type.name}' is encrypted and Strata creates no encryption keys; give the volume's key as encryption_key_id.`,
        ),
      );
      const volume = await newVolume(admin, { volume_type: type.name, encryption_key_id: 'a1b2c3d4-0000-4000-8000-000000000001' });
      expect(volume).toMatchObject({ volume_type: type.name, encrypted: true });
      expect(await admin.delete(`/v3/types/${type.id}/encryption/x`)).toMatchObject(
        fault(400, 'Cannot delete encryption specs. Volume type in use.'),
      );
    });
  });

  describe('volume_type on volume create', () => {
    it('takes a type by name (any case) or by id, and shows its name', async () => {
      const type = await newType();
      expect((await newVolume(member, { volume_type: type.name.toUpperCase() })).volume_type).toBe(type.name);
      const byId = await newVolume(member, { volume_type: type.id.toUpperCase() });
      expect((await member.get(`/v3/volumes/${byId.id}`, V('3.63'))).body.volume).toMatchObject({
        volume_type: type.name,
        volume_type_id: type.id,
      });
    });

    it("refuses a type it cannot find, with Cinder's 404 for a name and for an id", async () => {
      expect(await member.post('/v3/volumes', { volume: { size: 1, volume_type: 'no-such-type' } })).toMatchObject(
        fault(404, 'Volume type with name no-such-type could not be found.'),
      );
      expect(await member.post('/v3/volumes', { volume: { size: 1, volume_type: '0c8f3c4e-4f2e-4c9e-9d0a-0a0a0a0a0a0a' } })).toMatchObject(
        fault(404, 'Volume type 0c8f3c4e-4f2e-4c9e-9d0a-0a0a0a0a0a0a could not be found.'),
      );
    });

    it("honours the type's size limits", async () => {
      const type = await newType({ extra_specs: { 'provisioning:min_vol_size': '2' } });
      expect(await member.post('/v3/volumes', { volume: { size: 1, volume_type: type.name } })).toMatchObject(
        fault(
          400,
          `Invalid input received: Specified volume size of '1' is less than the minimum required size of '2' for volume type '${type.name}'.`,
        ),
      );
    });

    it('lets an admin list the volumes of a type', async () => {
      const type = await newType();
      const volume = await newVolume(member, { volume_type: type.name });
      const listed = await admin.get(`/v3/volumes?all_tenants=1&volume_type_id=${type.id}`);
      expect(listed.body.volumes.map((v: any) => v.id)).toEqual([volume.id]);
    });
  });

  describe('access to private types', () => {
    it('shows a private type to the projects on its list, which may then create volumes of it', async () => {
      const type = await newType({ 'os-volume-type-access:is_public': false });
      expect(await member.post('/v3/volumes', { volume: { size: 1, volume_type: type.name } })).toMatchObject(
        fault(404, `Volume type with name ${type.name} could not be found.`),
      );
      const action = `/v3/types/${type.id}/action`;
      expect((await admin.post(action, { addProjectAccess: { project: MEMBER_PROJECT } })).status).toBe(202);
      expect(await admin.post(action, { addProjectAccess: { project: MEMBER_PROJECT } })).toMatchObject(
        fault(409, `Volume type access for ${type.id} / ${MEMBER_PROJECT} combination already exists.`),
      );
      expect((await admin.get(`/v3/types/${type.id}/os-volume-type-access`)).body).toEqual({
        volume_type_access: [{ volume_type_id: type.id, project_id: MEMBER_PROJECT }],
      });
      expect((await member.get('/v3/types')).body.volume_types.map((t: any) => t.id)).toContain(type.id);
      expect((await other.get('/v3/types')).body.volume_types.map((t: any) => t.id)).not.toContain(type.id);
      expect((await newVolume(member, { volume_type: type.name })).volume_type).toBe(type.name);
      expect((await admin.post(action, { removeProjectAccess: { project: MEMBER_PROJECT } })).status).toBe(202);
      expect(await member.get(`/v3/types/${type.id}`)).toMatchObject(fault(404, `Volume type ${type.id} could not be found.`));
    });

    it('keeps access lists to private types', async () => {
      const type = await newType();
      expect(await admin.post(`/v3/types/${type.id}/action`, { addProjectAccess: { project: MEMBER_PROJECT } })).toMatchObject(
        fault(400, 'Invalid volume type: Type access modification is not applicable to public volume type.'),
      );
      expect(await admin.get(`/v3/types/${type.id}/os-volume-type-access`)).toMatchObject(
        fault(404, 'Access list not available for public volume types.'),
      );
    });
  });
});

describe('default_volume_type', () => {
  let strata: RunningStrata;

  it("answers Cinder's 500 when it names no type, until an admin creates that type", async () => {
    strata = await startStrata({ STRATA_DEFAULT_VOLUME_TYPE: 'gold' });
    const message = 'The request cannot be fulfilled as the default volume type gold cannot be found.';
    expect(await strata.client.post('/v3/volumes', { volume: { size: 1 } })).toMatchObject(fault(500, message));
    expect(await strata.client.get('/v3/types/default')).toMatchObject(fault(500, message));
    const gold = (await strata.client.post('/v3/types', { volume_type: { name: 'gold' } })).body.volume_type;
    const created = await strata.client.post('/v3/volumes', { volume: { size: 1 } });
    expect(created.body.volume.volume_type).toBe('gold');
    // __DEFAULT__ is no longer the default, so it may go; gold may not.
    expect((await strata.client.delete(`/v3/types/${DEFAULT_VOLUME_TYPE_ID}`)).status).toBe(202);
    expect(await strata.client.delete(`/v3/types/${gold.id}`)).toMatchObject(
      fault(400, `The volume type ${gold.id} is a default volume type and cannot be deleted.`),
    );
    await strata.close();
  });

  it('records __DEFAULT__ once, and keeps the types through a catalog rebuild and a restart', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'strata-types-'));
    try {
      strata = await startStrata({}, stateDir);
      await restartKeepsTypes(stateDir);
    } finally {
      await strata.close();
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(managedDirOf(stateDir), { recursive: true, force: true });
    }
  });

  const restartKeepsTypes = async (stateDir: string) => {
    await strata.client.post('/v3/types', { volume_type: { name: 'kept', extra_specs: { k: 'v' } } });
    const before = (await strata.client.get('/v3/types?is_public=None')).body;
    expect((await strata.client.post('/strata/v1/catalog/rebuild', {})).status).toBe(200);
    expect((await strata.client.get('/v3/types?is_public=None')).body).toEqual(before);
    await strata.close();
    strata = await startStrata({}, stateDir);
    expect((await strata.client.get('/v3/types?is_public=None')).body).toEqual(before);
    const created = await strata.client.get('/strata/v1/events?type=VolumeTypeCreated');
    expect(created.body.events.map((e: any) => e.data.name)).toEqual(['__DEFAULT__', 'kept']);
  };
});
