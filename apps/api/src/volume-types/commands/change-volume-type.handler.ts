import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { volumeTypeDecider, VolumeTypeNotFound, volumeTypeStreamId, type VolumeTypeCommand } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { canonicalUuid } from '../../validation/json-schema-rules';
import { ALL_TYPES, VolumeTypeLookup } from '../volume-type-lookup';

type Facts = 'nameTakenBy' | 'volumesUsingType' | 'isConfiguredDefault' | 'liveTypeCount';
type WithoutFacts<C> = C extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, Facts> } : never;
/** A volume type command as a route builds it: the facts from the catalog are this handler's to add. */
export type VolumeTypeChange = WithoutFacts<VolumeTypeCommand>;

/** Every volume type decision: one append on the type's own stream. */
export class ChangeVolumeTypeCommand extends Command<Appended> {
  constructor(
    readonly change: VolumeTypeChange,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeVolumeTypeCommand)
export class ChangeVolumeTypeHandler implements ICommandHandler<ChangeVolumeTypeCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    private readonly lookup: VolumeTypeLookup,
  ) {}

  async execute({ change, ctx }: ChangeVolumeTypeCommand): Promise<Appended> {
    const volumeTypeId = canonicalUuid(change.data.volumeTypeId);
    if (volumeTypeId === null) {
      // An id that is no uuid names no stream: the decider answers as for a type that does not exist.
      volumeTypeDecider.decide(this.withFacts(change, change.data.volumeTypeId), volumeTypeDecider.initialState());
      throw new VolumeTypeNotFound(change.data.volumeTypeId);
    }
    const command = this.withFacts(change, volumeTypeId);
    const appended = await decideAndAppend(this.store, volumeTypeStreamId(volumeTypeId), volumeTypeDecider, command, eventMetaOf(ctx));
    return { id: volumeTypeId, position: appended.position };
  }

  /** What Cinder reads from its database in the same request, here from the catalog. */
  private withFacts(change: VolumeTypeChange, volumeTypeId: string): VolumeTypeCommand {
    const data = { ...change.data, volumeTypeId };
    const nameTakenBy = (name: string | undefined) =>
      name === undefined ? null : (this.catalog.volumeTypeByName(name, ALL_TYPES)?.id ?? null);
    const volumesUsingType = this.catalog.volumesOfTypeCount(volumeTypeId);
    switch (change.type) {
      case 'CreateVolumeType':
        return { type: change.type, data: { ...change.data, volumeTypeId, nameTakenBy: nameTakenBy(change.data.name) } };
      case 'UpdateVolumeType':
        return { type: change.type, data: { ...change.data, volumeTypeId, nameTakenBy: nameTakenBy(change.data.name) } };
      case 'DeleteVolumeType': {
        // Cinder looks the type up before the default: an unknown type is a 404 even when the default is missing.
        const exists = this.catalog.getVolumeType(volumeTypeId, ALL_TYPES) !== null;
        const isConfiguredDefault = exists && this.lookup.configuredDefault().id === volumeTypeId;
        return {
          type: change.type,
          data: { ...change.data, volumeTypeId, isConfiguredDefault, liveTypeCount: this.catalog.liveVolumeTypeCount(), volumesUsingType },
        };
      }
      case 'AddVolumeTypeAccess':
      case 'RemoveVolumeTypeAccess':
        return { type: change.type, data } as VolumeTypeCommand;
      default:
        return { type: change.type, data: { ...data, volumesUsingType } } as VolumeTypeCommand;
    }
  }
}
