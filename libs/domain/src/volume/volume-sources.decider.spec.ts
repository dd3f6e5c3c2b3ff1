import { InvalidBackup, InvalidInput, InvalidSnapshot, InvalidVolume } from '../errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { savedVolumeMetaOf, sizeOfVolumeFrom, VOLUME_META_UNREADABLE } from './decide-volume-sources';
import type { VolumeCommand } from './volume.commands';
import { volumeDecider } from './volume.decider';
import type { VolumeEvent, VolumeSource } from './volume.events';

/** Volumes created from a backup, a snapshot or another volume: cancellation, copy progress, restored volume_meta. */
const given = DeciderSpecification.for(volumeDecider);
const volumeId = 'a0000000-0000-4000-8000-000000000001';
const backupId = 'b0000000-0000-4000-8000-000000000001';
const snapshotId = 'c0000000-0000-4000-8000-000000000001';
const NOW = '2026-12-04T10:00:00.000Z';
const GIB = 2 ** 30;

const created = (source: VolumeSource, name: string | null = 'v'): VolumeEvent => ({
  type: 'VolumeCreated',
  data: {
    volumeId,
    projectId: 'p',
    userId: 'u',
    name,
    description: null,
    sizeGb: 1,
    availabilityZone: 'nova',
    volumeType: null,
    encryptionKeyId: null,
    metadata: {},
    source,
    createdAt: NOW,
    ...(source.kind === 'backup' ? { restoreOf: { backupId: source.backupId } } : {}),
  },
});
const fromBackup = (name: string | null = 'v') => created({ kind: 'backup', backupId }, name);
const fromSnapshot = created({ kind: 'snapshot', snapshotId });
const provisioned: VolumeEvent = {
  type: 'VolumeProvisioned',
  data: { volumeId, location: { kind: 'file', path: '/v.img', sizeBytes: GIB, owned: true }, sizeGb: 1, provisionedAt: NOW },
};
const restoreLocked: VolumeEvent = { type: 'VolumeRestoreStarted', data: { volumeId, backupId, startedAt: NOW, volumeIsNew: true } };
const restoringNew = (name: string | null = 'v') => [fromBackup(name), provisioned, restoreLocked];

const command = <T extends VolumeCommand['type']>(type: T, data: Omit<Extract<VolumeCommand, { type: T }>['data'], 'volumeId' | 'now'>) =>
  ({ type, data: { volumeId, now: NOW, ...data } }) as unknown as Extract<VolumeCommand, { type: T }>;

describe('CreateVolume from a source', () => {
  it('records a volume from a backup that restores that backup', () =>
    given([])
      .when({ type: 'CreateVolume', data: fromBackup().data as Extract<VolumeCommand, { type: 'CreateVolume' }>['data'] })
      .then([fromBackup()]));
  it('refuses a volume from a backup that would restore another one', () =>
    given([])
      .when({
        type: 'CreateVolume',
        data: { ...(fromBackup().data as Extract<VolumeCommand, { type: 'CreateVolume' }>['data']), restoreOf: undefined },
      })
      .thenThrows(InvalidInput));
});

describe('RecordVolumeProvisioned for a volume from a backup', () => {
  it('locks the new volume for the restore in the same append', () =>
    given([fromBackup()])
      .when(command('RecordVolumeProvisioned', { location: (provisioned.data as any).location, sizeGb: 1 }))
      .then([provisioned, restoreLocked]));
});

describe('EndVolumeRestore of a volume still being created from the backup', () => {
  it("ends a failed restore in error, as Cinder's manager leaves a volume it was creating", () =>
    given(restoringNew())
      .when(command('EndVolumeRestore', { backupId, outcome: 'failed' }))
      .then([{ type: 'VolumeRestoreEnded', data: { volumeId, backupId, outcome: 'failed', status: 'error', endedAt: NOW } }]));
  it('ends a later failed restore into the same volume in error_restoring', () =>
    given([
      ...restoringNew(),
      { type: 'VolumeRestoreEnded', data: { volumeId, backupId, outcome: 'completed', status: 'available', endedAt: NOW } },
      { type: 'VolumeRestoreStarted', data: { volumeId, backupId, startedAt: NOW, volumeIsNew: false } },
    ])
      .when(command('EndVolumeRestore', { backupId, outcome: 'failed' }))
      .then([{ type: 'VolumeRestoreEnded', data: { volumeId, backupId, outcome: 'failed', status: 'error_restoring', endedAt: NOW } }]));
});

describe('RequestVolumeDeletion of a volume being created (cancellation)', () => {
  it('cancels a copy from a snapshot', () =>
    given([fromSnapshot])
      .when(command('RequestVolumeDeletion', { liveSnapshotCount: 0 }))
      .then([{ type: 'VolumeDeletionRequested', data: { volumeId, requestedAt: NOW } }]));
  it('cancels the restore of a volume from a backup, naming the backup whose restore stops', () =>
    given(restoringNew())
      .when(command('RequestVolumeDeletion', { liveSnapshotCount: 0 }))
      .then([{ type: 'VolumeDeletionRequested', data: { volumeId, requestedAt: NOW, stopsRestoreOf: backupId } }]));
  it('cancels a volume from a backup not yet provisioned: its restore was never asked for', () =>
    given([fromBackup()])
      .when(command('RequestVolumeDeletion', { liveSnapshotCount: 0 }))
      .then([{ type: 'VolumeDeletionRequested', data: { volumeId, requestedAt: NOW } }]));
  it('still refuses a blank volume being created', () =>
    given([created({ kind: 'blank' })])
      .when(command('RequestVolumeDeletion', { liveSnapshotCount: 0 }))
      .thenThrows(InvalidVolume));
  it('still refuses an existing volume a restore is writing to', () =>
    given([created({ kind: 'blank' }), provisioned, { ...restoreLocked, data: { ...restoreLocked.data, volumeIsNew: false } }])
      .when(command('RequestVolumeDeletion', { liveSnapshotCount: 0 }))
      .thenThrows(InvalidVolume));
});

describe('RecordVolumeCopyProgress', () => {
  const progressed = (bytesDone: number): VolumeEvent => ({
    type: 'VolumeCopyProgressed',
    data: { volumeId, bytesDone, bytesTotal: GIB, progressedAt: NOW },
  });
  it('records a checkpoint of a copy', () =>
    given([fromSnapshot])
      .when(command('RecordVolumeCopyProgress', { bytesDone: 64, bytesTotal: GIB }))
      .then([progressed(64)]));
  it('records nothing for a checkpoint at or before the last one (a repeat, a restarted copy)', () =>
    given([fromSnapshot, progressed(128)])
      .when(command('RecordVolumeCopyProgress', { bytesDone: 64, bytesTotal: GIB }))
      .then([]));
  it('records nothing once the volume is no longer being created', () =>
    given([fromSnapshot, provisioned])
      .when(command('RecordVolumeCopyProgress', { bytesDone: 64, bytesTotal: GIB }))
      .then([]));
});

describe("RestoreVolumeMetadata (Cinder's BackupMetadataAPI.put_metadata)", () => {
  const restored = (data: Record<string, unknown>): VolumeEvent =>
    ({ type: 'VolumeMetadataRestored', data: { volumeId, backupId, ...data, restoredAt: NOW } }) as VolumeEvent;
  it('gives an auto-named target the saved name and description and replaces its metadata', () =>
    given(restoringNew(`restore_backup_${backupId}`))
      .when(command('RestoreVolumeMetadata', { backupId, saved: [{ name: 'src', description: 'd', metadata: { a: '1' } }] }))
      .then([restored({ name: 'src', description: 'd', metadata: { a: '1' } })]));
  it('keeps the name of a named target, and still applies the saved metadata', () =>
    given(restoringNew('mine'))
      .when(command('RestoreVolumeMetadata', { backupId, saved: [{ name: 'src', description: 'd', metadata: { a: '1' } }] }))
      .then([restored({ metadata: { a: '1' } })]));
  it('names a target without a name', () =>
    given(restoringNew(null))
      .when(command('RestoreVolumeMetadata', { backupId, saved: [{ name: 'src', description: null }] }))
      .then([restored({ name: 'src', description: null })]));
  it('applies the chain base first: the first saved name wins, the last saved metadata wins', () =>
    given(restoringNew(`restore_backup_${backupId}`))
      .when(
        command('RestoreVolumeMetadata', {
          backupId,
          saved: [
            { name: 'base', description: 'b', metadata: { a: '1' } },
            null,
            { name: 'later', description: 'l', metadata: { a: '2' } },
          ],
        }),
      )
      .then([restored({ name: 'base', description: 'b', metadata: { a: '2' } })]));
  it('records nothing when the backups saved nothing to apply', () =>
    given(restoringNew())
      .when(command('RestoreVolumeMetadata', { backupId, saved: [null] }))
      .then([]));
  it('records nothing on a volume the restore no longer holds', () =>
    given([fromBackup(), provisioned])
      .when(command('RestoreVolumeMetadata', { backupId, saved: [{ metadata: { a: '1' } }] }))
      .then([]));
});

describe('sizeOfVolumeFrom (the api flow’s source checks)', () => {
  it("defaults the size to the source's", () =>
    expect(sizeOfVolumeFrom({ kind: 'snapshot', id: 's', status: 'available', sizeGb: 3 }, null)).toBe(3));
  it('takes a larger size', () => expect(sizeOfVolumeFrom({ kind: 'volume', id: 'v', status: 'in-use', sizeGb: 1 }, 4)).toBe(4));
  it("refuses a size smaller than the backup's in Cinder's words", () =>
    expect(() => sizeOfVolumeFrom({ kind: 'backup', id: 'b', status: 'available', sizeGb: 2 }, 1)).toThrow(
      new InvalidInput('Invalid input received: Volume size 1GB cannot be smaller than the backup size 2GB. It must be >= backup size.'),
    ));
  it("refuses a size smaller than the snapshot's", () =>
    expect(() => sizeOfVolumeFrom({ kind: 'snapshot', id: 's', status: 'available', sizeGb: 2 }, 1)).toThrow(
      "Invalid input received: Volume size '1'GB cannot be smaller than the snapshot size 2GB. They must be >= original snapshot size.",
    ));
  it("refuses a size smaller than the source volume's", () =>
    expect(() => sizeOfVolumeFrom({ kind: 'volume', id: 'v', status: 'available', sizeGb: 2 }, 1)).toThrow(
      "Invalid input received: Volume size '1'GB cannot be smaller than original volume size  2GB. They must be >= original volume size.",
    ));
  it('refuses a backup that is not available', () =>
    expect(() => sizeOfVolumeFrom({ kind: 'backup', id: 'b', status: 'creating', sizeGb: 1 }, null)).toThrow(
      new InvalidBackup("Originating backup status must be one of 'available' values"),
    ));
  it('refuses a snapshot that is not available', () =>
    expect(() => sizeOfVolumeFrom({ kind: 'snapshot', id: 's', status: 'creating', sizeGb: 1 }, null)).toThrow(InvalidSnapshot));
  it('refuses a source volume that is neither available nor in-use', () =>
    expect(() => sizeOfVolumeFrom({ kind: 'volume', id: 'v', status: 'backing-up', sizeGb: 1 }, null)).toThrow(
      "Invalid volume: Originating source volume status must be one of 'available, in-use' values",
    ));
});

describe('savedVolumeMetaOf', () => {
  it('reads the name, description and user metadata a backup saved', () =>
    expect(
      savedVolumeMetaOf(
        JSON.stringify({
          version: 2,
          'volume-base-metadata': { display_name: 'n', display_description: null },
          'volume-metadata': { k: 'v' },
        }),
      ),
    ).toEqual({ name: 'n', description: null, metadata: { k: 'v' } }));
  it('is null for a backup that saved nothing', () => expect(savedVolumeMetaOf(null)).toBeNull());
  it("refuses a version it does not know with Cinder's message", () =>
    expect(() => savedVolumeMetaOf(JSON.stringify({ version: 3 }))).toThrow(VOLUME_META_UNREADABLE));
  it('refuses text that is not JSON', () => expect(() => savedVolumeMetaOf('{')).toThrow(VOLUME_META_UNREADABLE));
});
