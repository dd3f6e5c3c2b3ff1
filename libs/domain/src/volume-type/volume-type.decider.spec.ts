import { InvalidInput } from '../errors';
import { DeciderSpecification } from '../testing/decider-specification';
import type { VolumeTypeCommand } from './volume-type.commands';
import { volumeTypeDecider } from './volume-type.decider';
import {
  InvalidVolumeType,
  VolumeTypeAccessExists,
  VolumeTypeAccessNotFound,
  VolumeTypeEncryptionExists,
  VolumeTypeEncryptionNotFound,
  VolumeTypeExists,
  VolumeTypeExtraSpecsNotFound,
  VolumeTypeNotFound,
} from './volume-type.errors';
import type { ExtraSpecs, VolumeTypeEvent } from './volume-type.events';

const given = DeciderSpecification.for(volumeTypeDecider);
const volumeTypeId = 'e0000000-0000-4000-8000-000000000001';
const otherTypeId = 'e0000000-0000-4000-8000-000000000002';
const encryptionId = 'f0000000-0000-4000-8000-000000000001';
const projectId = '8a3c4b1e2f6d4e0f9a7b6c5d4e3f2a1b';
const NOW = '2026-12-01T10:00:00.000Z';

const created = (over: Partial<Extract<VolumeTypeEvent, { type: 'VolumeTypeCreated' }>['data']> = {}): VolumeTypeEvent => ({
  type: 'VolumeTypeCreated',
  data: { volumeTypeId, name: 'gold', description: null, isPublic: true, extraSpecs: {}, createdAt: NOW, ...over },
});
const deleted: VolumeTypeEvent = { type: 'VolumeTypeDeleted', data: { volumeTypeId, deletedAt: NOW } };
const specsSet = (extraSpecs: ExtraSpecs): VolumeTypeEvent => ({
  type: 'VolumeTypeExtraSpecsSet',
  data: { volumeTypeId, extraSpecs, setAt: NOW },
});
const encryptionCreated: VolumeTypeEvent = {
  type: 'VolumeTypeEncryptionCreated',
  data: { volumeTypeId, encryptionId, provider: 'luks', controlLocation: 'front-end', cipher: null, keySize: 256, createdAt: NOW },
};

const create = (over: Partial<Extract<VolumeTypeCommand, { type: 'CreateVolumeType' }>['data']> = {}): VolumeTypeCommand => ({
  type: 'CreateVolumeType',
  data: { volumeTypeId, name: 'gold', description: null, isPublic: true, extraSpecs: {}, nameTakenBy: null, now: NOW, ...over },
});
const update = (over: Partial<Extract<VolumeTypeCommand, { type: 'UpdateVolumeType' }>['data']>): VolumeTypeCommand => ({
  type: 'UpdateVolumeType',
  data: { volumeTypeId, nameTakenBy: null, now: NOW, ...over },
});
const remove = (over: Partial<Extract<VolumeTypeCommand, { type: 'DeleteVolumeType' }>['data']> = {}): VolumeTypeCommand => ({
  type: 'DeleteVolumeType',
  data: { volumeTypeId, isConfiguredDefault: false, liveTypeCount: 2, volumesUsingType: 0, now: NOW, ...over },
});
const setSpecs = (extraSpecs: ExtraSpecs, volumesUsingType = 0): VolumeTypeCommand => ({
  type: 'SetVolumeTypeExtraSpecs',
  data: { volumeTypeId, extraSpecs, volumesUsingType, now: NOW },
});
const unsetSpec = (key: string, volumesUsingType = 0): VolumeTypeCommand => ({
  type: 'UnsetVolumeTypeExtraSpec',
  data: { volumeTypeId, key, volumesUsingType, now: NOW },
});
const createEncryption = (volumesUsingType = 0): VolumeTypeCommand => ({
  type: 'CreateVolumeTypeEncryption',
  data: {
    volumeTypeId,
    encryptionId,
    provider: 'luks',
    controlLocation: 'front-end',
    cipher: null,
    keySize: 256,
    volumesUsingType,
    now: NOW,
  },
});

describe('CreateVolumeType', () => {
  it('records a new type with its extra specs', () =>
    given([])
      .when(create({ extraSpecs: { k: 'v', n: null } }))
      .then([created({ extraSpecs: { k: 'v', n: null } })]));
  it('refuses a name another type has, naming it as given', () =>
    given([])
      .when(create({ name: 'GOLD', nameTakenBy: otherTypeId }))
      .thenThrows(VolumeTypeExists, 'Volume Type GOLD already exists.'));
  it('refuses an id that is taken', () =>
    given([created()])
      .when(create({ name: 'silver' }))
      .thenThrows(VolumeTypeExists, `Volume Type ${volumeTypeId} already exists.`));
  it('refuses a name of white space alone', () =>
    given([])
      .when(create({ name: '   ' }))
      .thenThrows(InvalidInput, "An invalid 'name' value was provided. The 'name' can not be empty."));
  it('refuses a name longer than 255 characters, so the read model can store it', () =>
    given([])
      .when(create({ name: 'n'.repeat(256) }))
      .thenThrows(InvalidInput, 'Invalid input received: VolumeTypeCreated data.name must have at most 255 characters, not 256.'));
  it("refuses an extra spec key outside Cinder's pattern", () =>
    given([])
      .when(create({ extraSpecs: { a$: 'x' } }))
      .thenThrows(
        InvalidInput,
        'Invalid input received: VolumeTypeCreated data.extraSpecs key must be a key of Cinder\'s extra specs pattern, not "a$".',
      ));
});

describe('UpdateVolumeType', () => {
  it('records only the fields given', () =>
    given([created()])
      .when(update({ description: 'fast disks' }))
      .then([{ type: 'VolumeTypeUpdated', data: { volumeTypeId, description: 'fast disks', updatedAt: NOW } }]));
  it('renames to a free name, or to its own name in another case', () =>
    given([created()])
      .when(update({ name: 'Gold', nameTakenBy: volumeTypeId }))
      .then([{ type: 'VolumeTypeUpdated', data: { volumeTypeId, name: 'Gold', updatedAt: NOW } }]));
  it('refuses the name of another type', () =>
    given([created()])
      .when(update({ name: 'silver', nameTakenBy: otherTypeId }))
      .thenThrows(VolumeTypeExists, 'Volume Type silver already exists.'));
  it('refuses a request that changes nothing, before it looks the type up', () =>
    given([]).when(update({})).thenThrows(InvalidInput, 'Specify volume type name, description, is_public or a combination thereof.'));
  it('refuses a blank name', () =>
    given([created()])
      .when(update({ name: ' ' }))
      .thenThrows(InvalidInput, 'Volume type name can not be empty.'));
  it('refuses a deleted type', () =>
    given([created(), deleted])
      .when(update({ isPublic: false }))
      .thenThrows(VolumeTypeNotFound, `Volume type ${volumeTypeId} could not be found.`));
});

describe('DeleteVolumeType', () => {
  it('deletes a type no volume uses', () => given([created()]).when(remove()).then([deleted]));
  it('refuses the type default_volume_type names', () =>
    given([created()])
      .when(remove({ isConfiguredDefault: true }))
      .thenThrows(InvalidInput, `The volume type ${volumeTypeId} is a default volume type and cannot be deleted.`));
  it('refuses the last type', () =>
    given([created()])
      .when(remove({ liveTypeCount: 1 }))
      .thenThrows(InvalidInput, `The volume type ${volumeTypeId} is the only currently defined volume type and cannot be deleted.`));
  it("refuses a type in use, with Cinder's text", () =>
    given([created()])
      .when(remove({ volumesUsingType: 1 }))
      .thenThrows(InvalidInput, 'Target volume type is still in use.'));
  it('refuses a type that does not exist', () => given([]).when(remove()).thenThrows(VolumeTypeNotFound));
});

describe('extra specs', () => {
  it('sets specs, overwriting the keys given', () =>
    given([created({ extraSpecs: { a: '1' } })])
      .when(setSpecs({ a: '2', b: null }))
      .then([specsSet({ a: '2', b: null })]));
  it('records nothing for an empty set', () => given([created()]).when(setSpecs({})).then([]));
  it('refuses while a volume uses the type', () =>
    given([created()])
      .when(setSpecs({ a: '1' }, 1))
      .thenThrows(InvalidInput, 'Volume Type is currently in use.'));
  it.each([
    ['multiattach with a stored cacheable', { cacheable: '<is> True' }, { multiattach: '<is> True' }],
    ['cacheable with a stored multiattach', { multiattach: '<is> True' }, { cacheable: '<is> True' }],
    ['both at once', {}, { multiattach: '<is> True', cacheable: '<is> True' }],
  ])('refuses %s', (_, stored: ExtraSpecs, specs: ExtraSpecs) =>
    given([created({ extraSpecs: stored })])
      .when(setSpecs(specs))
      .thenThrows(InvalidInput, 'cacheable cannot be set with multiattach.'),
  );
  it('unsets a key', () =>
    given([created(), specsSet({ a: '1' })])
      .when(unsetSpec('a'))
      .then([{ type: 'VolumeTypeExtraSpecsUnset', data: { volumeTypeId, keys: ['a'], unsetAt: NOW } }]));
  it('refuses to unset a key the type does not have', () =>
    given([created(), specsSet({ a: '1' }), { type: 'VolumeTypeExtraSpecsUnset', data: { volumeTypeId, keys: ['a'], unsetAt: NOW } }])
      .when(unsetSpec('a'))
      .thenThrows(VolumeTypeExtraSpecsNotFound, `Volume Type ${volumeTypeId} has no extra specs with key a.`));
  it('looks the type up before the volumes when unsetting', () => given([]).when(unsetSpec('a', 1)).thenThrows(VolumeTypeNotFound));
});

describe('encryption', () => {
  it('creates encryption specs', () => given([created()]).when(createEncryption()).then([encryptionCreated]));
  it('refuses a second set', () =>
    given([created(), encryptionCreated])
      .when(createEncryption())
      .thenThrows(VolumeTypeEncryptionExists, `Volume type encryption for type ${volumeTypeId} already exists.`));
  it('refuses to create while the type is in use, before it looks the type up', () =>
    given([]).when(createEncryption(2)).thenThrows(InvalidInput, 'Cannot create encryption specs. Volume type in use.'));
  it('updates only the fields given, null included', () =>
    given([created(), encryptionCreated])
      .when({ type: 'UpdateVolumeTypeEncryption', data: { volumeTypeId, cipher: null, keySize: 512, volumesUsingType: 0, now: NOW } })
      .then([{ type: 'VolumeTypeEncryptionUpdated', data: { volumeTypeId, cipher: null, keySize: 512, updatedAt: NOW } }]));
  it('refuses to update specs that do not exist', () =>
    given([created()])
      .when({ type: 'UpdateVolumeTypeEncryption', data: { volumeTypeId, provider: 'plain', volumesUsingType: 0, now: NOW } })
      .thenThrows(VolumeTypeEncryptionNotFound, `Volume type encryption for type ${volumeTypeId} does not exist.`));
  it('refuses to delete while the type is in use', () =>
    given([created(), encryptionCreated])
      .when({ type: 'DeleteVolumeTypeEncryption', data: { volumeTypeId, volumesUsingType: 1, now: NOW } })
      .thenThrows(InvalidInput, 'Cannot delete encryption specs. Volume type in use.'));
  it('answers a missing type as missing specs when deleting', () =>
    given([])
      .when({ type: 'DeleteVolumeTypeEncryption', data: { volumeTypeId, volumesUsingType: 0, now: NOW } })
      .thenThrows(VolumeTypeEncryptionNotFound));
  it('forgets the specs of a deleted type', () =>
    given([created(), encryptionCreated, deleted]).when(createEncryption()).thenThrows(VolumeTypeNotFound));
});

describe('access lists', () => {
  const add: VolumeTypeCommand = { type: 'AddVolumeTypeAccess', data: { volumeTypeId, projectId, now: NOW } };
  const added: VolumeTypeEvent = { type: 'VolumeTypeAccessAdded', data: { volumeTypeId, projectId, addedAt: NOW } };
  it('gives a project a private type', () =>
    given([created({ isPublic: false })])
      .when(add)
      .then([added]));
  it('refuses a public type', () =>
    given([created()])
      .when(add)
      .thenThrows(InvalidVolumeType, 'Invalid volume type: Type access modification is not applicable to public volume type.'));
  it('refuses a project already on the list', () =>
    given([created({ isPublic: false }), added])
      .when(add)
      .thenThrows(VolumeTypeAccessExists, `Volume type access for ${volumeTypeId} / ${projectId} combination already exists.`));
  it('refuses to remove a project not on the list', () =>
    given([created({ isPublic: false })])
      .when({ type: 'RemoveVolumeTypeAccess', data: { volumeTypeId, projectId, now: NOW } })
      .thenThrows(VolumeTypeAccessNotFound, `Volume type access not found for ${volumeTypeId} / ${projectId} combination.`));
});
