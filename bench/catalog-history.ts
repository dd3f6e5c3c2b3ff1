/**
 * A realistic, seeded catalog history written straight into an event store with the domain's events
 * (no HTTP, no worker), for the rebuild test and `npm run bench:catalog-rebuild`: volumes in several
 * projects, each backed up in chains (a full, then incrementals on the newest available backup), with
 * failures, renames, restores, snapshot-based backups, leaf deletions and whole-chain rotations. Every
 * job has ended, so a worker booted on the store finds nothing to do.
 */
import type { EventMeta, StrataEvent } from '@strata/domain';
import { backupStreamId, snapshotStreamId, volumeStreamId } from '@strata/domain';
import type { EventData, EventStore } from '@strata/event-store';

export interface SeededHistory {
  readonly backups: number;
  readonly volumes: number;
  readonly events: number;
  readonly head: bigint;
}

const GIB = 1024 ** 3;
const OBJECT_BYTES = 64 * 1024 * 1024;
const uuid = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A linear congruential generator: the same seed gives the same history on every machine. */
const seeded = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

interface VolumeState {
  readonly id: string;
  readonly projectId: string;
  /** Live backups of the volume, oldest first, with their live children counted. */
  readonly chain: { id: string; available: boolean; children: number; parentId: string | null }[];
  snapshots: number;
}

export const seedCatalogHistory = async (
  store: EventStore,
  {
    backups,
    seed = 7,
    volumes: volumesWanted,
    projects = 5,
  }: { backups: number; seed?: number; /** default one per 20 backups */ volumes?: number; projects?: number },
): Promise<SeededHistory> => {
  const random = seeded(seed);
  let clock = Date.UTC(2026, 0, 1);
  const now = () => new Date((clock += 1000 + Math.floor(random() * 60_000))).toISOString();
  let events = 0;
  let head = 0n;
  let eventNumber = 0;
  const metaOf = (projectId: string, n: number): EventMeta => ({
    correlationId: `req-${uuid('00000000', n).slice(0, 36)}`,
    causationId: `req-${n}`,
    userId: `user-${projectId}`,
    projectId,
    requestId: `req-${n}`,
  });
  const append = async (streamId: string, list: StrataEvent[], meta: EventMeta) => {
    const batch: EventData[] = list.map((e) => ({ id: uuid('e0000000', ++eventNumber), type: e.type, data: e.data, metadata: meta }));
    head = (await store.appendToStream(streamId, batch)).position;
    events += batch.length;
  };

  const volumeCount = volumesWanted ?? Math.max(1, Math.ceil(backups / 20));
  const volumes: VolumeState[] = [];
  for (let v = 1; v <= volumeCount; v++) {
    const id = uuid('a0000000', v);
    const projectId = `project-${(v % projects) + 1}`;
    volumes.push({ id, projectId, chain: [], snapshots: 0 });
    await append(
      volumeStreamId(id),
      [
        {
          type: 'VolumeCreated',
          data: {
            volumeId: id,
            projectId,
            userId: `user-${projectId}`,
            name: `vol-${v}`,
            description: null,
            sizeGb: 1 + (v % 4),
            availabilityZone: 'nova',
            volumeType: null,
            encryptionKeyId: null,
            metadata: {},
            source: { kind: 'blank' },
            createdAt: now(),
          },
        },
        {
          type: 'VolumeProvisioned',
          data: {
            volumeId: id,
            location: { kind: 'file', path: `/data/volumes/${id}.img`, sizeBytes: (1 + (v % 4)) * GIB, owned: true },
            sizeGb: 1 + (v % 4),
            provisionedAt: now(),
          },
        },
      ],
      metaOf(projectId, v),
    );
  }

  for (let n = 1; n <= backups; n++) {
    const volume = volumes[Math.floor(random() * volumes.length)]!;
    const meta = metaOf(volume.projectId, 100_000 + n);
    const backupId = uuid('b0000000', n);
    const newest = [...volume.chain].reverse().find((b) => b.available) ?? null;
    const rotate = newest !== null && random() < 0.1; // a new full starts a new chain now and then
    const parent = rotate ? null : newest;
    let snapshotId: string | null = null;
    if (random() < 0.05) {
      snapshotId = uuid('c0000000', n);
      volume.snapshots += 1;
      await append(
        snapshotStreamId(snapshotId),
        [
          {
            type: 'SnapshotCreated',
            data: {
              snapshotId,
              volumeId: volume.id,
              projectId: volume.projectId,
              userId: meta.userId,
              name: `snap-${n}`,
              description: null,
              sizeGb: 1,
              metadata: {},
              createdAt: now(),
            },
          },
          {
            type: 'SnapshotProvisioned',
            data: {
              snapshotId,
              location: { kind: 'file', path: `/data/snapshots/${snapshotId}.img`, sizeBytes: GIB, owned: true },
              provisionedAt: now(),
            },
          },
        ],
        meta,
      );
    }
    const requestedAt = now();
    await append(
      volumeStreamId(volume.id),
      [{ type: 'VolumeBackupStarted', data: { volumeId: volume.id, backupId, previousStatus: 'available', startedAt: requestedAt } }],
      meta,
    );
    const objects = 1 + Math.floor(random() * 4);
    const failed = random() < 0.06;
    const life: StrataEvent[] = [
      {
        type: 'BackupRequested',
        data: {
          backupId,
          volumeId: volume.id,
          snapshotId,
          projectId: volume.projectId,
          userId: meta.userId,
          name: `backup-${n}`,
          description: n % 7 === 0 ? `nightly ${n}` : null,
          container: null,
          incremental: parent !== null,
          force: false,
          parentId: parent?.id ?? null,
          sizeGb: 1,
          availabilityZone: 'nova',
          metadata: n % 11 === 0 ? { tier: 'gold' } : {},
          encryptionKeyId: null,
          service: 'cinder.backup.drivers.posix.PosixBackupDriver',
          dataTimestamp: requestedAt,
          createdAt: requestedAt,
        },
      },
      {
        type: 'BackupStarted',
        data: {
          backupId,
          container: `${backupId.slice(0, 2)}/${backupId.slice(2, 4)}/${backupId}`,
          objectPrefix: `volume_${volume.id}_backup_${backupId}`,
          service: 'cinder.backup.drivers.posix.PosixBackupDriver',
          driver: { objectSizeBytes: OBJECT_BYTES, shaBlockSizeBytes: 32768, compression: 'zlib', compressionLevel: 1 },
          startedAt: now(),
        },
      },
    ];
    const written = failed ? Math.floor(objects / 2) : objects;
    for (let i = 1; i <= written; i++)
      life.push({
        type: 'ChunkWritten',
        data: {
          backupId,
          objectIndex: i,
          objectName: `volume_${volume.id}_backup_${backupId}-${String(i).padStart(5, '0')}`,
          chunkIndex: i - 1,
          offsetBytes: (i - 1) * OBJECT_BYTES,
          lengthBytes: OBJECT_BYTES,
          compression: 'zlib',
          md5: 'd41d8cd98f00b204e9800998ecf8427e',
          storedBytes: 1000 + Math.floor((random() * OBJECT_BYTES) / 4),
          writtenAt: now(),
        },
      });
    life.push(
      failed
        ? { type: 'BackupFailed', data: { backupId, reason: `disk read error at object ${written + 1}`, failedAt: now() } }
        : {
            type: 'BackupCompleted',
            data: { backupId, objectCount: objects, sizeBytes: GIB, storedBytes: objects * 4096, completedAt: now() },
          },
    );
    if (!failed && random() < 0.04)
      life.push({ type: 'BackupUpdated', data: { backupId, name: `renamed-${n}`, metadata: { n: String(n) }, updatedAt: now() } });
    await append(backupStreamId(backupId), life, meta);
    await append(
      volumeStreamId(volume.id),
      [
        {
          type: 'VolumeBackupEnded',
          data: {
            volumeId: volume.id,
            backupId,
            outcome: failed ? 'failed' : 'completed',
            status: 'available',
            endedAt: now(),
          },
        },
      ],
      meta,
    );
    volume.chain.push({ id: backupId, available: !failed, children: 0, parentId: parent?.id ?? null });
    if (parent) parent.children += 1;
    if (snapshotId)
      await append(
        snapshotStreamId(snapshotId),
        [
          { type: 'SnapshotBackupStarted', data: { snapshotId, backupId, startedAt: requestedAt } },
          { type: 'SnapshotBackupEnded', data: { snapshotId, backupId, outcome: failed ? 'failed' : 'completed', endedAt: now() } },
        ],
        meta,
      );

    if (!failed && random() < 0.03) {
      const at = now();
      await append(
        volumeStreamId(volume.id),
        [{ type: 'VolumeRestoreStarted', data: { volumeId: volume.id, backupId, startedAt: at } }],
        meta,
      );
      await append(
        backupStreamId(backupId),
        [
          { type: 'RestoreRequested', data: { backupId, volumeId: volume.id, volumeIsNew: false, requestedAt: at } },
          { type: 'RestoreCompleted', data: { backupId, volumeId: volume.id, bytesWritten: GIB, completedAt: now() } },
        ],
        meta,
      );
      await append(
        volumeStreamId(volume.id),
        [
          {
            type: 'VolumeRestoreEnded',
            data: { volumeId: volume.id, backupId, outcome: 'completed', status: 'available', endedAt: now() },
          },
        ],
        meta,
      );
    }
    // Retention: now and then the oldest backup without live children goes (a leaf, or a spent full).
    if (random() < 0.12) {
      const leaf = volume.chain.find((b) => b.children === 0 && b.id !== backupId);
      if (leaf) {
        await append(
          backupStreamId(leaf.id),
          [
            {
              type: 'BackupDeletionRequested',
              data: { backupId: leaf.id, force: false, previousStatus: leaf.available ? 'available' : 'error', requestedAt: now() },
            },
            { type: 'BackupDeleted', data: { backupId: leaf.id, deletedAt: now() } },
          ],
          meta,
        );
        volume.chain.splice(volume.chain.indexOf(leaf), 1);
        const parentOfLeaf = volume.chain.find((b) => b.id === leaf.parentId);
        if (parentOfLeaf) parentOfLeaf.children -= 1;
      }
    }
  }
  return { backups, volumes: volumeCount, events, head };
};
