import { DB_MAX_INT } from '../limits';
import { eventViolation, EVENT_SCHEMAS } from './event-schemas';
import { STRATA_EVENT_TYPES } from '../strata-event';
import { CATALOG_IMPORT_EVENT_TYPES } from '../history/catalog-import.events';
import { JOB_LEASE_EVENT_TYPES } from '../lease/job-lease.events';
import { NOTIFIER_EVENT_TYPES } from '../notification/notifier-checkpoint.events';

const NOW = '2026-12-04T10:00:00.000Z';
const volumeId = 'a0000000-0000-4000-8000-000000000001';
const volumeCreated = (overrides: Record<string, unknown> = {}) => ({
  volumeId,
  projectId: 'p',
  userId: 'u',
  name: 'vol',
  description: null,
  sizeGb: 1,
  availabilityZone: 'nova',
  volumeType: null,
  encryptionKeyId: null,
  metadata: {},
  source: { kind: 'blank' },
  createdAt: NOW,
  ...overrides,
});

/** A value nested `depth` lists deep, built without recursion. */
const nested = (depth: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('event schemas', () => {
  it('has a schema for every event type Strata records', () => {
    expect(Object.keys(EVENT_SCHEMAS).sort()).toEqual(
      [...STRATA_EVENT_TYPES, ...JOB_LEASE_EVENT_TYPES, ...NOTIFIER_EVENT_TYPES, ...CATALOG_IMPORT_EVENT_TYPES].sort(),
    );
    for (const schema of Object.values(EVENT_SCHEMAS)) expect(schema.version).toBe(1);
  });

  it('admits an event that fits', () => expect(eventViolation('VolumeCreated', volumeCreated())).toBeNull());

  it.each([
    ['a size beyond DB_MAX_INT', { sizeGb: DB_MAX_INT + 1 }, 'data.sizeGb', `must be at most ${DB_MAX_INT}, not ${DB_MAX_INT + 1}`],
    ['a size of 2^63 (stored as a REAL by SQLite)', { sizeGb: 2 ** 63 }, 'data.sizeGb', 'must be at most'],
    ['a fractional size', { sizeGb: 1.5 }, 'data.sizeGb', 'must be a whole number, not 1.5'],
    ['a size sent as text', { sizeGb: '1' }, 'data.sizeGb', 'must be a whole number, not "1"'],
    ['a name of 256 characters', { name: 'n'.repeat(256) }, 'data.name', 'must have at most 255 characters, not 256'],
    ['an id that is not a UUID', { volumeId: '../../etc' }, 'data.volumeId', 'must be a lower-case UUID'],
    ['a metadata value that is not text', { metadata: { k: 1 } }, 'data.metadata.k', 'must be a string, not 1'],
    ['a metadata key outside the pattern', { metadata: { k$: 'v' } }, 'data.metadata key', "must be a key of Cinder's metadata pattern"],
    ['a metadata value nested ten thousand deep', { metadata: { k: nested(10_000) } }, 'data.metadata.k', 'must be a string, not a list'],
    ['an unknown source kind', { source: { kind: 'image', id: 'x' } }, 'data.source.kind', 'must be one of "blank", "managed"'],
    ['a field the event does not have', { colour: 'red' }, 'data.colour', 'is not a field of this event'],
    ['a time that is not ISO 8601', { createdAt: 'yesterday' }, 'data.createdAt', 'must be an ISO 8601 UTC time'],
    ['a time no calendar has (month 13)', { createdAt: '2026-13-01T00:00:00.000Z' }, 'data.createdAt', 'must be an ISO 8601 UTC time'],
    ['a time no clock has (25:61)', { createdAt: '2026-01-01T25:61:00Z' }, 'data.createdAt', 'must be an ISO 8601 UTC time'],
  ])('refuses %s, naming the field', (_, overrides, path, message) => {
    const violation = eventViolation('VolumeCreated', volumeCreated(overrides));
    expect(violation?.path).toBe(path);
    expect(violation?.message).toContain(message);
  });

  it('refuses a missing field', () => {
    const { sizeGb: _, ...withoutSize } = volumeCreated();
    expect(eventViolation('VolumeCreated', withoutSize)).toEqual({ path: 'data.sizeGb', message: 'is required' });
  });

  it('refuses an event type it does not know, and data that is not an object', () => {
    expect(eventViolation('VolumeTeleported', {})).toMatchObject({ path: 'type' });
    expect(eventViolation('VolumeCreated', nested(100_000))).toEqual({ path: 'data', message: 'must be an object, not a list' });
  });

  it('refuses a backup container that leaves the repository root', () => {
    for (const container of ['../elsewhere', '/srv/backup', 'a/../../b'])
      expect(
        eventViolation('BackupStarted', {
          backupId: volumeId,
          container,
          objectPrefix: 'p',
          service: 's',
          startedAt: NOW,
          driver: { objectSizeBytes: 1, shaBlockSizeBytes: 1, compression: 'zlib', compressionLevel: 1 },
        }),
      ).toMatchObject({ path: 'data.container', message: expect.stringContaining('is not a usable container') });
  });

  it('admits a volume with or without the type id older events lack, and refuses one that is no id', () => {
    expect(eventViolation('VolumeCreated', volumeCreated({ volumeType: 'gold', volumeTypeId: volumeId }))).toBeNull();
    expect(eventViolation('VolumeCreated', volumeCreated({ volumeType: 'gold' }))).toBeNull();
    expect(eventViolation('VolumeCreated', volumeCreated({ volumeTypeId: 'gold' }))).toMatchObject({ path: 'data.volumeTypeId' });
  });

  it("admits null extra spec values, as Cinder's schema does, and refuses nested ones", () => {
    const typeCreated = (extraSpecs: unknown) => ({
      volumeTypeId: volumeId,
      name: 'gold',
      description: null,
      isPublic: true,
      extraSpecs,
      createdAt: NOW,
    });
    expect(eventViolation('VolumeTypeCreated', typeCreated({ k: null, 'RESKEY:availability_zones': 'nova' }))).toBeNull();
    expect(eventViolation('VolumeTypeCreated', typeCreated({ k: { deep: 1 } }))).toEqual({
      path: 'data.extraSpecs.k',
      message: 'must be a string, not an object',
    });
  });

  it('leaves optional fields of an update out when they are absent', () =>
    expect(eventViolation('BackupUpdated', { backupId: volumeId, name: 'n', updatedAt: NOW })).toBeNull());
});

describe("the notifier's checkpoint event", () => {
  it('takes a position as positive decimal text, beyond what a JSON number holds', () => {
    const data = (through: string) => ({ through, notifications: 3, workerId: 'w', publishedAt: '2026-12-04T10:00:00.000Z' });
    expect(eventViolation('NotificationsPublished', data('18446744073709551615'))).toBeNull();
    expect(eventViolation('NotificationsPublished', data('0'))).not.toBeNull();
    expect(eventViolation('NotificationsPublished', data('-1'))).not.toBeNull();
  });
});
