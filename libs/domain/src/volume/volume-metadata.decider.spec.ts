import { VolumeNotFound } from '../errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { VolumeMetadataNotFound } from './decide-volume-metadata';
import { volumeDecider } from './volume.decider';
import type { VolumeEvent } from './volume.events';

/** Cinder's volume metadata API: merge (POST, PUT of one key), replace (PUT), delete a key. */
const given = DeciderSpecification.for(volumeDecider);
const volumeId = 'a0000000-0000-4000-8000-000000000001';
const NOW = '2026-12-04T10:00:00.000Z';

const created = (metadata: Record<string, string>): VolumeEvent => ({
  type: 'VolumeCreated',
  data: {
    volumeId,
    projectId: 'p',
    userId: 'u',
    name: 'vol1',
    description: null,
    sizeGb: 1,
    availabilityZone: 'nova',
    volumeType: null,
    encryptionKeyId: null,
    metadata,
    source: { kind: 'blank' },
    createdAt: NOW,
  },
});
const updated = (metadata: Record<string, string>): VolumeEvent => ({
  type: 'VolumeUpdated',
  data: { volumeId, metadata, updatedAt: NOW },
});

describe('volume metadata', () => {
  it('merges items into the metadata the volume has, and records the whole result', () =>
    given([created({ a: '1', b: '2' })])
      .when({ type: 'SetVolumeMetadata', data: { volumeId, metadata: { b: '3', c: '4' }, replace: false, now: NOW } })
      .then([updated({ a: '1', b: '3', c: '4' })]));

  it('merges into the metadata as the last change left it, not as it was created', () =>
    given([created({ a: '1' }), updated({ z: '9' })])
      .when({ type: 'SetVolumeMetadata', data: { volumeId, metadata: { c: '4' }, replace: false, now: NOW } })
      .then([updated({ z: '9', c: '4' })]));

  it('merges into the metadata a restore brought back (VolumeMetadataRestored), keeping its keys', () =>
    given([
      created({ a: '1' }),
      { type: 'VolumeMetadataRestored', data: { volumeId, backupId: volumeId, metadata: { saved: 'yes' }, restoredAt: NOW } },
    ])
      .when({ type: 'SetVolumeMetadata', data: { volumeId, metadata: { c: '4' }, replace: false, now: NOW } })
      .then([updated({ saved: 'yes', c: '4' })]));

  it('replaces the whole metadata', () =>
    given([created({ a: '1', b: '2' })])
      .when({ type: 'SetVolumeMetadata', data: { volumeId, metadata: { c: '4' }, replace: true, now: NOW } })
      .then([updated({ c: '4' })]));

  it('leaves the metadata alone on an update of name or description only', () =>
    given([created({ a: '1' }), { type: 'VolumeUpdated', data: { volumeId, name: 'renamed', updatedAt: NOW } }])
      .when({ type: 'DeleteVolumeMetadataKey', data: { volumeId, key: 'a', now: NOW } })
      .then([updated({})]));

  it("refuses to delete a key the volume does not have, in Cinder's words", () =>
    given([created({ a: '1' })])
      .when({ type: 'DeleteVolumeMetadataKey', data: { volumeId, key: 'b', now: NOW } })
      .thenThrows(VolumeMetadataNotFound, `Volume ${volumeId} has no metadata with key b.`));

  it('refuses a deleted volume', () =>
    given([
      created({}),
      { type: 'VolumeDeletionRequested', data: { volumeId, requestedAt: NOW } },
      { type: 'VolumeDeleted', data: { volumeId, deletedAt: NOW } },
    ])
      .when({ type: 'SetVolumeMetadata', data: { volumeId, metadata: { a: '1' }, replace: false, now: NOW } })
      .thenThrows(VolumeNotFound));

  it('refuses a key the schema does not admit, whoever asks', () =>
    given([created({})])
      .when({ type: 'SetVolumeMetadata', data: { volumeId, metadata: { 'bad\u0000key': '1' }, replace: false, now: NOW } })
      .thenThrows(Error));
});
