import {
  backupStreamId,
  quotaClassStreamId,
  quotaStreamId,
  snapshotStreamId,
  volumeStreamId,
  volumeTypeStreamId,
  userMessageStreamId,
  type BackupImported,
  type BackupRequested,
  type ChunkWritten,
  type EventMeta,
  type SnapshotCreated,
  type StrataEvent,
  type StrataEventType,
  type VolumeCreated,
  serviceStreamId,
} from '@strata/domain';
import { openMemoryEventStore, type EventStore, type MemoryEventStore } from '@strata/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../catalog';
import { entityOf } from '../projections/audit.projection';

/** Factories that default every field, so a spec shows only what matters to it. */
export const PROJECT = 'project-1';
export const OTHER_PROJECT = 'project-2';
export const VOLUME = 'a0000000-0000-4000-8000-000000000001';
export const GIB = 1024 ** 3;

/** A fixed time `minute` minutes after 10:00 on a fixed day: specs never read the clock. */
export const at = (minute: number): string => new Date(Date.UTC(2026, 10, 27, 10, 0) + minute * 60_000).toISOString();

export const backupIdOf = (n: number) => `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const meta = (over: Partial<EventMeta> = {}): EventMeta => ({
  correlationId: 'corr-1',
  causationId: 'req-1',
  userId: 'user-1',
  projectId: PROJECT,
  requestId: 'req-1',
  ...over,
});

export const event = <T extends StrataEventType>(type: T, data: Extract<StrataEvent, { type: T }>['data']) =>
  ({ type, data }) as Extract<StrataEvent, { type: T }>;

export const volumeCreated = (data: Partial<VolumeCreated['data']> = {}) =>
  event('VolumeCreated', {
    volumeId: VOLUME,
    projectId: PROJECT,
    userId: 'user-1',
    name: 'vol',
    description: null,
    sizeGb: 1,
    availabilityZone: 'nova',
    volumeType: null,
    encryptionKeyId: null,
    metadata: {},
    source: { kind: 'blank' },
    createdAt: at(0),
    ...data,
  });

export const volumeProvisioned = (volumeId = VOLUME, minute = 1) =>
  event('VolumeProvisioned', {
    volumeId,
    location: { kind: 'file', path: `/data/volumes/${volumeId}.img`, sizeBytes: 1 << 30, owned: true },
    sizeGb: 1,
    provisionedAt: at(minute),
  });

export const snapshotCreated = (data: Partial<SnapshotCreated['data']> = {}) =>
  event('SnapshotCreated', {
    snapshotId: 'c0000000-0000-4000-8000-000000000001',
    volumeId: VOLUME,
    projectId: PROJECT,
    userId: 'user-1',
    name: 'snap',
    description: null,
    sizeGb: 1,
    metadata: {},
    createdAt: at(2),
    ...data,
  });

export const backupRequested = (data: Partial<BackupRequested['data']> = {}) =>
  event('BackupRequested', {
    backupId: backupIdOf(1),
    volumeId: VOLUME,
    snapshotId: null,
    projectId: PROJECT,
    userId: 'user-1',
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
    service: 'posix',
    dataTimestamp: data.createdAt ?? at(10),
    createdAt: at(10),
    ...data,
  });

export const backupStarted = (backupId = backupIdOf(1), minute = 11) =>
  event('BackupStarted', {
    backupId,
    container: `b0/00/${backupId}`,
    objectPrefix: `volume_${VOLUME}_backup_${backupId}`,
    service: 'posix',
    driver: { objectSizeBytes: 512 * 1024 * 1024, shaBlockSizeBytes: 32768, compression: 'zlib', compressionLevel: 1 },
    startedAt: at(minute),
  });

export const chunkWritten = (backupId: string, objectIndex: number, data: Partial<ChunkWritten['data']> = {}) =>
  event('ChunkWritten', {
    backupId,
    objectIndex,
    objectName: `obj-${String(objectIndex).padStart(5, '0')}`,
    chunkIndex: objectIndex - 1,
    offsetBytes: (objectIndex - 1) * 512 * 1024 * 1024,
    lengthBytes: 512 * 1024 * 1024,
    compression: 'zlib',
    md5: 'd41d8cd98f00b204e9800998ecf8427e',
    storedBytes: 1000,
    writtenAt: at(12),
    ...data,
  });

export const backupCompleted = (backupId = backupIdOf(1), minute = 13) =>
  event('BackupCompleted', {
    backupId,
    objectCount: 2,
    sizeBytes: GIB,
    storedBytes: 2000,
    completedAt: at(minute),
  });

export const backupDeleted = (backupId: string, minute = 30) => [
  event('BackupDeletionRequested', { backupId, force: false, previousStatus: 'available', requestedAt: at(minute) }),
  event('BackupDeleted', { backupId, deletedAt: at(minute + 1) }),
];

/** An available backup: requested, started, two objects, completed. */
export const availableBackup = (data: Partial<BackupRequested['data']> = {}) => {
  const requested = backupRequested(data);
  const id = requested.data.backupId;
  return [requested, backupStarted(id), chunkWritten(id, 1), chunkWritten(id, 2), backupCompleted(id)];
};

/** A backup imported from a Cinder record (or found by a repository scan): available at once. */
export const backupImported = (data: Partial<BackupImported['data']> = {}) =>
  event('BackupImported', {
    backupId: backupIdOf(1),
    projectId: PROJECT,
    userId: 'admin-1',
    volumeId: VOLUME,
    snapshotId: null,
    parentId: null,
    name: 'imported',
    description: 'from cinder',
    container: 'c/d',
    objectPrefix: 'volume_x_backup_y',
    service: 'cinder.backup.drivers.posix.PosixBackupDriver',
    availabilityZone: 'nova',
    sizeGb: 2,
    objectCount: 3,
    metadata: { k: 'v' },
    encryptionKeyId: 'key-1',
    createdAt: at(5),
    dataTimestamp: at(5),
    status: 'available',
    failReason: null,
    source: 'record',
    importedAt: at(20),
    ...data,
  });

export const streamOf = (e: StrataEvent): string => {
  const { kind, id } = entityOf(e);
  const streamIds = {
    backup: backupStreamId,
    volume: volumeStreamId,
    snapshot: snapshotStreamId,
    volume_type: volumeTypeStreamId,
    message: userMessageStreamId,
    quota: quotaStreamId,
    quota_class: quotaClassStreamId,
  };
  if (kind === 'service') {
    const at = id.indexOf('@');
    return serviceStreamId(id.slice(0, at), id.slice(at + 1));
  }
  return streamIds[kind](id);
};

/** Appends each event to its own entity's stream; returns the position of the last one. */
export const append = async (store: EventStore, events: readonly StrataEvent[], eventMeta: EventMeta = meta()): Promise<bigint> => {
  let position = 0n;
  for (const e of events)
    ({ position } = await store.appendToStream(streamOf(e), [
      { id: randomUUID(), type: e.type, data: e.data, metadata: { ...eventMeta } },
    ]));
  return position;
};

export interface TestCatalog {
  readonly store: MemoryEventStore;
  readonly catalog: Catalog;
  readonly path: string;
  /** Appends and waits until the catalog shows it. */
  given(events: readonly StrataEvent[], eventMeta?: EventMeta): Promise<bigint>;
  close(): Promise<void>;
}

/** A memory event store and a running catalog on a temp SQLite file. */
export const openTestCatalog = (options: { pageSize?: number; batchSize?: number } = {}): TestCatalog => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-catalog-'));
  const path = join(dir, 'catalog.db');
  const store = openMemoryEventStore({ pageSize: options.pageSize, now: () => new Date(at(0)) });
  const catalog = Catalog.open({ path, store, batchSize: options.batchSize });
  catalog.start();
  return {
    store,
    catalog,
    path,
    async given(events, eventMeta) {
      const position = await append(store, events, eventMeta);
      await catalog.waitForPosition(position);
      return position;
    },
    async close() {
      await catalog.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

export const ownScope = { projectId: PROJECT, allProjects: false } as const;
export const allScope = { projectId: PROJECT, allProjects: true } as const;
