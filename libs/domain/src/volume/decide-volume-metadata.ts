import { DomainError } from '../errors';
import type { DeleteVolumeMetadataKey, SetVolumeMetadata } from './volume.commands';
import type { VolumeEvent } from './volume.events';
import type { VolumeRecord } from './volume.state';

/** Cinder's VolumeMetadataNotFound, a 404. */
export class VolumeMetadataNotFound extends DomainError {
  override readonly name = 'VolumeMetadataNotFound';
  readonly kind = 'not_found';
  constructor(
    readonly volumeId: string,
    readonly key: string,
  ) {
    super(`Volume ${volumeId} has no metadata with key ${key}.`);
  }
}

/**
 * Cinder's volume metadata API (cinder/api/v2/volume_metadata.py, `volume_metadata_update`): items merged
 * into the volume's user metadata, or (`replace`) the whole metadata replaced. Decided against the
 * volume's stream, so two concurrent changes cannot lose one another's keys; recorded as the volume's
 * whole metadata after the change, as `PUT /volumes/{id}` records it. Admin metadata (`readonly`,
 * `attached_mode`) is not touched. Cinder refuses these only for `maintenance` and `uploading`
 * volumes, statuses Strata never gives.
 */
export const decideSetMetadata = ({ data }: SetVolumeMetadata, v: VolumeRecord): VolumeEvent[] => {
  const metadata = data.replace ? { ...data.metadata } : { ...v.metadata, ...data.metadata };
  return [{ type: 'VolumeUpdated', data: { volumeId: v.id, metadata, updatedAt: data.now } }];
};

/** `DELETE /volumes/{id}/metadata/{key}`: a key the volume does not have is Cinder's 404. */
export const decideDeleteMetadataKey = ({ data }: DeleteVolumeMetadataKey, v: VolumeRecord): VolumeEvent[] => {
  if (!Object.prototype.hasOwnProperty.call(v.metadata, data.key)) throw new VolumeMetadataNotFound(v.id, data.key);
  const metadata = Object.fromEntries(Object.entries(v.metadata).filter(([key]) => key !== data.key));
  return [{ type: 'VolumeUpdated', data: { volumeId: v.id, metadata, updatedAt: data.now } }];
};
