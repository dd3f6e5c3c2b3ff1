import {
  append,
  at,
  backupCompleted,
  backupIdOf,
  backupRequested,
  backupStarted,
  event,
  meta,
  snapshotCreated,
  VOLUME,
  volumeCreated,
  volumeProvisioned,
} from '@strata/catalog/testing/catalog-fixtures';
import { backupStreamId, snapshotDecider, snapshotStreamId, volumeDecider, volumeStreamId, type QuotaLimits } from '@strata/domain';
import { decideAndAppend, openMemoryEventStore, type EventStore } from '@strata/event-store';
import { recordBackupRequest, type BackupLock } from './backup-creation';
import { Killed, killableRecorder } from './testing/killable-recorder';

const backupId = backupIdOf(2);
const parentId = backupIdOf(1);
const snapshotId = snapshotCreated().data.snapshotId;
const unlimited: QuotaLimits = { volumes: -1, gigabytes: -1, snapshots: -1, backups: -1, backup_gigabytes: -1 };

interface Case {
  readonly lock: BackupLock;
  readonly incremental?: boolean;
  /** A deletion reached the parent's stream after the api chose it (the link is refused). */
  readonly parentDeleted?: boolean;
  readonly limits?: QuotaLimits;
}

/** The log as the api leaves it after the workflow's first step: the lock, carrying the backup. */
const givenTheLock = async (store: EventStore, c: Case) => {
  await append(store, [volumeCreated(), volumeProvisioned(), snapshotCreated()]);
  await append(store, [
    event('SnapshotProvisioned', {
      snapshotId,
      location: { kind: 'file', path: '/data/snap.img', sizeBytes: 1 << 30, owned: true },
      provisionedAt: at(3),
    }),
  ]);
  if (c.incremental) await append(store, [backupRequested({ backupId: parentId }), backupStarted(parentId), backupCompleted(parentId)]);
  if (c.parentDeleted)
    await append(store, [
      event('BackupDeletionRequested', { backupId: parentId, force: false, previousStatus: 'available', requestedAt: at(15) }),
    ]);
  const backup = backupRequested({
    backupId,
    incremental: c.incremental ?? false,
    parentId: c.incremental ? parentId : null,
    snapshotId: c.lock.kind === 'snapshot' ? snapshotId : null,
  }).data;
  const now = at(16);
  if (c.lock.kind === 'snapshot')
    await decideAndAppend(
      store,
      snapshotStreamId(snapshotId),
      snapshotDecider,
      { type: 'StartSnapshotBackup', data: { snapshotId, volumeId: VOLUME, backupId, now, backup } },
      meta(),
    );
  else
    await decideAndAppend(
      store,
      volumeStreamId(VOLUME),
      volumeDecider,
      { type: 'StartVolumeBackup', data: { volumeId: VOLUME, backupId, force: false, now, backup } },
      meta(),
    );
  return store.headPosition();
};

/** What the workflow recorded after its first step: each event's stream and type, in log order. */
const recordedAfter = async (store: EventStore, position: bigint) => {
  const steps: string[] = [];
  for await (const e of store.readAll({ fromPosition: position + 1n })) steps.push(`${e.streamId} ${e.type}`);
  return steps;
};

const run = (store: EventStore, c: Case, stepsBeforeKill?: number) =>
  recordBackupRequest(store, killableRecorder(store, meta(), stepsBeforeKill), backupId, c.lock, at(17), () => c.limits ?? unlimited);

const volumeLock: BackupLock = { kind: 'volume', id: VOLUME };
/** Each case's steps: one append each, as `stream type` of what it records. */
const cases: readonly [string, Case, readonly (readonly string[])[]][] = [
  ['a full backup of a volume', { lock: volumeLock }, [['quota-project-1 QuotaReserved'], [`${backupStreamId(backupId)} BackupRequested`]]],
  [
    'an incremental: claim → link on the parent → record',
    { lock: volumeLock, incremental: true },
    [['quota-project-1 QuotaReserved'], [`${backupStreamId(parentId)} BackupChildAdded`], [`${backupStreamId(backupId)} BackupRequested`]],
  ],
  [
    'an incremental whose parent is being deleted: the link refused, the backup recorded failed, the lock given back',
    { lock: volumeLock, incremental: true, parentDeleted: true },
    [
      ['quota-project-1 QuotaReserved'],
      [`${backupStreamId(backupId)} BackupRequested`, `${backupStreamId(backupId)} BackupFailed`],
      [`${volumeStreamId(VOLUME)} VolumeBackupEnded`],
    ],
  ],
  [
    'a backup of a snapshot',
    { lock: { kind: 'snapshot', id: snapshotId } },
    [['quota-project-1 QuotaReserved'], [`${backupStreamId(backupId)} BackupRequested`]],
  ],
  [
    'a backup over quota: the claim refused, the lock given back, no backup',
    { lock: volumeLock, limits: { ...unlimited, backups: 0 } },
    [['quota-project-1 QuotaReservationRefused'], [`${volumeStreamId(VOLUME)} VolumeBackupEnded`]],
  ],
];

/**
 * The backup-creation workflow after the api's lock, run to its end, and killed after each of its steps
 * then run again (a redelivered trigger, the sweep, another worker): every run ends with the same log,
 * each step recorded once.
 */
describe.each(cases)('recordBackupRequest: %s', (_name, c, appends) => {
  const steps = appends.flat();
  it('records its steps once, in order', async () => {
    const store = openMemoryEventStore();
    const position = await givenTheLock(store, c);

    await run(store, c);

    expect(await recordedAfter(store, position)).toEqual(steps);
  });

  it.each(appends.map((_, i) => i))('killed after %i of its steps and run again: the same log', async (stepsBeforeKill) => {
    const store = openMemoryEventStore();
    const position = await givenTheLock(store, c);
    await expect(run(store, c, stepsBeforeKill)).rejects.toThrow(Killed);

    await run(store, c);

    expect(await recordedAfter(store, position)).toEqual(steps);
  });

  it('run again once finished: records nothing', async () => {
    const store = openMemoryEventStore();
    const position = await givenTheLock(store, c);
    await run(store, c);

    await run(store, c);

    expect(await recordedAfter(store, position)).toEqual(steps);
  });
});
