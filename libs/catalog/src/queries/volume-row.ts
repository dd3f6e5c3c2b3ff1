import type { VolumeSource } from '@strata/domain';
import { int, intOrNull, jsonObject } from './prepared';

/** Where the bytes live once provisioned; all null before. */
export interface LocationFields {
  readonly locationKind: 'file' | 'block' | null;
  readonly locationPath: string | null;
  /** False for managed volumes: Strata never deletes what it did not create. */
  readonly locationOwned: boolean | null;
}

export interface VolumeRow extends LocationFields {
  readonly id: string;
  readonly projectId: string;
  readonly userId: string;
  readonly name: string | null;
  readonly description: string | null;
  /** GiB. */
  readonly size: number;
  readonly status: string;
  readonly previousStatus: string | null;
  readonly availabilityZone: string;
  /** The type's name (now, after any rename); for a volume older than types, the text it was created with. */
  readonly volumeType: string | null;
  /** Null only for a volume older than types that was created with a type name. */
  readonly volumeTypeId: string | null;
  readonly encryptionKeyId: string | null;
  readonly metadata: Record<string, string>;
  readonly sourceKind: VolumeSource['kind'];
  /** The backup, snapshot or volume it was created from (null for blank and managed volumes). */
  readonly sourceId: string | null;
  readonly attachedInstance: string | null;
  readonly attachedHost: string | null;
  readonly attachedMountpoint: string | null;
  readonly attachedAt: string | null;
  /** The backup holding the `backing-up` or `restoring-backup` lock. */
  readonly lockedBy: string | null;
  readonly bootable: boolean;
  /** Cinder's admin metadata that its views show among the metadata: `readonly` ("True"/"False"), `attached_mode`. */
  readonly adminMetadata: Record<string, string>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deletedAt: string | null;
  readonly lastEventPosition: bigint;
}

/** The volume with its type's current name (a type in use is never deleted, so the join finds it). */
export const VOLUME_SELECT = 'SELECT v.*, t.name AS type_name FROM volumes v LEFT JOIN volume_types t ON t.id = v.volume_type_id';

export const locationOf = (r: Record<string, unknown>): LocationFields => ({
  locationKind: r.location_kind as 'file' | 'block' | null,
  locationPath: r.location_path as string | null,
  locationOwned: r.location_owned === null ? null : intOrNull(r.location_owned) === 1,
});

export const toVolumeRow = (r: Record<string, unknown>): VolumeRow => ({
  id: r.id as string,
  projectId: r.project_id as string,
  userId: r.user_id as string,
  name: r.name as string | null,
  description: r.description as string | null,
  size: int(r.size),
  status: r.status as string,
  previousStatus: r.previous_status as string | null,
  availabilityZone: r.availability_zone as string,
  volumeType: (r.type_name ?? r.volume_type) as string | null,
  volumeTypeId: r.volume_type_id as string | null,
  encryptionKeyId: r.encryption_key_id as string | null,
  metadata: jsonObject(r.metadata),
  sourceKind: r.source_kind as VolumeSource['kind'],
  sourceId: (r.source_id as string | null) ?? null,
  ...locationOf(r),
  attachedInstance: r.attached_instance as string | null,
  attachedHost: r.attached_host as string | null,
  attachedMountpoint: r.attached_mountpoint as string | null,
  attachedAt: (r.attached_at as string | null) ?? null,
  lockedBy: r.locked_by as string | null,
  bootable: int(r.bootable) === 1,
  adminMetadata: jsonObject(r.admin_metadata),
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
  deletedAt: r.deleted_at as string | null,
  lastEventPosition: BigInt(r.last_event_position as bigint),
});
