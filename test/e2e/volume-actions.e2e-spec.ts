import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manageFile } from './support/managed-file';
import { startStrata, type RunningStrata } from './support/strata-app';

const GIB = 1024 ** 3;
const INSTANCE = '1e000000-0000-4000-8000-0000000000a1';
const V3_42 = { 'OpenStack-API-Version': 'volume 3.42' };

/** POST /v3/volumes/{id}/action for the actions beyond attach, detach and unmanage, as Cinder answers them. */
describe('volume actions', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());
  const client = () => strata.client;

  const act = (volumeId: string, body: unknown, headers?: Record<string, string>) =>
    client().post(`/v3/volumes/${volumeId}/action`, body, headers);
  const show = async (volumeId: string) => (await client().get(`/v3/volumes/${volumeId}`)).body.volume;
  const waitForStatus = async (volumeId: string, status: string) =>
    (await client().waitFor(`/v3/volumes/${volumeId}`, (b: any) => b.volume.status === status)).volume;
  const eventTypes = async (volumeId: string) =>
    (await client().get(`/strata/v1/events?volume_id=${volumeId}`)).body.events.map((e: any) => e.type);
  const attach = (volumeId: string) => act(volumeId, { 'os-attach': { instance_uuid: INSTANCE, mountpoint: '/dev/vdb' } });
  const imageOf = (volumeId: string) => join(strata.options.volumes_path, `volume-${volumeId}.img`);
  const refusal = (message: string) => ({ status: 400, body: { badRequest: { code: 400, message } } });
  /** A 1 MiB file where managed_volume_paths admits it. */
  const manageablePath = (name: string) => {
    const path = join(strata.managedDir, `${name}-${Date.now()}.img`);
    writeFileSync(path, Buffer.alloc(1024 * 1024, 1));
    return path;
  };

  describe('os-extend', () => {
    it('grows the image file to the new size, sparsely, and shows the volume available at it', async () => {
      const volume = await client().createVolume(1, 'grow');

      const res = await act(volume.id, { 'os-extend': { new_size: 3 } });

      expect(res).toMatchObject({ status: 202, body: null });
      expect(['extending', 'available']).toContain((await show(volume.id)).status);
      expect(await waitForStatus(volume.id, 'available')).toMatchObject({ size: 3 });
      const image = statSync(imageOf(volume.id));
      expect(image.size).toBe(3 * GIB);
      expect(image.blocks * 512).toBeLessThan(1024 * 1024);
      expect(await eventTypes(volume.id)).toEqual(['VolumeCreated', 'VolumeProvisioned', 'VolumeExtendRequested', 'VolumeExtended']);
    });

    it('takes the size as a string of digits, as Cinder does', async () => {
      const volume = await client().createVolume(1, 'grow-text');
      expect((await act(volume.id, { 'os-extend': { new_size: '2' } })).status).toBe(202);
      expect(await waitForStatus(volume.id, 'available')).toMatchObject({ size: 2 });
      expect(statSync(imageOf(volume.id)).size).toBe(2 * GIB);
    });

    it("refuses a size that is not larger, in Cinder's words, and records nothing", async () => {
      const volume = await client().createVolume(2, 'same');
      expect(await act(volume.id, { 'os-extend': { new_size: 2 } })).toMatchObject(
        refusal('Invalid input received: New size for extend must be greater than current size. (current: 2, extended: 2).'),
      );
      expect(await eventTypes(volume.id)).toEqual(['VolumeCreated', 'VolumeProvisioned']);
      expect(statSync(imageOf(volume.id)).size).toBe(2 * GIB);
    });

    it('refuses an in-use volume before 3.42 and extends it from 3.42, leaving it in-use', async () => {
      const volume = await client().createVolume(1, 'attached-grow');
      await attach(volume.id);
      expect(await act(volume.id, { 'os-extend': { new_size: 2 } })).toMatchObject(
        refusal(`Invalid volume: Volume ${volume.id} status must be '{'status': 'available'}' to extend, currently in-use.`),
      );

      expect((await act(volume.id, { 'os-extend': { new_size: 2 } }, V3_42)).status).toBe(202);

      await client().waitFor(`/v3/volumes/${volume.id}`, (b: any) => b.volume.size === 2);
      expect(await show(volume.id)).toMatchObject({
        status: 'in-use',
        size: 2,
        attachments: [expect.objectContaining({ server_id: INSTANCE })],
      });
      expect(statSync(imageOf(volume.id)).size).toBe(2 * GIB);
    });

    it('refuses a managed file, which Strata does not own, and leaves it as it was', async () => {
      const { volume, path } = await manageFile(client(), strata.managedDir, 1, 'not-mine');
      expect(await act(volume.id, { 'os-extend': { new_size: 5 } })).toMatchObject(
        refusal(
          `Invalid volume: Extend volume not implemented: volume ${volume.id} is a managed file or device, which Strata never resizes.`,
        ),
      );
      expect(statSync(path).size).toBe(1024 * 1024);
      expect((await show(volume.id)).status).toBe('available');
    });

    it("refuses a body outside Cinder's schema", async () => {
      const volume = await client().createVolume(1, 'bad-body');
      expect(await act(volume.id, { 'os-extend': { new_size: 2, force: true } })).toMatchObject(
        refusal(
          "Invalid input for field/attribute os-extend. Value: {'new_size': 2, 'force': True}. Additional properties are not allowed ('force' was unexpected)",
        ),
      );
      expect(await act(volume.id, { 'os-extend': { new_size: 2147483648 } })).toMatchObject(
        refusal('Invalid input for field/attribute new_size. Value: 2147483648. 2147483648 is greater than the maximum of 2147483647'),
      );
    });
  });

  describe('os-set_bootable', () => {
    it('answers 200 and shows bootable as Cinder does, "true" or "false"', async () => {
      const volume = await client().createVolume(1, 'boot');
      expect(volume.bootable).toBe('false');

      expect(await act(volume.id, { 'os-set_bootable': { bootable: 'True' } })).toMatchObject({ status: 200, body: null });
      expect((await show(volume.id)).bootable).toBe('true');

      expect((await act(volume.id, { 'os-set_bootable': { bootable: false } })).status).toBe(200);
      expect((await show(volume.id)).bootable).toBe('false');
      expect(await eventTypes(volume.id)).toEqual(['VolumeCreated', 'VolumeProvisioned', 'VolumeBootableSet', 'VolumeBootableSet']);
    });

    it('takes bootable on manage, now that Strata keeps the flag', async () => {
      const res = await client().post('/v3/os-volume-manage', {
        volume: { host: 'strata@file', ref: { 'source-name': manageablePath('bootable-disk') }, bootable: true },
      });
      expect(res.status).toBe(202);
      expect(res.body.volume.bootable).toBe('true');
    });
  });

  describe('os-update_readonly_flag', () => {
    it('shows the flag in the metadata as "True", and a read-only volume refuses the rw attach', async () => {
      const volume = await client().createVolume(1, 'ro');
      expect((await client().put(`/v3/volumes/${volume.id}`, { volume: { metadata: { owner: 'ops' } } })).status).toBe(200);

      expect(await act(volume.id, { 'os-update_readonly_flag': { readonly: true } })).toMatchObject({ status: 202, body: null });

      expect((await show(volume.id)).metadata).toEqual({ owner: 'ops', readonly: 'True' });
      expect(await attach(volume.id)).toMatchObject(refusal(`Invalid attaching mode 'rw' for volume ${volume.id}.`));
    });

    it('shows readonly "False" and attached_mode "rw" once attached, as Cinder\'s attach adds them', async () => {
      const volume = await client().createVolume(1, 'rw');
      expect(volume.metadata).toEqual({});
      await attach(volume.id);
      expect((await show(volume.id)).metadata).toEqual({ readonly: 'False', attached_mode: 'rw' });
      await act(volume.id, { 'os-detach': {} });
      expect((await show(volume.id)).metadata).toEqual({ readonly: 'False' });
    });

    it("refuses a volume that is not available, in Cinder's words", async () => {
      const volume = await client().createVolume(1, 'ro-in-use');
      await attach(volume.id);
      expect(await act(volume.id, { 'os-update_readonly_flag': { readonly: 'yes' } })).toMatchObject(
        refusal(`Invalid volume: Volume ${volume.id} status must be available to update readonly flag, but current status is: in-use.`),
      );
    });
  });

  describe('os-reserve, os-unreserve, os-begin_detaching, os-roll_detaching', () => {
    it("walks a volume through Nova's attach and detach: reserve, attach, begin detaching, roll back, detach", async () => {
      const volume = await client().createVolume(1, 'nova');

      expect((await act(volume.id, { 'os-reserve': null })).status).toBe(202);
      expect((await show(volume.id)).status).toBe('attaching');
      expect(await act(volume.id, { 'os-reserve': {} })).toMatchObject(
        refusal('Invalid volume: Volume status must be available to reserve, but the status is attaching.'),
      );
      expect((await attach(volume.id)).status).toBe(202);
      expect((await show(volume.id)).status).toBe('in-use');

      expect((await act(volume.id, { 'os-begin_detaching': null })).status).toBe(202);
      expect((await show(volume.id)).status).toBe('detaching');
      expect((await act(volume.id, { 'os-roll_detaching': null })).status).toBe(202);
      expect((await show(volume.id)).status).toBe('in-use');
      expect((await act(volume.id, { 'os-begin_detaching': {} })).status).toBe(202);
      expect((await act(volume.id, { 'os-detach': null })).status).toBe(202);
      expect((await show(volume.id)).status).toBe('available');
      expect(await eventTypes(volume.id)).toEqual([
        'VolumeCreated',
        'VolumeProvisioned',
        'VolumeReserved',
        'VolumeAttached',
        'VolumeDetachingStarted',
        'VolumeDetachingRolledBack',
        'VolumeDetachingStarted',
        'VolumeDetached',
      ]);
    });

    it('unreserves a reserved volume, and accepts an unreserve or a roll back with nothing to undo', async () => {
      const volume = await client().createVolume(1, 'unreserved');
      await act(volume.id, { 'os-reserve': null });
      expect((await act(volume.id, { 'os-unreserve': null })).status).toBe(202);
      expect((await show(volume.id)).status).toBe('available');
      expect((await act(volume.id, { 'os-unreserve': null })).status).toBe(202);
      expect((await act(volume.id, { 'os-roll_detaching': null })).status).toBe(202);
      expect(await eventTypes(volume.id)).toEqual(['VolumeCreated', 'VolumeProvisioned', 'VolumeReserved', 'VolumeUnreserved']);
    });

    it("refuses to begin detaching a volume that is not attached, in Cinder's words", async () => {
      const volume = await client().createVolume(1, 'loose');
      expect(await act(volume.id, { 'os-begin_detaching': null })).toMatchObject(
        refusal("Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach."),
      );
    });

    it('refuses a parameter Cinder would drop', async () => {
      const volume = await client().createVolume(1, 'params');
      expect(await act(volume.id, { 'os-reserve': { connector: 'x' } })).toMatchObject(
        refusal(
          "Invalid input for field/attribute os-reserve. Value: {'connector': 'x'}. Additional properties are not allowed ('connector' was unexpected)",
        ),
      );
    });
  });

  it('still answers an unknown action with 400', async () => {
    const volume = await client().createVolume(1, 'unknown');
    expect(await act(volume.id, { 'os-retype': { new_type: 'fast' } })).toMatchObject({ status: 400 });
  });

  it('answers 404 for an action on a volume that does not exist', async () => {
    const missing = '00000000-0000-4000-8000-0000000000ff';
    expect(await act(missing, { 'os-extend': { new_size: 2 } })).toMatchObject({
      status: 404,
      body: { itemNotFound: { code: 404, message: `Volume ${missing} could not be found.` } },
    });
  });
});

describe('GET /v3/extensions', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());

  const EXTENSIONS = [
    {
      name: 'AdminActions',
      alias: 'os-admin-actions',
      description: 'Enable admin actions.',
      updated: '2012-08-25T00:00:00+00:00',
      links: [],
    },
    {
      name: 'AvailabilityZones',
      alias: 'os-availability-zone',
      description: 'Describe Availability Zones.',
      updated: '2013-06-27T00:00:00+00:00',
      links: [],
    },
    { name: 'Backups', alias: 'backups', description: 'Backups support.', updated: '2012-12-12T00:00:00+00:00', links: [] },
    {
      name: 'ExtendedServices',
      alias: 'os-extended-services',
      description: 'Extended services support.',
      updated: '2014-01-10T00:00:00-00:00',
      links: [],
    },
    {
      name: 'ExtendedSnapshotAttributes',
      alias: 'os-extended-snapshot-attributes',
      description: 'Extended SnapshotAttributes support.',
      updated: '2012-06-19T00:00:00+00:00',
      links: [],
    },
    {
      name: 'Scheduler_stats',
      alias: 'scheduler-stats',
      description: 'Scheduler stats support.',
      updated: '2014-09-07T00:00:00+00:00',
      links: [],
    },
    { name: 'Services', alias: 'os-services', description: 'Services support.', updated: '2012-10-28T00:00:00-00:00', links: [] },
    {
      name: 'TypesExtraSpecs',
      alias: 'os-types-extra-specs',
      description: 'Type extra specs support.',
      updated: '2011-08-24T00:00:00+00:00',
      links: [],
    },
    {
      name: 'TypesManage',
      alias: 'os-types-manage',
      description: 'Types manage support.',
      updated: '2011-08-24T00:00:00+00:00',
      links: [],
    },
    {
      name: 'VolumeActions',
      alias: 'os-volume-actions',
      description: 'Enable volume actions.',
      updated: '2012-05-31T00:00:00+00:00',
      links: [],
    },
    {
      name: 'VolumeHostAttribute',
      alias: 'os-vol-host-attr',
      description: 'Expose host as an attribute of a volume.',
      updated: '2011-11-03T00:00:00+00:00',
      links: [],
    },
    {
      name: 'VolumeManage',
      alias: 'os-volume-manage',
      description: "Allows existing backend storage to be 'managed' by Cinder.",
      updated: '2014-02-10T00:00:00+00:00',
      links: [],
    },
    {
      name: 'VolumeMigStatusAttribute',
      alias: 'os-vol-mig-status-attr',
      description: 'Expose migration_status as an attribute of a volume.',
      updated: '2013-08-08T00:00:00+00:00',
      links: [],
    },
    {
      name: 'VolumeTenantAttribute',
      alias: 'os-vol-tenant-attr',
      description: 'Expose the internal project_id as an attribute of a volume.',
      updated: '2011-11-03T00:00:00+00:00',
      links: [],
    },
    {
      name: 'VolumeTypeAccess',
      alias: 'os-volume-type-access',
      description: 'Volume type access support.',
      updated: '2014-06-26T00:00:00Z',
      links: [],
    },
    {
      name: 'VolumeTypeEncryption',
      alias: 'encryption',
      description: 'Encryption support for volume types.',
      updated: '2013-07-01T00:00:00+00:00',
      links: [],
    },
    {
      name: 'VolumeUnmanage',
      alias: 'os-volume-unmanage',
      description: 'Enable volume unmanage operation.',
      updated: '2012-05-31T00:00:00+00:00',
      links: [],
    },
  ];

  it("lists the extensions Strata serves in Cinder's document, with or without a project", async () => {
    expect(await strata.client.get('/v3/extensions')).toMatchObject({ status: 200, body: { extensions: EXTENSIONS } });
    expect((await strata.client.get('/v3/project-a/extensions')).body).toEqual({ extensions: EXTENSIONS });
  });

  it('shows one by alias, the backups one included, and 404s an extension Strata does not serve', async () => {
    expect((await strata.client.get('/v3/extensions/os-volume-actions')).body).toEqual({
      extension: EXTENSIONS.find((e) => e.alias === 'os-volume-actions'),
    });
    expect((await strata.client.get('/v3/extensions/backups')).body).toEqual({ extension: EXTENSIONS.find((e) => e.alias === 'backups') });
    expect(await strata.client.get('/v3/project-a/extensions/os-volume-transfer')).toMatchObject({
      status: 404,
      body: { itemNotFound: { code: 404, message: 'The resource could not be found.' } },
    });
  });
});
