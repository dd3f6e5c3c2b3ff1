import type { VolumeCreated } from '../volume/volume.events';

/** The type Cinder's database starts with (its initial migration creates it), and `default_volume_type`'s default. */
export const DEFAULT_VOLUME_TYPE_NAME = '__DEFAULT__';
export const DEFAULT_VOLUME_TYPE_DESCRIPTION = 'Default Volume Type';

/**
 * Cinder gives `__DEFAULT__` a random id in its migration. Strata records the type on its first start,
 * and every Strata must record the same one (a catalog file carried from one store to another holds the
 * type's stream too): so its id is fixed, a name-based UUID (uuid5 of URL `strata:volume-type:__DEFAULT__`).
 */
export const DEFAULT_VOLUME_TYPE_ID = '0f713cb7-828e-5936-b012-794036cf4cda';

/**
 * Names are unique without regard to case: Cinder compares them in its database, whose reference
 * deployment (MySQL, utf8 general collation) ignores case, so `Gold` and `gold` are one name there.
 */
export const volumeTypeNameKey = (name: string): string => name.toLowerCase();

/**
 * The type a VolumeCreated records. Events written before volume types existed carry only `volumeType`,
 * the text the client gave (unchecked) or null. Null reads as `__DEFAULT__`, as Cinder's own upgrade moved
 * untyped volumes to it; a name given then stays a name, linked to no type.
 */
export const volumeTypeIdOf = (volume: VolumeCreated['data']): string | null =>
  volume.volumeTypeId ?? (volume.volumeType === null ? DEFAULT_VOLUME_TYPE_ID : null);
