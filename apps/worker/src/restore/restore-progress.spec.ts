import { backupStreamId } from '@strata/domain';
import { openMemoryEventStore, type EventStore } from '@strata/event-store';
import { randomUUID } from 'node:crypto';
import { backupCompleted, backupId, backupRequested, volumeId } from '../../../../libs/domain/src/testing/backup-fixtures';
import { JobRecorder } from '../job-recorder';
import { RestoreProgressRecorder } from './restore-progress';

const MiB = 1024 * 1024;
const restoring = { type: 'RestoreRequested', data: { backupId, volumeId, volumeIsNew: true, requestedAt: '2026-11-27T10:00:00.000Z' } };

const givenRestoringBackup = async (): Promise<EventStore> => {
  const store = openMemoryEventStore();
  await store.appendToStream(backupStreamId(backupId), [backupRequested(), backupCompleted(), restoring].map((e) => ({ id: randomUUID(), ...e })));
  return store;
};

const progressEvents = async (store: EventStore) => {
  const found: unknown[] = [];
  for await (const e of store.readStream(backupStreamId(backupId))) if (e.type === 'RestoreProgressed') found.push(e.data);
  return found;
};

describe('RestoreProgressRecorder', () => {
  it('records the first report at once, then at most one per interval', async () => {
    const store = await givenRestoringBackup();
    let nowMs = Date.UTC(2026, 10, 27, 10, 0, 1);
    const recorder = new RestoreProgressRecorder(
      new JobRecorder(store, { id: 'trigger', metadata: {} }), { backupId, volumeId }, () => new Date(nowMs), 2_000,
    );

    for (const [atMs, objects] of [[0, 1], [500, 2], [1_999, 3], [2_000, 4], [2_100, 5]] as const) {
      nowMs = Date.UTC(2026, 10, 27, 10, 0, 1) + atMs;
      recorder.report({ bytesDone: objects * MiB, bytesTotal: 8 * MiB, objectsDone: objects });
    }
    await recorder.flush();

    expect(await progressEvents(store)).toEqual([
      { backupId, volumeId, bytesDone: MiB, bytesTotal: 8 * MiB, objectsDone: 1, progressedAt: '2026-11-27T10:00:01.000Z' },
      { backupId, volumeId, bytesDone: 4 * MiB, bytesTotal: 8 * MiB, objectsDone: 4, progressedAt: '2026-11-27T10:00:03.000Z' },
    ]);
  });
});
