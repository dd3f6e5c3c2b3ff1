import type { RecordedEvent } from '@strata/event-store';
import { decodeStrataEvent, DEFAULT_VOLUME_TYPE_ID, type VolumeTypeEvent } from '@strata/domain';
import { dumpCatalog } from '../rebuild';
import type { Projection, ProjectionTx } from './projection';
import { volumeTypesProjection } from './volume-types.projection';
import {
  at,
  event,
  OTHER_PROJECT,
  openTestCatalog,
  PROJECT,
  VOLUME,
  volumeCreated,
  volumeProvisioned,
  type TestCatalog,
} from '../testing/catalog-fixtures';

const GOLD = 'e0000000-0000-4000-8000-000000000001';
const SILVER = 'e0000000-0000-4000-8000-000000000002';
const all = { projectId: PROJECT, allTypes: true } as const;
const asUser = (projectId = PROJECT) => ({ projectId, allTypes: false });

const typeCreated = (
  volumeTypeId: string,
  name: string,
  over: Partial<Extract<VolumeTypeEvent, { type: 'VolumeTypeCreated' }>['data']> = {},
) => event('VolumeTypeCreated', { volumeTypeId, name, description: null, isPublic: true, extraSpecs: {}, createdAt: at(1), ...over });

let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

/** A projection applied to a recorded event, decoded as the runner decodes it. */
const applyRecorded = (projection: Projection, tx: ProjectionTx, recorded: RecordedEvent) =>
  projection.apply(tx, decodeStrataEvent(recorded)!.event, recorded);

describe('volume types projection', () => {
  it('records a type with its extra specs, and the specs set and unset afterwards', async () => {
    await t.given([
      typeCreated(GOLD, 'Gold', { description: 'fast', extraSpecs: { a: '1', n: null } }),
      event('VolumeTypeExtraSpecsSet', { volumeTypeId: GOLD, extraSpecs: { a: '2', b: '3' }, setAt: at(2) }),
      event('VolumeTypeExtraSpecsUnset', { volumeTypeId: GOLD, keys: ['n'], unsetAt: at(3) }),
    ]);
    expect(t.catalog.getVolumeType(GOLD, all)).toEqual({
      id: GOLD,
      name: 'Gold',
      description: 'fast',
      isPublic: true,
      qosSpecsId: null,
      extraSpecs: { a: '2', b: '3' },
      encrypted: false,
      createdAt: at(1),
      updatedAt: at(3),
    });
  });

  it("keeps extra specs in the order they were first set in, as Cinder's database returns them", async () => {
    await t.given([
      typeCreated(GOLD, 'gold', { extraSpecs: { zeta: '1', alpha: '2' } }),
      event('VolumeTypeExtraSpecsSet', { volumeTypeId: GOLD, extraSpecs: { mid: '3', zeta: '4' }, setAt: at(2) }),
    ]);
    expect(Object.entries(t.catalog.getVolumeType(GOLD, all)!.extraSpecs)).toEqual([
      ['zeta', '4'],
      ['alpha', '2'],
      ['mid', '3'],
    ]);
  });

  it('finds a type by name whatever the case, and renames it', async () => {
    await t.given([typeCreated(GOLD, 'Gold')]);
    expect(t.catalog.volumeTypeByName('gOLD', all)?.id).toBe(GOLD);
    await t.given([event('VolumeTypeUpdated', { volumeTypeId: GOLD, name: 'Platinum', description: '', updatedAt: at(4) })]);
    expect(t.catalog.volumeTypeByName('gold', all)).toBeNull();
    expect(t.catalog.volumeTypeByName('platinum', all)).toMatchObject({ id: GOLD, name: 'Platinum', description: '', isPublic: true });
  });

  it('keeps encryption specs apart, updating only the fields an update gives', async () => {
    const encryptionId = 'f0000000-0000-4000-8000-000000000001';
    await t.given([
      typeCreated(GOLD, 'gold'),
      event('VolumeTypeEncryptionCreated', {
        volumeTypeId: GOLD,
        encryptionId,
        provider: 'luks',
        controlLocation: 'front-end',
        cipher: 'aes-xts-plain64',
        keySize: 256,
        createdAt: at(2),
      }),
      event('VolumeTypeEncryptionUpdated', { volumeTypeId: GOLD, cipher: null, updatedAt: at(3) }),
    ]);
    expect(t.catalog.volumeTypeEncryption(GOLD)).toEqual({
      volumeTypeId: GOLD,
      encryptionId,
      provider: 'luks',
      controlLocation: 'front-end',
      cipher: null,
      keySize: 256,
      createdAt: at(2),
      updatedAt: at(3),
    });
    expect(t.catalog.getVolumeType(GOLD, all)?.encrypted).toBe(true);
    await t.given([event('VolumeTypeEncryptionDeleted', { volumeTypeId: GOLD, deletedAt: at(4) })]);
    expect(t.catalog.volumeTypeEncryption(GOLD)).toBeNull();
  });

  it('shows a private type to admins and to the projects on its access list only', async () => {
    await t.given([
      typeCreated(GOLD, 'gold', { isPublic: false }),
      event('VolumeTypeAccessAdded', { volumeTypeId: GOLD, projectId: OTHER_PROJECT, addedAt: at(2) }),
    ]);
    expect(t.catalog.getVolumeType(GOLD, asUser())).toBeNull();
    expect(t.catalog.getVolumeType(GOLD, asUser(OTHER_PROJECT))?.id).toBe(GOLD);
    expect(t.catalog.volumeTypeProjects(GOLD)).toEqual([OTHER_PROJECT]);
    await t.given([event('VolumeTypeAccessRemoved', { volumeTypeId: GOLD, projectId: OTHER_PROJECT, removedAt: at(3) })]);
    expect(t.catalog.getVolumeType(GOLD, asUser(OTHER_PROJECT))).toBeNull();
  });

  it('hides a deleted type and drops its specs, and counts the live ones', async () => {
    await t.given([typeCreated(GOLD, 'gold', { extraSpecs: { a: '1' } }), typeCreated(SILVER, 'silver')]);
    expect(t.catalog.liveVolumeTypeCount()).toBe(2);
    await t.given([event('VolumeTypeDeleted', { volumeTypeId: GOLD, deletedAt: at(5) })]);
    expect(t.catalog.getVolumeType(GOLD, all)).toBeNull();
    expect(t.catalog.volumeTypeByName('gold', all)).toBeNull();
    expect(t.catalog.liveVolumeTypeCount()).toBe(1);
    expect(dumpCatalog(t.catalog.db).volume_type_extra_specs).toEqual([]);
  });

  it('changes nothing when a batch is applied twice', async () => {
    const events = [
      typeCreated(GOLD, 'gold', { extraSpecs: { a: '1' } }),
      event('VolumeTypeExtraSpecsUnset', { volumeTypeId: GOLD, keys: ['a'], unsetAt: at(2) }),
    ];
    await t.given(events);
    const before = dumpCatalog(t.catalog.db);
    const tx: ProjectionTx = { run: (sql, params) => t.catalog.db.prepare(sql).run(params ?? {}).changes, get: () => undefined };
    for (const [i, e] of events.entries())
      applyRecorded(volumeTypesProjection, tx, {
        id: `x${i}`,
        streamId: `volume-type-${GOLD}`,
        revision: BigInt(i),
        position: BigInt(i + 1),
        type: e.type,
        data: e.data,
        metadata: {},
        createdAt: at(0),
      });
    expect(dumpCatalog(t.catalog.db)).toEqual(before);
  });

  it('rebuilds the same rows from the log', async () => {
    await t.given([
      typeCreated(GOLD, 'gold', { extraSpecs: { a: '1' } }),
      event('VolumeTypeAccessAdded', { volumeTypeId: GOLD, projectId: OTHER_PROJECT, addedAt: at(2) }),
    ]);
    const before = dumpCatalog(t.catalog.db);
    await t.catalog.rebuild();
    expect(dumpCatalog(t.catalog.db)).toEqual(before);
  });
});

describe('listVolumeTypes', () => {
  const names = (request: Partial<Parameters<TestCatalog['catalog']['listVolumeTypes']>[0]>) =>
    t.catalog.listVolumeTypes({ visibility: all, isPublic: null, ...request }).rows.map((r) => r.name);

  beforeEach(async () => {
    await t.given([
      typeCreated(GOLD, 'gold', { extraSpecs: { volume_backend_name: 'fast', 'RESKEY:availability_zones': 'az1, az2' }, createdAt: at(1) }),
      typeCreated(SILVER, 'silver', { isPublic: false, createdAt: at(2) }),
      event('VolumeTypeAccessAdded', { volumeTypeId: SILVER, projectId: OTHER_PROJECT, addedAt: at(3) }),
    ]);
  });

  it('lists newest first, and by the sort asked for', () => {
    expect(names({})).toEqual(['silver', 'gold']);
    expect(names({ sort: [{ key: 'name', dir: 'asc' }] })).toEqual(['gold', 'silver']);
  });

  it("filters on is_public as Cinder's database does", () => {
    expect(names({ isPublic: true })).toEqual(['gold']);
    expect(names({ isPublic: true, visibility: { projectId: OTHER_PROJECT, allTypes: true } })).toEqual(['silver', 'gold']);
    expect(names({ isPublic: false })).toEqual(['silver']);
    expect(names({ isPublic: true, visibility: asUser() })).toEqual(['gold']);
  });

  it('filters on extra specs, an availability zone by containment', () => {
    expect(names({ extraSpecs: { volume_backend_name: 'fast' } })).toEqual(['gold']);
    expect(names({ extraSpecs: { volume_backend_name: 'slow' } })).toEqual([]);
    expect(names({ extraSpecs: { 'RESKEY:availability_zones': 'az2' } })).toEqual(['gold']);
  });

  it('filters on a name without regard to case', () => expect(names({ filters: { name: 'SILVER' } })).toEqual(['silver']));

  it('pages after a marker, and ignores a marker that names no type, as Cinder does', () => {
    expect(names({ marker: SILVER, limit: 5 })).toEqual(['gold']);
    expect(names({ marker: 'e0000000-0000-4000-8000-0000000000ff', limit: 1 })).toEqual(['silver']);
  });
});

describe('volumes and their types', () => {
  it("shows the name a volume's type has now, and finds the volumes of a type", async () => {
    await t.given([
      typeCreated(GOLD, 'gold'),
      volumeCreated({ volumeType: 'gold', volumeTypeId: GOLD }),
      volumeProvisioned(),
      event('VolumeTypeUpdated', { volumeTypeId: GOLD, name: 'platinum', updatedAt: at(5) }),
    ]);
    expect(t.catalog.getVolume(VOLUME, { projectId: PROJECT, allProjects: false })).toMatchObject({
      volumeType: 'platinum',
      volumeTypeId: GOLD,
    });
    expect(t.catalog.volumesOfTypeCount(GOLD)).toBe(1);
    expect(
      t.catalog.listVolumes({ filters: { volumeTypeId: GOLD }, scope: { projectId: PROJECT, allProjects: true } }).rows.map((v) => v.id),
    ).toEqual([VOLUME]);
    await t.given([
      event('VolumeDeletionRequested', { volumeId: VOLUME, requestedAt: at(6) }),
      event('VolumeDeleted', { volumeId: VOLUME, deletedAt: at(7) }),
    ]);
    expect(t.catalog.volumesOfTypeCount(GOLD)).toBe(0);
  });

  it('reads a volume created untyped before volume types as one of __DEFAULT__', async () => {
    await t.given([volumeCreated({ volumeType: null })]);
    expect(t.catalog.getVolume(VOLUME, { projectId: PROJECT, allProjects: false })).toMatchObject({
      volumeType: null,
      volumeTypeId: DEFAULT_VOLUME_TYPE_ID,
    });
    await t.given([typeCreated(DEFAULT_VOLUME_TYPE_ID, '__DEFAULT__')]);
    expect(t.catalog.getVolume(VOLUME, { projectId: PROJECT, allProjects: false })?.volumeType).toBe('__DEFAULT__');
  });
});
