import { BackupNotFound, InvalidBackup, InvalidInput } from '../errors';
import { DeciderSpecification } from '../testing/decider-specification';
import {
  backupCompleted,
  backupId,
  backupRequested,
  backupStarted,
  chunkWritten,
  command,
  driver,
  LATER,
  NOW,
  requestBackup,
  volumeId,
} from '../testing/backup-fixtures';
import { backupDecider } from './backup.decider';
import type { BackupEvent } from './backup.events';

const given = DeciderSpecification.for(backupDecider);
const parentId = 'b0000000-0000-4000-8000-0000000000aa';

describe('RequestBackup', () => {
  it('records a full backup whose data timestamp is its creation time', () => given([]).when(requestBackup()).then([backupRequested()]));

  it('refuses an incremental when the volume has no available backup', () =>
    given([])
      .when(requestBackup({ incremental: true }))
      .thenThrows(InvalidBackup, 'Invalid backup: No backups available to do an incremental backup.'));

  it('takes the newest available backup as the parent of an incremental', () =>
    given([])
      .when(requestBackup({ incremental: true, newestAvailable: { id: parentId } }))
      .then([backupRequested({ incremental: true, parentId })]));

  it('ignores the newest backup for a full backup', () =>
    given([])
      .when(requestBackup({ newestAvailable: { id: parentId } }))
      .then([backupRequested()]));

  it('dates a snapshot backup by the snapshot, for parent selection', () =>
    given([])
      .when(requestBackup({ snapshot: { id: '51000000-0000-4000-8000-000000000001', createdAt: '2026-11-27T08:10:00.000Z' } }))
      .then([backupRequested({ snapshotId: '51000000-0000-4000-8000-000000000001', dataTimestamp: '2026-11-27T08:10:00.000Z' })]));

  it('refuses an id that already exists', () => given([backupRequested()]).when(requestBackup()).thenThrows(InvalidBackup));

  it('refuses a container that would leave the repository root, before any worker sees it', () =>
    given([])
      .when(requestBackup({ container: '../../etc' }))
      .thenThrows(
        InvalidInput,
        'Invalid input received: BackupRequested data.container is not a usable container: "." and ".." may not appear in a container.',
      ));

  it('refuses a description longer than 255 characters', () =>
    given([])
      .when(requestBackup({ description: 'd'.repeat(300) }))
      .thenThrows(InvalidInput, 'Invalid input received: BackupRequested data.description must have at most 255 characters, not 300.'));
});

describe('RecordBackupRequest (the backup-creation workflow records what its lock carries)', () => {
  const record = (failReason: string | null) => command('RecordBackupRequest', { backup: backupRequested().data, failReason, now: LATER });

  it('records the backup as requested', () => given([]).when(record(null)).then([backupRequested()]));

  it('records a backup refused by a later step as requested and failed, with the reason', () =>
    given([])
      .when(record('No backups available to do an incremental backup.'))
      .then([
        backupRequested(),
        { type: 'BackupFailed', data: { backupId, reason: 'No backups available to do an incremental backup.', failedAt: LATER } },
      ]));

  it('records nothing when the stream already holds the backup (a step run twice)', () =>
    given([backupRequested()]).when(record(null)).then([]));
});

describe('StartBackup', () => {
  const start = command('StartBackup', {
    backupId,
    container: 'c',
    objectPrefix: 'p',
    service: 'posix',
    driver,
    now: LATER,
  });
  it('fixes container and object prefix once', () =>
    given([backupRequested()])
      .when(start)
      .then([
        {
          type: 'BackupStarted',
          data: { backupId, container: 'c', objectPrefix: 'p', service: 'posix', driver, startedAt: LATER },
        },
      ]));
  it('records nothing when the backup was already started (a resumed job keeps the first names)', () =>
    given([backupRequested(), backupStarted()]).when(start).then([]));
  it('records nothing once a deletion cancelled the backup', () =>
    given([
      backupRequested(),
      { type: 'BackupDeletionRequested', data: { backupId, force: true, previousStatus: 'creating', requestedAt: NOW } },
    ])
      .when(start)
      .then([]));
});

describe('CancelBackup (a deletion of a creating backup)', () => {
  const deletionRequested: BackupEvent = {
    type: 'BackupDeletionRequested',
    data: { backupId, force: true, previousStatus: 'creating', requestedAt: NOW },
  };
  const cancelled: BackupEvent = { type: 'BackupCancelled', data: { backupId, cancelledAt: LATER } };
  const cancel = command('CancelBackup', { backupId, now: LATER });

  it('records the cancellation of a backup deleted while creating', () =>
    given([backupRequested(), deletionRequested]).when(cancel).then([cancelled]));

  it('records nothing for a backup that was not creating when its deletion was asked for', () =>
    given([
      backupRequested(),
      backupCompleted(),
      { ...deletionRequested, data: { ...deletionRequested.data, previousStatus: 'available' } },
    ])
      .when(cancel)
      .then([]));

  // The backup job that notices the deletion records it, then the deletion job queued behind it asks again;
  // or a deletion job killed after its cancel runs again. Either way the backup was cancelled once.
  it('records nothing once the backup is cancelled', () => given([backupRequested(), deletionRequested, cancelled]).when(cancel).then([]));
});

describe('RecordChunkWritten', () => {
  const object = (objectIndex: number) => {
    const { backupId: _b, writtenAt: _w, ...rest } = chunkWritten(objectIndex).data as { backupId: string; writtenAt: string };
    return rest as never;
  };
  it('records each new object once, skipping those already recorded', () =>
    given([backupRequested(), backupStarted(), chunkWritten(1)])
      .when(command('RecordChunkWritten', { backupId, objects: [object(1), object(2)], now: NOW }))
      .then([chunkWritten(2)]));
});

describe('CompleteBackup and FailBackup', () => {
  it('completes a creating backup', () =>
    given([backupRequested(), backupStarted(), chunkWritten(1)])
      .when(command('CompleteBackup', { backupId, objectCount: 1, sizeBytes: 1 << 30, storedBytes: 100, now: NOW }))
      .then([backupCompleted()]));
  it('keeps the fail reason to 255 characters, as Cinder does', () =>
    given([backupRequested()])
      .when(command('FailBackup', { backupId, reason: 'x'.repeat(300), now: NOW }))
      .then([{ type: 'BackupFailed', data: { backupId, reason: 'x'.repeat(255), failedAt: NOW } }]));
});

describe('RequestBackupDeletion', () => {
  const del = (force = false, liveChildCount = 0) => command('RequestBackupDeletion', { backupId, force, liveChildCount, now: NOW });
  it('deletes an available backup', () =>
    given([backupRequested(), backupCompleted()])
      .when(del())
      .then([{ type: 'BackupDeletionRequested', data: { backupId, force: false, previousStatus: 'available', requestedAt: NOW } }]));
  it('refuses a backup that is still creating', () =>
    given([backupRequested()]).when(del()).thenThrows(InvalidBackup, 'Invalid backup: Backup status must be available or error'));
  it('refuses a backup with live incrementals', () =>
    given([backupRequested(), backupCompleted()])
      .when(del(false, 1))
      .thenThrows(InvalidBackup, 'Invalid backup: Incremental backups exist for this backup.'));
  it('force-deletes a creating backup, remembering it was creating', () =>
    given([backupRequested()])
      .when(del(true))
      .then([{ type: 'BackupDeletionRequested', data: { backupId, force: true, previousStatus: 'creating', requestedAt: NOW } }]));
  it('says not found for a deleted backup', () =>
    given([
      backupRequested(),
      backupCompleted(),
      { type: 'BackupDeletionRequested', data: { backupId, force: false, previousStatus: 'available', requestedAt: NOW } },
      { type: 'BackupDeleted', data: { backupId, deletedAt: NOW } },
    ])
      .when(del())
      .thenThrows(BackupNotFound));
});

describe('ResetBackupStatus', () => {
  it('accepts available or error in any case', () =>
    given([backupRequested()])
      .when(command('ResetBackupStatus', { backupId, status: 'ERROR', now: NOW }))
      .then([{ type: 'BackupStatusReset', data: { backupId, status: 'error', previousStatus: 'creating', resetAt: NOW } }]));
  it("refuses any other status with Cinder's message", () =>
    given([backupRequested()])
      .when(command('ResetBackupStatus', { backupId, status: 'restoring', now: NOW }))
      .thenThrows(InvalidInput, "Backup status: restoring is invalid, valid statuses are: ['available', 'error']."));
});

describe('RequestRestore', () => {
  const restore = command('RequestRestore', { backupId, volumeId, volumeIsNew: false, now: NOW });
  it('refuses a backup that is still creating', () =>
    given([backupRequested()]).when(restore).thenThrows(InvalidBackup, 'Invalid backup: Backup status must be available'));
  it('restores an available backup', () =>
    given([backupRequested(), backupCompleted()])
      .when(restore)
      .then([{ type: 'RestoreRequested', data: { backupId, volumeId, volumeIsNew: false, requestedAt: NOW } }]));
  it('puts the backup back to available when the restore ends', () =>
    given([
      backupRequested(),
      backupCompleted(),
      { type: 'RestoreRequested', data: { backupId, volumeId, volumeIsNew: false, requestedAt: NOW } },
    ])
      .when(command('FailRestore', { backupId, volumeId, reason: 'disk full', now: NOW }))
      .thenState((s) => expect(s.status).toBe('available')));
});

describe('RecordRestoreProgress', () => {
  const restoring = [
    backupRequested(),
    backupCompleted(),
    { type: 'RestoreRequested', data: { backupId, volumeId, volumeIsNew: true, requestedAt: NOW } },
  ] as const;
  const progress = (objectsDone: number, target = volumeId) =>
    command('RecordRestoreProgress', {
      backupId,
      volumeId: target,
      objectsDone,
      bytesDone: objectsDone * 1024,
      bytesTotal: 8192,
      now: LATER,
    });
  const progressed = (objectsDone: number) =>
    ({
      type: 'RestoreProgressed',
      data: { backupId, volumeId, objectsDone, bytesDone: objectsDone * 1024, bytesTotal: 8192, progressedAt: LATER },
    }) as const;
  it('records how many objects of the chain are durable on the target', () =>
    given([...restoring])
      .when(progress(8))
      .then([progressed(8)]));
  it('records nothing for a checkpoint the stream already holds (a resumed restore repeats one)', () =>
    given([...restoring, progressed(8)])
      .when(progress(8))
      .then([]));
  it('records nothing once the restore was cancelled by a reset', () =>
    given([...restoring, { type: 'BackupStatusReset', data: { backupId, status: 'error', previousStatus: 'restoring', resetAt: LATER } }])
      .when(progress(8))
      .then([]));
  it('starts a new restore of the same backup from the first object', () =>
    given([
      ...restoring,
      progressed(8),
      { type: 'RestoreCompleted', data: { backupId, volumeId, bytesWritten: 1, completedAt: LATER } },
      restoring[2],
    ])
      .when(progress(4))
      .then([progressed(4)]));
});

describe('a parent and its incremental racing on the parent stream', () => {
  const childId = 'b0000000-0000-4000-8000-0000000000c1';
  const T1 = '2026-11-27T10:00:01.000Z';
  const childAdded = { type: 'BackupChildAdded', data: { backupId, childId, addedAt: NOW } } as const;
  const deletionRequested = {
    type: 'BackupDeletionRequested',
    data: { backupId, force: false, previousStatus: 'available', requestedAt: NOW },
  } as const;
  const addChild = command('AddBackupChild', { backupId, childId, now: NOW });
  const del = (now: string, knownChildIds: string[] = []) =>
    command('RequestBackupDeletion', { backupId, force: false, liveChildCount: 0, knownChildIds, now });

  it('links an incremental to its available parent', () => given([backupRequested(), backupCompleted()]).when(addChild).then([childAdded]));
  it('refuses an incremental whose parent is being deleted (the deletion won)', () =>
    given([backupRequested(), backupCompleted(), deletionRequested])
      .when(addChild)
      .thenThrows(InvalidBackup, 'Invalid backup: No backups available to do an incremental backup.'));
  it('refuses to delete a parent whose incremental is linked but not yet in the catalog (the child won)', () =>
    given([backupRequested(), backupCompleted(), childAdded])
      .when(del(T1))
      .thenThrows(InvalidBackup, 'Invalid backup: Incremental backups exist for this backup.'));
  it('leaves the guard to the catalog once it knows the child', () =>
    given([backupRequested(), backupCompleted(), childAdded])
      .when(del(T1, [childId]))
      .then([{ ...deletionRequested, data: { ...deletionRequested.data, requestedAt: T1 } }]));
  it('keeps guarding with a link however old: the creation workflow always records the child it linked', () =>
    given([backupRequested(), backupCompleted(), childAdded])
      .when(del(LATER))
      .thenThrows(InvalidBackup, 'Invalid backup: Incremental backups exist for this backup.'));
  it('lets the parent go once a link was removed (BackupChildRemoved, written by earlier versions)', () =>
    given([backupRequested(), backupCompleted(), childAdded, { type: 'BackupChildRemoved', data: { backupId, childId, removedAt: T1 } }])
      .when(del(LATER))
      .then([{ ...deletionRequested, data: { ...deletionRequested.data, requestedAt: LATER } }]));
});
