import { InvalidInput, InvalidVolume, VolumeNotFound } from '../errors';
import { DeciderSpecification } from '../testing/decider-specification';
import type { VolumeCommand } from './volume.commands';
import { volumeDecider } from './volume.decider';
import type { VolumeEvent } from './volume.events';

/** Cinder's volume actions besides attach and detach: os-reserve … os-update_readonly_flag, os-extend. */
const given = DeciderSpecification.for(volumeDecider);
const volumeId = 'a0000000-0000-4000-8000-000000000001';
const NOW = '2026-11-27T10:00:00.000Z';
const GIB = 2 ** 30;

const created = (sizeGb = 1): VolumeEvent => ({
  type: 'VolumeCreated',
  data: {
    volumeId,
    projectId: 'p',
    userId: 'u',
    name: 'vol1',
    description: null,
    sizeGb,
    availabilityZone: 'nova',
    volumeType: null,
    encryptionKeyId: null,
    metadata: {},
    source: { kind: 'blank' },
    createdAt: NOW,
  },
});
const provisioned = (sizeGb = 1, owned = true): VolumeEvent => ({
  type: 'VolumeProvisioned',
  data: { volumeId, location: { kind: 'file', path: '/v.img', sizeBytes: sizeGb * GIB, owned }, sizeGb, provisionedAt: NOW },
});
const available = (sizeGb = 1) => [created(sizeGb), provisioned(sizeGb)];
const attached: VolumeEvent = {
  type: 'VolumeAttached',
  data: { volumeId, instanceUuid: null, hostName: 'h', mountpoint: '/dev/vdb', attachedAt: NOW },
};
const inUse = (sizeGb = 1) => [...available(sizeGb), attached];
const reserved: VolumeEvent = { type: 'VolumeReserved', data: { volumeId, reservedAt: NOW } };
const detaching: VolumeEvent = { type: 'VolumeDetachingStarted', data: { volumeId, startedAt: NOW } };
const extendRequested = (newSizeGb: number, previousStatus: 'available' | 'in-use' = 'available'): VolumeEvent => ({
  type: 'VolumeExtendRequested',
  data: { volumeId, newSizeGb, previousStatus, requestedAt: NOW },
});
const readonlySet = (readonly: boolean): VolumeEvent => ({
  type: 'VolumeReadonlyFlagUpdated',
  data: { volumeId, readonly, updatedAt: NOW },
});

const command = <T extends VolumeCommand['type']>(
  type: T,
  data: Omit<Extract<VolumeCommand, { type: T }>['data'], 'volumeId' | 'now'> = {} as never,
) => ({ type, data: { volumeId, now: NOW, ...data } }) as unknown as Extract<VolumeCommand, { type: T }>;
const extend = (newSizeGb: number, inUseAllowed = false) => command('ExtendVolume', { newSizeGb, inUseAllowed });

describe('ReserveVolume (os-reserve)', () => {
  it('marks an available volume attaching', () => given(available()).when(command('ReserveVolume')).then([reserved]));
  it("refuses a volume that is not available, in Cinder's words", () =>
    given(inUse())
      .when(command('ReserveVolume'))
      .thenThrows(InvalidVolume, 'Invalid volume: Volume status must be available to reserve, but the status is in-use.'));
  it('refuses a volume already reserved', () =>
    given([...available(), reserved])
      .when(command('ReserveVolume'))
      .thenThrows(InvalidVolume, 'Invalid volume: Volume status must be available to reserve, but the status is attaching.'));
  it('refuses a volume that does not exist', () => given([]).when(command('ReserveVolume')).thenThrows(VolumeNotFound));
});

describe('UnreserveVolume (os-unreserve)', () => {
  it('returns a reserved volume to available', () =>
    given([...available(), reserved])
      .when(command('UnreserveVolume'))
      .then([{ type: 'VolumeUnreserved', data: { volumeId, status: 'available', unreservedAt: NOW } }]));
  it('records nothing for a volume that is not reserved, as Cinder accepts and ignores it', () =>
    given(available()).when(command('UnreserveVolume')).then([]));
});

describe('AttachVolume after os-reserve', () => {
  const attach = command('AttachVolume', { instanceUuid: null, hostName: 'h', mountpoint: '/dev/vdb' });
  it('attaches a reserved volume, as Nova does after reserving it', () =>
    given([...available(), reserved])
      .when(attach)
      .thenState((v) => expect(v.status).toBe('in-use')));
  it('refuses a volume being detached', () =>
    given([...inUse(), detaching])
      .when(attach)
      .thenThrows(
        InvalidVolume,
        'Invalid volume: Volume status must be available or attaching to attach, but the current status is "detaching".',
      ));
  it("refuses a read-only volume, since Strata attaches read-write (Cinder's InvalidVolumeAttachMode)", () =>
    given([...available(), readonlySet(true)])
      .when(attach)
      .thenThrows(InvalidInput, `Invalid attaching mode 'rw' for volume ${volumeId}.`));
  it("sets the readonly flag to False when it was never set, as Cinder's attach does", () =>
    given(available())
      .when(attach)
      .thenState((v) => expect(v).toMatchObject({ readonly: false, attached: true })));
});

describe('BeginVolumeDetaching (os-begin_detaching)', () => {
  it('marks an in-use volume detaching', () => given(inUse()).when(command('BeginVolumeDetaching')).then([detaching]));
  it("refuses a volume that is not in-use, in Cinder's words", () =>
    given(available())
      .when(command('BeginVolumeDetaching'))
      .thenThrows(
        InvalidVolume,
        "Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.",
      ));
  it('refuses a volume already detaching', () =>
    given([...inUse(), detaching])
      .when(command('BeginVolumeDetaching'))
      .thenThrows(InvalidVolume));
});

describe('RollVolumeDetaching (os-roll_detaching)', () => {
  it('returns a detaching volume to in-use', () =>
    given([...inUse(), detaching])
      .when(command('RollVolumeDetaching'))
      .then([{ type: 'VolumeDetachingRolledBack', data: { volumeId, rolledBackAt: NOW } }]));
  it('records nothing for a volume that is not detaching', () => given(inUse()).when(command('RollVolumeDetaching')).then([]));
});

describe('DetachVolume after os-begin_detaching', () => {
  it('detaches a detaching volume', () =>
    given([...inUse(), detaching])
      .when(command('DetachVolume'))
      .then([{ type: 'VolumeDetached', data: { volumeId, detachedAt: NOW } }]));
  it('refuses a volume that is only reserved', () =>
    given([...available(), reserved])
      .when(command('DetachVolume'))
      .thenThrows(
        InvalidVolume,
        'Invalid volume: Volume status must be in-use or detaching to detach, but the current status is "attaching".',
      ));
});

describe('ExtendVolume (os-extend)', () => {
  it('marks an available volume extending to the new size', () =>
    given(available(1))
      .when(extend(3))
      .then([extendRequested(3)]));
  it.each([1, 0])("refuses a new size of %d GiB, not larger than the current 1, in Cinder's words", (newSizeGb) =>
    given(available(1))
      .when(extend(newSizeGb))
      .thenThrows(
        InvalidInput,
        `Invalid input received: New size for extend must be greater than current size. (current: 1, extended: ${newSizeGb}).`,
      ),
  );
  it('refuses an in-use volume before 3.42, naming the status Cinder expected', () =>
    given(inUse())
      .when(extend(2))
      .thenThrows(
        InvalidVolume,
        `Invalid volume: Volume ${volumeId} status must be '{'status': 'available'}' to extend, currently in-use.`,
      ));
  it('extends an in-use volume from 3.42, remembering it was in use', () =>
    given(inUse())
      .when(extend(2, true))
      .then([extendRequested(2, 'in-use')]));
  it('still wants an available volume from 3.42 when the volume is neither', () =>
    given([...available(), extendRequested(2)])
      .when(extend(3, true))
      .thenThrows(
        InvalidVolume,
        `Invalid volume: Volume ${volumeId} status must be '{'status': 'available'}' to extend, currently extending.`,
      ));
  it('refuses a managed file or device with the message of a back end that cannot extend', () =>
    given([created(0), provisioned(1, false)])
      .when(extend(2))
      .thenThrows(
        InvalidVolume,
        `Invalid volume: Extend volume not implemented: volume ${volumeId} is a managed file or device, which Strata never resizes.`,
      ));
  it('refuses a size beyond DB_MAX_INT, so the read models can always store it', () =>
    given(available())
      .when(extend(2 ** 31))
      .thenThrows(
        InvalidInput,
        `Invalid input received: VolumeExtendRequested data.newSizeGb must be at most 2147483647, not ${2 ** 31}.`,
      ));
  it('refuses a volume that does not exist', () => given([]).when(extend(2)).thenThrows(VolumeNotFound));
});

describe('RecordVolumeExtended', () => {
  const extended = command('RecordVolumeExtended', { sizeBytes: 3 * GIB });
  it('records the new size and returns the volume to available', () =>
    given([...available(1), extendRequested(3)])
      .when(extended)
      .then([{ type: 'VolumeExtended', data: { volumeId, sizeGb: 3, sizeBytes: 3 * GIB, status: 'available', extendedAt: NOW } }]));
  it('returns an attached volume to in-use', () =>
    given([...inUse(1), extendRequested(3, 'in-use')])
      .when(extended)
      .thenState((v) => expect(v).toMatchObject({ status: 'in-use', sizeGb: 3, location: { sizeBytes: 3 * GIB }, extendingTo: null })));
  it('records nothing when delivered again', () =>
    given([
      ...available(1),
      extendRequested(3),
      { type: 'VolumeExtended', data: { volumeId, sizeGb: 3, sizeBytes: 3 * GIB, status: 'available', extendedAt: NOW } },
    ])
      .when(extended)
      .then([]));
});

describe('RecordVolumeExtendFailed', () => {
  const failed = command('RecordVolumeExtendFailed', { reason: 'ENOSPC' });
  it('leaves the volume in error_extending', () =>
    given([...available(1), extendRequested(3)])
      .when(failed)
      .thenState((v) => expect(v).toMatchObject({ status: 'error_extending', sizeGb: 1 })));
  it('records nothing for a volume that is not extending', () => given(available()).when(failed).then([]));
  it('lets a volume in error_extending be deleted, as Cinder does', () =>
    given([...available(1), extendRequested(3), { type: 'VolumeExtendFailed', data: { volumeId, reason: 'ENOSPC', failedAt: NOW } }])
      .when({ type: 'RequestVolumeDeletion', data: { volumeId, liveSnapshotCount: 0, now: NOW } })
      .then([{ type: 'VolumeDeletionRequested', data: { volumeId, requestedAt: NOW } }]));
});

describe('SetVolumeBootable (os-set_bootable)', () => {
  it('sets the flag, whatever the status', () =>
    given(inUse())
      .when(command('SetVolumeBootable', { bootable: true }))
      .then([{ type: 'VolumeBootableSet', data: { volumeId, bootable: true, setAt: NOW } }]));
  it('records nothing when the flag already has that value', () =>
    given(available())
      .when(command('SetVolumeBootable', { bootable: false }))
      .then([]));
});

describe('CreateVolume with bootable (os-volume-manage)', () => {
  const managed = {
    ...(created(0).data as Extract<VolumeEvent, { type: 'VolumeCreated' }>['data']),
    source: { kind: 'managed', ref: '/srv/disk.img' } as const,
  };
  it('records the flag beside the new volume', () =>
    given([])
      .when({ type: 'CreateVolume', data: { ...managed, bootable: true } })
      .then([
        { type: 'VolumeCreated', data: managed },
        { type: 'VolumeBootableSet', data: { volumeId, bootable: true, setAt: NOW } },
      ]));
  it('records no flag for a volume that is not bootable', () =>
    given([])
      .when({ type: 'CreateVolume', data: { ...managed, bootable: false } })
      .then([{ type: 'VolumeCreated', data: managed }]));
});

describe('UpdateVolumeReadonlyFlag (os-update_readonly_flag)', () => {
  it('sets the flag on an available volume', () =>
    given(available())
      .when(command('UpdateVolumeReadonlyFlag', { readonly: true }))
      .then([readonlySet(true)]));
  it('records False too, which Cinder then shows', () =>
    given(available())
      .when(command('UpdateVolumeReadonlyFlag', { readonly: false }))
      .then([readonlySet(false)]));
  it('records nothing when the flag already has that value', () =>
    given([...available(), readonlySet(true)])
      .when(command('UpdateVolumeReadonlyFlag', { readonly: true }))
      .then([]));
  it("refuses a volume that is not available, in Cinder's words", () =>
    given(inUse())
      .when(command('UpdateVolumeReadonlyFlag', { readonly: true }))
      .thenThrows(
        InvalidVolume,
        `Invalid volume: Volume ${volumeId} status must be available to update readonly flag, but current status is: in-use.`,
      ));
});
