import { InvalidInput } from '../errors';
import type { CreateVolumeTypeEncryption, DeleteVolumeTypeEncryption, UpdateVolumeTypeEncryption } from './volume-type.commands';
import { VolumeTypeEncryptionExists, VolumeTypeEncryptionNotFound, VolumeTypeNotFound } from './volume-type.errors';
import type { VolumeTypeEvent } from './volume-type.events';
import type { VolumeType } from './volume-type.state';
import { presentFields } from './present-fields';

type EncryptionCommand = CreateVolumeTypeEncryption | UpdateVolumeTypeEncryption | DeleteVolumeTypeEncryption;

/**
 * A type's encryption specs (volume_type_encryption.py): one set per type, changed only while no volume
 * uses the type, in the order Cinder checks (create: in use, type, exists; update: type, in use, exists;
 * delete: in use, exists).
 */
export const decideEncryption = (command: EncryptionCommand, state: VolumeType): VolumeTypeEvent[] => {
  const { volumeTypeId, volumesUsingType, now } = command.data;
  const inUse = (verb: string) => new InvalidInput(`Cannot ${verb} encryption specs. Volume type in use.`);
  switch (command.type) {
    case 'CreateVolumeTypeEncryption': {
      if (volumesUsingType > 0) throw inUse('create');
      if (state.status !== 'active') throw new VolumeTypeNotFound(volumeTypeId);
      if (state.encryption) throw new VolumeTypeEncryptionExists(state.id);
      const { encryptionId, provider, controlLocation, cipher, keySize } = command.data;
      return [
        {
          type: 'VolumeTypeEncryptionCreated',
          data: { volumeTypeId: state.id, encryptionId, provider, controlLocation, cipher, keySize, createdAt: now },
        },
      ];
    }
    case 'UpdateVolumeTypeEncryption': {
      if (state.status !== 'active') throw new VolumeTypeNotFound(volumeTypeId);
      if (volumesUsingType > 0) throw inUse('update');
      if (!state.encryption) throw new VolumeTypeEncryptionNotFound(state.id);
      const { provider, controlLocation, cipher, keySize } = command.data;
      const changes = presentFields({ provider, controlLocation, cipher, keySize });
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'VolumeTypeEncryptionUpdated', data: { volumeTypeId: state.id, ...changes, updatedAt: now } }];
    }
    case 'DeleteVolumeTypeEncryption':
      if (volumesUsingType > 0) throw inUse('delete');
      if (state.status !== 'active' || !state.encryption) throw new VolumeTypeEncryptionNotFound(volumeTypeId);
      return [{ type: 'VolumeTypeEncryptionDeleted', data: { volumeTypeId: state.id, deletedAt: now } }];
  }
};
