import { int, jsonObject } from './prepared';
import { locationOf, type LocationFields } from './volume-row';

export interface SnapshotRow extends LocationFields {
  readonly id: string;
  readonly volumeId: string;
  readonly projectId: string;
  readonly userId: string;
  readonly name: string | null;
  readonly description: string | null;
  /** GiB. */
  readonly size: number;
  readonly status: string;
  readonly metadata: Record<string, string>;
  /** The backup holding the `backing-up` lock. */
  readonly lockedBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deletedAt: string | null;
  readonly lastEventPosition: bigint;
}

export const SNAPSHOT_SELECT = 'SELECT s.* FROM snapshots s';

export const toSnapshotRow = (r: Record<string, unknown>): SnapshotRow => ({
  id: r.id as string,
  volumeId: r.volume_id as string,
  projectId: r.project_id as string,
  userId: r.user_id as string,
  name: r.name as string | null,
  description: r.description as string | null,
  size: int(r.size),
  status: r.status as string,
  metadata: jsonObject(r.metadata),
  ...locationOf(r),
  lockedBy: r.locked_by as string | null,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
  deletedAt: r.deleted_at as string | null,
  lastEventPosition: BigInt(r.last_event_position as bigint),
});
