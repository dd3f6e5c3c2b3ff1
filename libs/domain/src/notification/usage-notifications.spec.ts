import type { StrataEvent } from '../strata-event';
import { decideNotifierCheckpoint, initialNotifierCheckpoint, evolveNotifierCheckpoint } from './notifier-checkpoint';
import { osloTimestamp, pythonDict, pythonIsoformat } from './python-format';
import { applyUsageChanges, initialUsageState, usageStep, type NotificationSettings, type UsageNotification } from './usage-notifications';

const GIB = 1024 ** 3;
const B = '11111111-1111-4111-8111-111111111111';
const CHILD = '22222222-2222-4222-8222-222222222222';
const V = '33333333-3333-4333-8333-333333333333';
const S = '44444444-4444-4444-8444-444444444444';
const POSIX = 'cinder.backup.drivers.posix.PosixBackupDriver';

const settings = (over: Partial<NotificationSettings> = {}): NotificationSettings => ({
  host: 'strata-1',
  progressTimerEnabled: () => true,
  timerIntervalSeconds: 120,
  objectsPerNotification: 10,
  ...over,
});

/** Given these events, the notifications the notifier sends, in order. */
const notificationsOf = (events: readonly StrataEvent[], s = settings()): UsageNotification[] => {
  const state = initialUsageState();
  const out: UsageNotification[] = [];
  for (const e of events) {
    const step = usageStep(state, e, s);
    applyUsageChanges(state, step.changes);
    out.push(...step.notifications);
  }
  return out;
};
const types = (events: readonly StrataEvent[], s = settings()) => notificationsOf(events, s).map((n) => n.eventType);

const requested = (id = B, over: Record<string, unknown> = {}): StrataEvent => ({
  type: 'BackupRequested',
  data: {
    backupId: id,
    volumeId: V,
    snapshotId: null,
    projectId: 'demo',
    userId: 'alice',
    name: 'nightly',
    description: null,
    container: null,
    incremental: false,
    force: false,
    parentId: null,
    sizeGb: 1,
    availabilityZone: 'nova',
    metadata: {},
    encryptionKeyId: null,
    service: POSIX,
    dataTimestamp: '2026-12-04T10:00:00.000Z',
    createdAt: '2026-12-04T10:00:00.000Z',
    ...over,
  },
});
const started = (id = B, at = '2026-12-04T10:00:01.000Z'): StrataEvent => ({
  type: 'BackupStarted',
  data: {
    backupId: id,
    container: 'c',
    objectPrefix: `volume_${V}/20261204100001/az_nova_backup_${id}`,
    service: POSIX,
    driver: { objectSizeBytes: 1024 * 1024, shaBlockSizeBytes: 4096, compression: 'zlib', compressionLevel: 1 },
    startedAt: at,
  },
});
/** Chunk i of 1 MiB, written `seconds` after the start. */
const chunk = (i: number, seconds: number, id = B): StrataEvent => ({
  type: 'ChunkWritten',
  data: {
    backupId: id,
    objectIndex: i + 1,
    objectName: `o-${i + 1}`,
    chunkIndex: i,
    offsetBytes: i * 1024 * 1024,
    lengthBytes: 1024 * 1024,
    compression: 'zlib',
    md5: 'd41d8cd98f00b204e9800998ecf8427e',
    storedBytes: 10,
    writtenAt: new Date(Date.parse('2026-12-04T10:00:01.000Z') + seconds * 1000).toISOString(),
  },
});
const completed = (id = B, objectCount = 3): StrataEvent => ({
  type: 'BackupCompleted',
  data: { backupId: id, objectCount, sizeBytes: GIB, storedBytes: 30, completedAt: '2026-12-04T10:05:00.000Z' },
});

describe('Cinder notifications from the log', () => {
  it("sends create.start and, once the backup is done, the driver's last createprogress (100 %) and create.end", () => {
    const sent = notificationsOf([requested(), started(), chunk(0, 1), completed(B, 1)]);
    expect(sent.map((n) => n.eventType)).toEqual(['backup.create.start', 'backup.createprogress', 'backup.create.end']);
    expect(sent.every((n) => n.service === 'backup')).toBe(true);
    expect(sent[1].payload).toMatchObject({ backup_percent: 100, status: 'creating' });
  });

  it("carries the payload of Cinder's _usage_from_backup, field for field", () => {
    const [start, , end] = notificationsOf([requested(), started(), completed(B, 0)]);
    expect(Object.keys(start.payload).sort()).toEqual(
      [
        'tenant_id',
        'user_id',
        'availability_zone',
        'backup_id',
        'host',
        'display_name',
        'created_at',
        'status',
        'volume_id',
        'size',
        'service_metadata',
        'service',
        'fail_reason',
        'parent_id',
        'num_dependent_backups',
        'snapshot_id',
      ].sort(),
    );
    expect(start.payload).toEqual({
      tenant_id: 'demo',
      user_id: 'alice',
      availability_zone: 'nova',
      backup_id: B,
      host: 'strata-1',
      display_name: 'nightly',
      created_at: '2026-12-04T10:00:00+00:00',
      status: 'creating',
      volume_id: V,
      size: 1,
      service_metadata: null,
      service: POSIX,
      fail_reason: null,
      parent_id: null,
      num_dependent_backups: 0,
      snapshot_id: null,
    });
    expect(end.payload).toMatchObject({ status: 'available', service_metadata: `volume_${V}/20261204100001/az_nova_backup_${B}` });
  });

  it('sends a createprogress after every backup_object_number_per_notification chunks', () => {
    const chunks = Array.from({ length: 25 }, (_, i) => chunk(i, 0));
    const sent = notificationsOf([requested(), started(), ...chunks], settings({ objectsPerNotification: 10 }));
    const progress = sent.filter((n) => n.eventType === 'backup.createprogress');
    expect(progress.map((n) => n.payload.backup_percent)).toEqual([(10 * 100) / 1024, (20 * 100) / 1024]);
    expect(progress.map((n) => n.payload.id)).toEqual([10, 20]);
  });

  it('sends a timed createprogress for every backup_timer_interval that passed, only when the timer of its driver is on', () => {
    const events = [requested(), started(), chunk(0, 30), chunk(1, 130), chunk(2, 150), chunk(3, 250), chunk(4, 490)];
    const timed = (on: boolean) =>
      types(events, settings({ progressTimerEnabled: () => on, timerIntervalSeconds: 120, objectsPerNotification: 1000 })).filter(
        (t) => t === 'backup.createprogress',
      ).length;
    // 130 s crosses the first interval, 250 s the second, 490 s the fourth (one notification per chunk at most).
    expect(timed(true)).toBe(3);
    expect(timed(false)).toBe(0);
  });

  it('sends restore.start and restore.end, and no restore.end for a restore that failed', () => {
    const done = [requested(), started(), completed(B, 0)];
    const restore = (end: StrataEvent) =>
      types([
        ...done,
        { type: 'RestoreRequested', data: { backupId: B, volumeId: V, volumeIsNew: false, requestedAt: '2026-12-04T11:00:00.000Z' } },
        end,
      ]).slice(3);
    expect(
      restore({ type: 'RestoreCompleted', data: { backupId: B, volumeId: V, bytesWritten: GIB, completedAt: '2026-12-04T11:01:00.000Z' } }),
    ).toEqual(['backup.restore.start', 'backup.restore.end']);
    expect(
      restore({ type: 'RestoreFailed', data: { backupId: B, volumeId: V, reason: 'x', failedAt: '2026-12-04T11:01:00.000Z' } }),
    ).toEqual(['backup.restore.start']);
  });

  it('sends reset_status.start with the status before and reset_status.end with the status after', () => {
    const sent = notificationsOf([
      requested(),
      { type: 'BackupFailed', data: { backupId: B, reason: 'disk gone', failedAt: '2026-12-04T10:01:00.000Z' } },
      {
        type: 'BackupStatusReset',
        data: { backupId: B, status: 'available', previousStatus: 'error', resetAt: '2026-12-04T10:02:00.000Z' },
      },
    ]);
    expect(sent.map((n) => [n.eventType, n.payload.status, n.payload.fail_reason])).toEqual([
      ['backup.create.start', 'creating', null],
      ['backup.reset_status.start', 'error', 'disk gone'],
      ['backup.reset_status.end', 'available', 'disk gone'],
    ]);
  });

  it("counts an incremental in its parent's num_dependent_backups until the incremental is deleted", () => {
    const sent = notificationsOf([
      requested(),
      completed(B, 0),
      { type: 'BackupChildAdded', data: { backupId: B, childId: CHILD, addedAt: '2026-12-04T12:00:00.000Z' } },
      requested(CHILD, { parentId: B, incremental: true }),
      completed(CHILD, 0),
      {
        type: 'BackupDeletionRequested',
        data: { backupId: B, force: true, previousStatus: 'available', requestedAt: '2026-12-04T12:10:00.000Z' },
      },
      {
        type: 'BackupDeletionRequested',
        data: { backupId: CHILD, force: false, previousStatus: 'available', requestedAt: '2026-12-04T12:10:00.000Z' },
      },
      { type: 'BackupDeleted', data: { backupId: CHILD, deletedAt: '2026-12-04T12:11:00.000Z' } },
      { type: 'RestoreRequested', data: { backupId: B, volumeId: V, volumeIsNew: false, requestedAt: '2026-12-04T12:12:00.000Z' } },
    ]);
    const of = (type: string, id: string) => sent.filter((n) => n.eventType === type && n.payload.backup_id === id).map((n) => n.payload);
    expect(of('backup.create.start', CHILD)[0]).toMatchObject({ parent_id: B });
    expect(of('backup.delete.start', B)[0]).toMatchObject({ status: 'deleting', num_dependent_backups: 1 });
    expect(of('backup.delete.end', CHILD)[0]).toMatchObject({ status: 'deleted' });
    expect(of('backup.restore.start', B)[0]).toMatchObject({ num_dependent_backups: 0 });
  });

  it('sends volume and snapshot create and delete start/end with the payloads of _usage_from_volume and _usage_from_snapshot', () => {
    const sent = notificationsOf([
      {
        type: 'VolumeCreated',
        data: {
          volumeId: V,
          projectId: 'demo',
          userId: 'alice',
          name: 'data',
          description: null,
          sizeGb: 2,
          availabilityZone: 'nova',
          volumeType: '__DEFAULT__',
          volumeTypeId: '55555555-5555-4555-8555-555555555555',
          encryptionKeyId: null,
          metadata: { tier: 'gold' },
          source: { kind: 'blank' },
          createdAt: '2026-12-04T09:00:00.123Z',
        },
      },
      {
        type: 'VolumeProvisioned',
        data: {
          volumeId: V,
          location: { kind: 'file', path: '/v', sizeBytes: 2 * GIB, owned: true },
          sizeGb: 2,
          provisionedAt: '2026-12-04T09:00:01.000Z',
        },
      },
      {
        type: 'SnapshotCreated',
        data: {
          snapshotId: S,
          volumeId: V,
          projectId: 'demo',
          userId: 'alice',
          name: 's',
          description: null,
          sizeGb: 2,
          metadata: { k: "it's" },
          createdAt: '2026-12-04T09:10:00.000Z',
        },
      },
      {
        type: 'SnapshotProvisioned',
        data: {
          snapshotId: S,
          location: { kind: 'file', path: '/s', sizeBytes: 2 * GIB, owned: true },
          provisionedAt: '2026-12-04T09:10:01.000Z',
        },
      },
      { type: 'SnapshotDeletionRequested', data: { snapshotId: S, requestedAt: '2026-12-04T09:20:00.000Z' } },
      { type: 'SnapshotDeleted', data: { snapshotId: S, deletedAt: '2026-12-04T09:20:01.000Z' } },
      { type: 'VolumeDeletionRequested', data: { volumeId: V, requestedAt: '2026-12-04T09:30:00.000Z' } },
      { type: 'VolumeDeleted', data: { volumeId: V, deletedAt: '2026-12-04T09:30:01.000Z' } },
    ]);
    expect(sent.map((n) => `${n.service}:${n.eventType}:${String(n.payload.status)}`)).toEqual([
      'volume:volume.create.start:creating',
      'volume:volume.create.end:available',
      'snapshot:snapshot.create.start:creating',
      'snapshot:snapshot.create.end:available',
      'snapshot:snapshot.delete.start:deleting',
      'snapshot:snapshot.delete.end:deleted',
      'volume:volume.delete.start:deleting',
      'volume:volume.delete.end:deleted',
    ]);
    expect(sent[1].payload).toMatchObject({
      tenant_id: 'demo',
      volume_type: '55555555-5555-4555-8555-555555555555',
      created_at: '2026-12-04T09:00:00.123000+00:00',
      launched_at: '2026-12-04T09:00:01+00:00',
      size: 2,
      metadata: { tier: 'gold' },
    });
    expect(sent[5].payload).toEqual({
      tenant_id: 'demo',
      user_id: 'alice',
      availability_zone: 'nova',
      volume_id: V,
      volume_size: 2,
      snapshot_id: S,
      display_name: 's',
      created_at: '2026-12-04T09:10:00+00:00',
      status: 'deleted',
      deleted: 'True',
      metadata: `{'k': "it's"}`,
    });
  });

  it("carries the snapshot of a volume created from one, and the metadata a restore brought back, in the volume's payloads", () => {
    const sent = notificationsOf([
      {
        type: 'VolumeCreated',
        data: {
          volumeId: V,
          projectId: 'demo',
          userId: 'alice',
          name: null,
          description: null,
          sizeGb: 1,
          availabilityZone: 'nova',
          volumeType: null,
          encryptionKeyId: null,
          metadata: {},
          source: { kind: 'snapshot', snapshotId: S },
          createdAt: '2026-12-04T09:00:00.000Z',
        },
      },
      {
        type: 'VolumeMetadataRestored',
        data: { volumeId: V, backupId: B, name: 'src', metadata: { k: 'v' }, restoredAt: '2026-12-04T09:01:00.000Z' },
      },
      { type: 'VolumeDeletionRequested', data: { volumeId: V, requestedAt: '2026-12-04T09:02:00.000Z' } },
    ]);
    expect(sent.map((n) => [n.eventType, n.payload.snapshot_id])).toEqual([
      ['volume.create.start', S],
      ['volume.delete.start', S],
    ]);
    expect(sent[1]!.payload).toMatchObject({ display_name: 'src', metadata: { k: 'v' } });
  });

  it('sends nothing for events of entities it never saw created', () => {
    expect(types([completed(), { type: 'VolumeDeleted', data: { volumeId: V, deletedAt: '2026-12-04T09:30:01.000Z' } }])).toEqual([]);
  });
});

describe("Python's renderings", () => {
  it('formats times as datetime.isoformat() and oslo timestamps as str(utcnow())', () => {
    expect(pythonIsoformat('2026-12-04T10:00:00.000Z')).toBe('2026-12-04T10:00:00+00:00');
    expect(pythonIsoformat('2026-12-04T10:00:00.5Z')).toBe('2026-12-04T10:00:00.500000+00:00');
    expect(osloTimestamp('2026-12-04T19:04:47.291Z')).toBe('2026-12-04 19:04:47.291000');
    expect(pythonDict({ a: 'b', c: "d'e" })).toBe(`{'a': 'b', 'c': "d'e"}`);
  });
});

describe('the notifier checkpoint', () => {
  it('moves forwards only', () => {
    const cmd = (through: string) => ({
      type: 'RecordNotificationsPublished' as const,
      data: { through, notifications: 2, workerId: 'w', now: '2026-12-04T10:00:00.000Z' },
    });
    const first = decideNotifierCheckpoint(cmd('10'), initialNotifierCheckpoint());
    expect(first).toHaveLength(1);
    const state = evolveNotifierCheckpoint(initialNotifierCheckpoint(), first[0]);
    expect(decideNotifierCheckpoint(cmd('10'), state)).toEqual([]);
    expect(decideNotifierCheckpoint(cmd('9'), state)).toEqual([]);
    expect(decideNotifierCheckpoint(cmd('11'), state)).toHaveLength(1);
  });
});
