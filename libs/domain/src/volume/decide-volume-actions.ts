import { InvalidInput, InvalidVolume } from '../errors';
import type {
  BeginVolumeDetaching,
  ExtendVolume,
  RecordVolumeExtended,
  RecordVolumeExtendFailed,
  ReserveVolume,
  RollVolumeDetaching,
  SetVolumeBootable,
  UnreserveVolume,
  UpdateVolumeReadonlyFlag,
} from './volume.commands';
import type { VolumeEvent } from './volume.events';
import type { VolumeRecord } from './volume.state';

/**
 * Cinder's volume actions around attaching (`os-reserve`, `os-unreserve`, `os-begin_detaching`,
 * `os-roll_detaching`), `os-extend` and the two flags, with the status rules and messages of
 * cinder/volume/api.py. The status a request expects is checked here, against the stream the append
 * is made at, as Cinder's `conditional_update` does against its row.
 */

/** `reserve_volume`: a volume that attaches to one instance at a time must be available. */
export const decideReserve = ({ data }: ReserveVolume, v: VolumeRecord): VolumeEvent[] => {
  if (v.status !== 'available') throw new InvalidVolume(`Volume status must be available to reserve, but the status is ${v.status}.`);
  return [{ type: 'VolumeReserved', data: { volumeId: v.id, reservedAt: data.now } }];
};

/** `unreserve_volume`: a volume that is not `attaching` has nothing to undo (Cinder answers 202 all the same). */
export const decideUnreserve = ({ data }: UnreserveVolume, v: VolumeRecord): VolumeEvent[] => {
  if (v.status !== 'attaching') return [];
  return [{ type: 'VolumeUnreserved', data: { volumeId: v.id, status: v.attached ? 'in-use' : 'available', unreservedAt: data.now } }];
};

/** `begin_detaching`: only an attached, in-use volume. */
export const decideBeginDetaching = ({ data }: BeginVolumeDetaching, v: VolumeRecord): VolumeEvent[] => {
  if (v.status !== 'in-use' || !v.attached)
    throw new InvalidVolume("Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.");
  return [{ type: 'VolumeDetachingStarted', data: { volumeId: v.id, startedAt: data.now } }];
};

/** `roll_detaching`: back to in-use from `detaching`; any other status is left as it is, silently. */
export const decideRollDetaching = ({ data }: RollVolumeDetaching, v: VolumeRecord): VolumeEvent[] => {
  if (v.status !== 'detaching') return [];
  return [{ type: 'VolumeDetachingRolledBack', data: { volumeId: v.id, rolledBackAt: data.now } }];
};

/**
 * `_extend`: the new size first, then the status (`available`, or `in-use` from 3.42 on), as Cinder checks
 * them. A managed file or device is not Strata's to resize: refused with the message of Cinder's base
 * driver for a back end that cannot extend ("Extend volume not implemented"), before any status changes,
 * where Cinder would only fail in the driver and leave the volume `error_extending`.
 */
export const decideExtend = ({ data }: ExtendVolume, v: VolumeRecord): VolumeEvent[] => {
  if (data.newSizeGb <= v.sizeGb)
    throw new InvalidInput(
      `Invalid input received: New size for extend must be greater than current size. (current: ${v.sizeGb}, extended: ${data.newSizeGb}).`,
    );
  const expected = data.inUseAllowed && v.status === 'in-use' ? 'in-use' : 'available';
  // Cinder formats the dict it expected: "must be '{'status': 'available'}' to extend".
  if (v.status !== expected)
    throw new InvalidVolume(`Volume ${v.id} status must be '{'status': '${expected}'}' to extend, currently ${v.status}.`);
  if (!v.location?.owned)
    throw new InvalidVolume(`Extend volume not implemented: volume ${v.id} is a managed file or device, which Strata never resizes.`);
  return [
    { type: 'VolumeExtendRequested', data: { volumeId: v.id, newSizeGb: data.newSizeGb, previousStatus: expected, requestedAt: data.now } },
  ];
};

/** The worker grew the image: back to in-use if attached (Cinder looks at the attachments), else available. */
export const decideExtended = ({ data }: RecordVolumeExtended, v: VolumeRecord): VolumeEvent[] => {
  if (v.status !== 'extending' || v.extendingTo === null) return [];
  return [
    {
      type: 'VolumeExtended',
      data: {
        volumeId: v.id,
        sizeGb: v.extendingTo,
        sizeBytes: data.sizeBytes,
        status: v.attached ? 'in-use' : 'available',
        extendedAt: data.now,
      },
    },
  ];
};

export const decideExtendFailed = ({ data }: RecordVolumeExtendFailed, v: VolumeRecord): VolumeEvent[] => {
  if (v.status !== 'extending') return [];
  return [{ type: 'VolumeExtendFailed', data: { volumeId: v.id, reason: data.reason, failedAt: data.now } }];
};

/** `os-set_bootable` is Cinder's plain volume update: any status; setting the value it has changes nothing. */
export const decideSetBootable = ({ data }: SetVolumeBootable, v: VolumeRecord): VolumeEvent[] =>
  v.bootable === data.bootable ? [] : [{ type: 'VolumeBootableSet', data: { volumeId: v.id, bootable: data.bootable, setAt: data.now } }];

/** `update_readonly_flag`: only an available volume. */
export const decideReadonlyFlag = ({ data }: UpdateVolumeReadonlyFlag, v: VolumeRecord): VolumeEvent[] => {
  if (v.status !== 'available')
    throw new InvalidVolume(`Volume ${v.id} status must be available to update readonly flag, but current status is: ${v.status}.`);
  if (v.readonly === data.readonly) return [];
  return [{ type: 'VolumeReadonlyFlagUpdated', data: { volumeId: v.id, readonly: data.readonly, updatedAt: data.now } }];
};
