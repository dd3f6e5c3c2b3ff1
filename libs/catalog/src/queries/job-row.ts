import { int, intOrNull } from './prepared';

/** A running backup or restore and how far it got. */
export interface JobRow {
  readonly backupId: string;
  readonly kind: 'backup' | 'restore';
  readonly volumeId: string;
  readonly bytesDone: number;
  /** Null for restores: RestoreRequested carries no size. */
  readonly bytesTotal: number | null;
  readonly objectsDone: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** The worker holding the job's lease (null until one takes it), and when that lease runs out. */
  readonly workerId: string | null;
  readonly leaseExpiresAt: string | null;
}

export const toJobRow = (r: Record<string, unknown>): JobRow => ({
  backupId: r.backup_id as string,
  kind: r.kind as 'backup' | 'restore',
  volumeId: r.volume_id as string,
  bytesDone: int(r.bytes_done),
  bytesTotal: intOrNull(r.bytes_total),
  objectsDone: int(r.objects_done),
  startedAt: r.started_at as string,
  updatedAt: r.updated_at as string,
  workerId: (r.worker_id as string | null) ?? null,
  leaseExpiresAt: (r.lease_expires_at as string | null) ?? null,
});
