import type { BackupEvent } from '../backup/backup.events';
import type { SnapshotEvent } from '../snapshot/snapshot.events';
import type { StrataEvent } from '../strata-event';
import type { VolumeEvent } from '../volume/volume.events';
import { pythonDict, pythonIsoformat } from './python-format';

const GIB = 1024 ** 3;

/** Who publishes a notification: oslo's `publisher_id` is `<service>.<host>`, as Cinder's notifiers name it. */
export type NotificationService = 'backup' | 'volume' | 'snapshot';

/** One Cinder notification, before it is put on a wire. Cinder sends all of these at priority INFO. */
export interface UsageNotification {
  readonly service: NotificationService;
  readonly eventType: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** The options Cinder reads to pace `backup.createprogress`, and the host it names itself by. */
export interface NotificationSettings {
  readonly host: string;
  /** The progress timer of the driver that wrote the backup (backup_enable_progress_timer, backup_swift_…). */
  progressTimerEnabled(service: string): boolean;
  readonly timerIntervalSeconds: number;
  readonly objectsPerNotification: number;
}

/** What Cinder's `_usage_from_backup` reads from a backup row, as the log has it at one event. */
export interface BackupUsage {
  readonly kind: 'backup';
  readonly tenantId: string;
  readonly userId: string;
  readonly availabilityZone: string | null;
  readonly backupId: string;
  readonly displayName: string | null;
  readonly createdAt: string;
  readonly status: string;
  readonly volumeId: string;
  readonly size: number;
  readonly serviceMetadata: string | null;
  readonly service: string;
  readonly failReason: string | null;
  readonly parentId: string | null;
  readonly numDependentBackups: number;
  readonly snapshotId: string | null;
  /** The running backup's pacing: when it started, chunks scanned, timer ticks and count notifications sent. */
  readonly progress: { readonly startedAt: number; readonly chunks: number; readonly ticks: number; readonly objects: number } | null;
}

export interface VolumeUsage {
  readonly kind: 'volume';
  readonly tenantId: string;
  readonly userId: string;
  readonly availabilityZone: string;
  readonly volumeId: string;
  readonly volumeTypeId: string | null;
  readonly displayName: string | null;
  readonly createdAt: string;
  readonly launchedAt: string | null;
  readonly status: string;
  readonly size: number;
  readonly metadata: Readonly<Record<string, string>>;
  /** The snapshot a volume was created from (Cinder's payload carries it). */
  readonly snapshotId?: string | null;
}

export interface SnapshotUsage {
  readonly kind: 'snapshot';
  readonly tenantId: string;
  readonly userId: string;
  readonly volumeId: string;
  readonly volumeSize: number;
  readonly snapshotId: string;
  readonly displayName: string | null;
  readonly createdAt: string;
  readonly status: string;
  readonly deleted: boolean;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What the notifier knows of every entity, folded from the log: only what Cinder's payloads carry. */
export interface UsageState {
  readonly backups: ReadonlyMap<string, BackupUsage>;
  readonly volumes: ReadonlyMap<string, VolumeUsage>;
  readonly snapshots: ReadonlyMap<string, SnapshotUsage>;
}

export const initialUsageState = (): UsageState => ({ backups: new Map(), volumes: new Map(), snapshots: new Map() });

/** One entity's state after an event; null when it is gone (deleted entities are not kept). */
export type UsageChange =
  | { readonly kind: 'backup'; readonly id: string; readonly value: BackupUsage | null }
  | { readonly kind: 'volume'; readonly id: string; readonly value: VolumeUsage | null }
  | { readonly kind: 'snapshot'; readonly id: string; readonly value: SnapshotUsage | null };

/**
 * What one event changes, and the notifications Cinder sends at that point, in Cinder's order. A change
 * rather than a new state: the state covers every live entity, and copying it per event would make
 * folding a log quadratic.
 */
export interface UsageStep {
  readonly changes: readonly UsageChange[];
  readonly notifications: readonly UsageNotification[];
}

const NOTHING: UsageStep = { changes: [], notifications: [] };

/** Applies a step's changes to the state in place (the state is the caller's, folded one event at a time). */
export const applyUsageChanges = (state: UsageState, changes: readonly UsageChange[]): void => {
  for (const c of changes) {
    const map = (c.kind === 'backup' ? state.backups : c.kind === 'volume' ? state.volumes : state.snapshots) as Map<string, unknown>;
    if (c.value === null) map.delete(c.id);
    else map.set(c.id, c.value);
  }
};

/**
 * The pure mapping from the log to Cinder's notifications: given the state folded so far and an event,
 * what the event changes and what to send. Replaying the same log gives the same
 * notifications, which is what lets a restarted notifier send again exactly what it may have lost.
 * Times come from the events, so the pacing of progress notifications is the same on every replay.
 */
export const usageStep = (state: UsageState, event: StrataEvent, settings: NotificationSettings): UsageStep => {
  if (isBackupEvent(event)) return backupStep(state, event, settings);
  if (isSnapshotEvent(event)) return snapshotStep(state, event);
  if (isVolumeEvent(event)) return volumeStep(state, event, settings);
  return NOTHING;
};

const BACKUP_TYPES: ReadonlySet<string> = new Set<BackupEvent['type']>([
  'BackupRequested',
  'BackupImported',
  'BackupStarted',
  'ChunkWritten',
  'BackupCompleted',
  'BackupFailed',
  'BackupDeletionRequested',
  'BackupDeleted',
  'BackupDeletionFailed',
  'BackupStatusReset',
  'BackupUpdated',
  'RestoreRequested',
  'RestoreCompleted',
  'RestoreFailed',
  'RestoreCancelled',
  'BackupChildAdded',
  'BackupChildRemoved',
]);
const VOLUME_TYPES: ReadonlySet<string> = new Set<VolumeEvent['type']>([
  'VolumeCreated',
  'VolumeProvisioned',
  'VolumeProvisioningFailed',
  'VolumeUpdated',
  'VolumeMetadataRestored',
  'VolumeExtended',
  'VolumeDeletionRequested',
  'VolumeDeleted',
  'VolumeDeletionFailed',
]);
const SNAPSHOT_TYPES: ReadonlySet<string> = new Set<SnapshotEvent['type']>([
  'SnapshotCreated',
  'SnapshotProvisioned',
  'SnapshotProvisioningFailed',
  'SnapshotDeletionRequested',
  'SnapshotDeleted',
  'SnapshotDeletionFailed',
]);
const isBackupEvent = (e: StrataEvent): e is BackupEvent => BACKUP_TYPES.has(e.type);
const isVolumeEvent = (e: StrataEvent): e is VolumeEvent => VOLUME_TYPES.has(e.type);
const isSnapshotEvent = (e: StrataEvent): e is SnapshotEvent => SNAPSHOT_TYPES.has(e.type);

// ---------------------------------------------------------------- backups

/** Cinder's `_usage_from_backup`, field for field, with the extra keys a call adds. */
export const backupPayload = (b: BackupUsage, host: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  tenant_id: b.tenantId,
  user_id: b.userId,
  availability_zone: b.availabilityZone,
  backup_id: b.backupId,
  host,
  display_name: b.displayName,
  created_at: pythonIsoformat(b.createdAt),
  status: b.status,
  volume_id: b.volumeId,
  size: b.size,
  service_metadata: b.serviceMetadata,
  service: b.service,
  fail_reason: b.failReason,
  parent_id: b.parentId,
  num_dependent_backups: b.numDependentBackups,
  snapshot_id: b.snapshotId,
  ...extra,
});

const backupStep = (state: UsageState, e: BackupEvent, s: NotificationSettings): UsageStep => {
  const id = e.data.backupId;
  const before = state.backups.get(id);
  const put = (after: BackupUsage | null, notifications: UsageNotification[] = [], also: UsageChange[] = []): UsageStep => ({
    changes: [{ kind: 'backup', id, value: after }, ...also],
    notifications,
  });
  const note = (b: BackupUsage, suffix: string, extra?: Record<string, unknown>): UsageNotification => ({
    service: 'backup',
    eventType: `backup.${suffix}`,
    payload: backupPayload(b, s.host, extra),
  });
  if (e.type === 'BackupRequested') {
    const d = e.data;
    const b: BackupUsage = {
      kind: 'backup',
      tenantId: d.projectId,
      userId: d.userId,
      availabilityZone: d.availabilityZone,
      backupId: id,
      displayName: d.name,
      createdAt: d.createdAt,
      status: 'creating',
      volumeId: d.volumeId,
      size: d.sizeGb,
      serviceMetadata: null,
      service: d.service,
      failReason: null,
      parentId: d.parentId,
      numDependentBackups: before?.numDependentBackups ?? 0,
      snapshotId: d.snapshotId,
      progress: null,
    };
    return put(b, [note(b, 'create.start')]);
  }
  if (e.type === 'BackupImported') {
    const d = e.data;
    // Cinder's import_record sends no notification; the backup is folded for what follows.
    return put({
      kind: 'backup',
      tenantId: d.projectId,
      userId: d.userId,
      availabilityZone: d.availabilityZone,
      backupId: id,
      displayName: d.name,
      createdAt: d.createdAt,
      status: d.status,
      volumeId: d.volumeId,
      size: d.sizeGb,
      serviceMetadata: d.objectPrefix,
      service: d.service,
      failReason: d.failReason,
      parentId: d.parentId,
      numDependentBackups: before?.numDependentBackups ?? 0,
      snapshotId: d.snapshotId,
      progress: null,
    });
  }
  if (e.type === 'BackupChildAdded' || e.type === 'BackupChildRemoved') {
    if (!before) return NOTHING;
    return put({ ...before, numDependentBackups: Math.max(0, before.numDependentBackups + (e.type === 'BackupChildAdded' ? 1 : -1)) });
  }
  if (!before) return NOTHING;
  switch (e.type) {
    case 'BackupStarted':
      // Cinder's chunked driver sets service_metadata to the object prefix; its timer starts with the backup.
      return put({
        ...before,
        service: e.data.service,
        serviceMetadata: e.data.objectPrefix,
        progress: { startedAt: Date.parse(e.data.startedAt), chunks: 0, ticks: 0, objects: 0 },
      });
    case 'ChunkWritten':
      return put(...chunkProgress(before, e.data, s, note));
    case 'BackupCompleted': {
      const done = { ...before, status: 'available', progress: null };
      const objects = Math.max(before.progress?.objects ?? 0, e.data.objectCount);
      // The chunked driver's last progress notification (100 %), then the manager's create.end.
      return put(done, [
        note({ ...before, progress: null }, 'createprogress', { backup_percent: 100, id: objects, prefix: before.serviceMetadata }),
        note(done, 'create.end'),
      ]);
    }
    case 'BackupFailed':
      // Cinder's manager records the error and raises: no create.end.
      return put({ ...before, status: 'error', failReason: e.data.reason, progress: null });
    case 'BackupDeletionRequested': {
      const deleting = { ...before, status: 'deleting', progress: null };
      return put(deleting, [note(deleting, 'delete.start')]);
    }
    case 'BackupDeleted': {
      const deleted = { ...before, status: 'deleted' };
      // A deleted incremental no longer depends on its parent (Cinder counts live children).
      const parent = before.parentId ? state.backups.get(before.parentId) : undefined;
      return put(
        null,
        [note(deleted, 'delete.end')],
        parent
          ? [
              {
                kind: 'backup',
                id: parent.backupId,
                value: { ...parent, numDependentBackups: Math.max(0, parent.numDependentBackups - 1) },
              },
            ]
          : [],
      );
    }
    case 'BackupDeletionFailed':
      return put({ ...before, status: 'error', failReason: e.data.reason });
    case 'BackupStatusReset': {
      // reset_status.start from the api with the backup as it was, reset_status.end from the manager.
      const reset = { ...before, status: e.data.status, progress: null };
      return put(reset, [note(before, 'reset_status.start'), note(reset, 'reset_status.end')]);
    }
    case 'BackupUpdated':
      return put(e.data.name !== undefined ? { ...before, displayName: e.data.name } : before);
    case 'RestoreRequested': {
      const restoring = { ...before, status: 'restoring' };
      return put(restoring, [note(restoring, 'restore.start')]);
    }
    case 'RestoreCompleted': {
      const restored = { ...before, status: 'available' };
      return put(restored, [note(restored, 'restore.end')]);
    }
    case 'RestoreFailed':
    case 'RestoreCancelled':
      // Cinder makes the backup available again and raises: no restore.end.
      return put({ ...before, status: 'available' });
    default:
      return NOTHING;
  }
};

/**
 * Cinder's chunked driver sends `backup.createprogress` after every `backup_object_number_per_notification`
 * chunks, and, when the driver's progress timer is on, every `backup_timer_interval` seconds. From the
 * log: a chunk's index says how many chunks were scanned, its time how many intervals have passed since
 * the backup started; each ChunkWritten sends one notification when either count moved on.
 */
const chunkProgress = (
  b: BackupUsage,
  d: Extract<BackupEvent, { type: 'ChunkWritten' }>['data'],
  s: NotificationSettings,
  note: (b: BackupUsage, suffix: string, extra?: Record<string, unknown>) => UsageNotification,
): [BackupUsage, UsageNotification[]] => {
  const p = b.progress ?? { startedAt: Date.parse(d.writtenAt), chunks: 0, ticks: 0, objects: 0 };
  const chunks = Math.max(p.chunks, d.chunkIndex + 1);
  const objects = Math.max(p.objects, d.objectIndex);
  const ticks = s.progressTimerEnabled(b.service)
    ? Math.max(p.ticks, Math.floor((Date.parse(d.writtenAt) - p.startedAt) / (s.timerIntervalSeconds * 1000)))
    : p.ticks;
  const byCount = Math.floor(chunks / s.objectsPerNotification) > Math.floor(p.chunks / s.objectsPerNotification);
  const after = { ...b, progress: { ...p, chunks, ticks, objects } };
  if (!byCount && ticks === p.ticks) return [after, []];
  const total = b.size * GIB;
  const percent = total > 0 ? Math.min(100, ((d.offsetBytes + d.lengthBytes) * 100) / total) : 100;
  return [after, [note(after, 'createprogress', { backup_percent: percent, id: objects, prefix: b.serviceMetadata })]];
};

// ---------------------------------------------------------------- volumes

/** Cinder's `_usage_from_volume`; `host` is this Strata's, attachments and Glance metadata are not sent. */
export const volumePayload = (v: VolumeUsage, host: string): Record<string, unknown> => ({
  tenant_id: v.tenantId,
  host,
  user_id: v.userId,
  availability_zone: v.availabilityZone,
  volume_id: v.volumeId,
  volume_type: v.volumeTypeId,
  display_name: v.displayName,
  launched_at: pythonIsoformat(v.launchedAt ?? v.createdAt),
  created_at: pythonIsoformat(v.createdAt),
  status: v.status,
  snapshot_id: v.snapshotId ?? null,
  size: v.size,
  replication_status: null,
  replication_extended_status: null,
  replication_driver_data: null,
  metadata: { ...v.metadata },
});

const volumeStep = (state: UsageState, e: VolumeEvent, s: NotificationSettings): UsageStep => {
  const id = e.data.volumeId;
  const before = state.volumes.get(id);
  const put = (after: VolumeUsage | null, suffix?: string, shown?: VolumeUsage): UsageStep => ({
    changes: [{ kind: 'volume', id, value: after }],
    notifications: suffix ? [{ service: 'volume', eventType: `volume.${suffix}`, payload: volumePayload(shown ?? after!, s.host) }] : [],
  });
  if (e.type === 'VolumeCreated') {
    const d = e.data;
    return put(
      {
        kind: 'volume',
        tenantId: d.projectId,
        userId: d.userId,
        availabilityZone: d.availabilityZone,
        volumeId: id,
        volumeTypeId: d.volumeTypeId ?? null,
        displayName: d.name,
        createdAt: d.createdAt,
        launchedAt: null,
        status: 'creating',
        size: d.sizeGb,
        metadata: d.metadata,
        snapshotId: d.source.kind === 'snapshot' ? d.source.snapshotId : null,
      },
      'create.start',
    );
  }
  if (!before) return NOTHING;
  switch (e.type) {
    case 'VolumeProvisioned':
      return put({ ...before, status: 'available', size: e.data.sizeGb, launchedAt: e.data.provisionedAt }, 'create.end');
    case 'VolumeProvisioningFailed':
      return put({ ...before, status: 'error' });
    case 'VolumeUpdated':
    case 'VolumeMetadataRestored':
      return put({
        ...before,
        displayName: e.data.name !== undefined ? e.data.name : before.displayName,
        metadata: e.data.metadata ?? before.metadata,
      });
    case 'VolumeExtended':
      return put({ ...before, size: e.data.sizeGb });
    case 'VolumeDeletionRequested':
      return put({ ...before, status: 'deleting' }, 'delete.start');
    case 'VolumeDeleted':
      return put(null, 'delete.end', { ...before, status: 'deleted' });
    case 'VolumeDeletionFailed':
      return put({ ...before, status: 'error_deleting' });
    default:
      return NOTHING;
  }
};

// ---------------------------------------------------------------- snapshots

/** Cinder's `_usage_from_snapshot`: the availability zone is the volume's, `deleted` and `metadata` as Python's str(). */
export const snapshotPayload = (sn: SnapshotUsage, availabilityZone: string | null): Record<string, unknown> => ({
  tenant_id: sn.tenantId,
  user_id: sn.userId,
  availability_zone: availabilityZone,
  volume_id: sn.volumeId,
  volume_size: sn.volumeSize,
  snapshot_id: sn.snapshotId,
  display_name: sn.displayName,
  created_at: pythonIsoformat(sn.createdAt),
  status: sn.status,
  deleted: sn.deleted ? 'True' : '',
  metadata: Object.keys(sn.metadata).length > 0 ? pythonDict(sn.metadata) : '',
});

const snapshotStep = (state: UsageState, e: SnapshotEvent): UsageStep => {
  if (!('snapshotId' in e.data)) return NOTHING;
  const id = e.data.snapshotId;
  const before = state.snapshots.get(id);
  const put = (after: SnapshotUsage | null, suffix?: string, shown?: SnapshotUsage): UsageStep => {
    const sn = shown ?? after!;
    return {
      changes: [{ kind: 'snapshot', id, value: after }],
      notifications: suffix
        ? [
            {
              service: 'snapshot',
              eventType: `snapshot.${suffix}`,
              payload: snapshotPayload(sn, state.volumes.get(sn.volumeId)?.availabilityZone ?? null),
            },
          ]
        : [],
    };
  };
  if (e.type === 'SnapshotCreated') {
    const d = e.data;
    return put(
      {
        kind: 'snapshot',
        tenantId: d.projectId,
        userId: d.userId,
        volumeId: d.volumeId,
        volumeSize: d.sizeGb,
        snapshotId: id,
        displayName: d.name,
        createdAt: d.createdAt,
        status: 'creating',
        deleted: false,
        metadata: d.metadata,
      },
      'create.start',
    );
  }
  if (!before) return NOTHING;
  switch (e.type) {
    case 'SnapshotProvisioned':
      return put({ ...before, status: 'available' }, 'create.end');
    case 'SnapshotProvisioningFailed':
      return put({ ...before, status: 'error' });
    case 'SnapshotDeletionRequested':
      return put({ ...before, status: 'deleting' }, 'delete.start');
    case 'SnapshotDeleted':
      return put(null, 'delete.end', { ...before, status: 'deleted', deleted: true });
    case 'SnapshotDeletionFailed':
      return put({ ...before, status: 'error_deleting' });
    default:
      return NOTHING;
  }
};
