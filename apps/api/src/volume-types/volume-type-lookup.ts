import { Inject, Injectable } from '@nestjs/common';
import { CATALOG, type Catalog, type TypeVisibility, type VolumeTypeRow } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { InvalidVolumeType, typeRefusalForNewVolume, VolumeTypeNotFound, VolumeTypeNotFoundByName } from '@strata/domain';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { canonicalUuid } from '../validation/json-schema-rules';

/** Cinder's admin context sees every type, private ones included. */
export const ALL_TYPES: TypeVisibility = { projectId: '', allTypes: true };

export const typeVisibilityOf = (ctx: RequestContext): TypeVisibility => ({ projectId: ctx.projectId, allTypes: ctx.isAdmin });

/** How a new volume's request named no type Strata has: volume create says 404, manage 400 (volume_manage.py). */
export type UnknownTypeAnswer = 'not_found' | 'invalid';

/**
 * Finds volume types as Cinder's `volume_types` module does, for the routes and for new volumes: by id,
 * by name or id, and the configured default; each within what the caller may see.
 */
@Injectable()
export class VolumeTypeLookup {
  constructor(
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  /** The type named by a route's id (a uuid in any of oslo's spellings), or Cinder's 404. */
  byId(ctx: RequestContext, id: string): VolumeTypeRow {
    const canonical = canonicalUuid(id);
    const row = canonical === null ? null : this.catalog.getVolumeType(canonical, typeVisibilityOf(ctx));
    if (!row) throw new VolumeTypeNotFound(id);
    return row;
  }

  /** `volume_types.get_by_name_or_id`: an id first when it looks like one (a name may too), else a name. */
  byNameOrId(ctx: RequestContext, identity: string): VolumeTypeRow {
    const visibility = typeVisibilityOf(ctx);
    const canonical = canonicalUuid(identity);
    const byName = this.catalog.volumeTypeByName(identity, visibility);
    if (canonical === null) {
      if (!byName) throw new VolumeTypeNotFoundByName(identity);
      return byName;
    }
    const found = this.catalog.getVolumeType(canonical, visibility) ?? byName;
    if (!found) throw new VolumeTypeNotFound(identity);
    return found;
  }

  /**
   * The type `default_volume_type` names, whoever asks (Cinder reads it with an admin context); when
   * there is none, Cinder's VolumeTypeDefaultMisconfiguredError, which its API answers with a 500.
   */
  configuredDefault(): VolumeTypeRow {
    const name = this.options.default_volume_type;
    const row = this.catalog.volumeTypeByName(name, ALL_TYPES);
    if (!row) throw new HttpFault(500, `The request cannot be fulfilled as the default volume type ${name} cannot be found.`);
    return row;
  }

  /**
   * The type of a new volume: the one requested (by name or id), or the default when none (or an empty
   * one) is; refused when the type's rules do not admit the volume (`typeRefusalForNewVolume`).
   */
  forNewVolume(
    ctx: RequestContext,
    requested: string | null,
    volume: { readonly sizeGb: number | null; readonly encryptionKeyId: string | null },
    unknown: UnknownTypeAnswer = 'not_found',
  ): { readonly volumeType: string; readonly volumeTypeId: string } {
    let type: VolumeTypeRow;
    try {
      type = requested ? this.byNameOrId(ctx, requested) : this.configuredDefault();
    } catch (error) {
      if (unknown === 'invalid' && (error instanceof VolumeTypeNotFound || error instanceof VolumeTypeNotFoundByName))
        throw new InvalidVolumeType(`Cannot find requested '${requested}' volume type`);
      throw error;
    }
    const refusal = typeRefusalForNewVolume(type, volume);
    if (refusal) throw refusal;
    return { volumeType: type.name, volumeTypeId: type.id };
  }
}
