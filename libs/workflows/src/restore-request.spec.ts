import {
  append,
  at,
  backupCompleted,
  backupIdOf,
  backupRequested,
  backupStarted,
  event,
  meta,
  VOLUME,
  volumeCreated,
  volumeProvisioned,
} from '@strata/catalog/testing/catalog-fixtures';
import { backupStreamId, volumeDecider, volumeStreamId } from '@strata/domain';
import { decideAndAppend, openMemoryEventStore, type EventStore } from '@strata/event-store';
import { requestRestore } from './restore-request';
import { Killed, killableRecorder } from './testing/killable-recorder';

const backupId = backupIdOf(1);
const NEW_VOLUME = 'a0000000-0000-4000-8000-0000000000aa';

interface Case {
  readonly target: 'existing' | 'new';
  /** An admin reset the backup after the api took the lock: the request is refused. */
  readonly backupReset?: boolean;
}

/** The log after the workflow's first step: the target locked for the backup (a new volume: created, then provisioned and locked). */
const givenTheLock = async (store: EventStore, c: Case) => {
  await append(store, [volumeCreated(), volumeProvisioned(), backupRequested(), backupStarted(), backupCompleted()]);
  const volumeId = c.target === 'new' ? NEW_VOLUME : VOLUME;
  const decide = (command: Parameters<typeof volumeDecider.decide>[0]) =>
    decideAndAppend(store, volumeStreamId(volumeId), volumeDecider, command, meta());
  if (c.target === 'existing')
    await decide({
      type: 'StartVolumeRestore',
      data: { volumeId, backupId, backupSizeGb: 1, backupSizeBytes: 1 << 30, volumeIsNew: false, now: at(20) },
    });
  else {
    await append(store, [volumeCreated({ volumeId, restoreOf: { backupId }, createdAt: at(20) })]);
    await decide({
      type: 'RecordVolumeProvisioned',
      data: { volumeId, location: { kind: 'file', path: '/data/new.img', sizeBytes: 1 << 30, owned: true }, sizeGb: 1, now: at(21) },
    });
  }
  if (c.backupReset)
    await append(store, [event('BackupStatusReset', { backupId, status: 'error', previousStatus: 'available', resetAt: at(22) })]);
  return { volumeId, position: await store.headPosition() };
};

const recordedAfter = async (store: EventStore, position: bigint) => {
  const steps: string[] = [];
  for await (const e of store.readAll({ fromPosition: position + 1n })) steps.push(`${e.streamId} ${e.type}`);
  return steps;
};

/** Each case: what requestRestore answers, and its steps (one append each). */
const cases: readonly [string, Case, string, readonly string[]][] = [
  ['into an existing volume', { target: 'existing' }, 'requested', [`${backupStreamId(backupId)} RestoreRequested`]],
  ['into a new volume, locked by its provisioning', { target: 'new' }, 'requested', [`${backupStreamId(backupId)} RestoreRequested`]],
  [
    'into an existing volume, the backup reset since: the volume given back untouched',
    { target: 'existing', backupReset: true },
    'refused',
    [`${volumeStreamId(VOLUME)} VolumeRestoreEnded`],
  ],
  [
    'into a new volume, the backup reset since: the volume left in error_restoring',
    { target: 'new', backupReset: true },
    'refused',
    [`${volumeStreamId(NEW_VOLUME)} VolumeRestoreEnded`],
  ],
];

/**
 * The restore workflow after the lock: one step (the request on the backup, or the lock given back when
 * it is refused). Killed before it and run again, or run twice, the log holds the step once.
 */
describe.each(cases)('requestRestore %s', (_name, c, answer, steps) => {
  const run = (store: EventStore, volumeId: string, stepsBeforeKill?: number) =>
    requestRestore(store, killableRecorder(store, meta(), stepsBeforeKill), backupId, volumeId, at(23));

  it(`records its step once and answers '${answer}'`, async () => {
    const store = openMemoryEventStore();
    const { volumeId, position } = await givenTheLock(store, c);

    expect(await run(store, volumeId)).toBe(answer);

    expect(await recordedAfter(store, position)).toEqual(steps);
  });

  it('killed before its step and run again: the same log', async () => {
    const store = openMemoryEventStore();
    const { volumeId, position } = await givenTheLock(store, c);
    await expect(run(store, volumeId, 0)).rejects.toThrow(Killed);

    await run(store, volumeId);

    expect(await recordedAfter(store, position)).toEqual(steps);
  });

  it('run again once done (the restore job, the sweep): records nothing', async () => {
    const store = openMemoryEventStore();
    const { volumeId, position } = await givenTheLock(store, c);
    await run(store, volumeId);

    const again = await run(store, volumeId);

    expect(again).toBe(answer === 'requested' ? 'requested' : 'none');
    expect(await recordedAfter(store, position)).toEqual(steps);
  });
});

it('leaves a new volume whose restore is refused in error_restoring, as Cinder does', async () => {
  const store = openMemoryEventStore();
  const { volumeId, position } = await givenTheLock(store, { target: 'new', backupReset: true });

  await requestRestore(store, killableRecorder(store, meta()), backupId, volumeId, at(23));

  const ended = [];
  for await (const e of store.readAll({ fromPosition: position + 1n })) ended.push(e.data);
  expect(ended).toEqual([expect.objectContaining({ outcome: 'failed', status: 'error_restoring' })]);
});
