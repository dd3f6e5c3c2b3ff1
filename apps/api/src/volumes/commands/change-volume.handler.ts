import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { volumeDecider, VolumeNotFound, volumeStreamId, type VolumeCommand } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { itemScopeOf } from '../../shared/scope';

type UserVolumeCommand = Extract<
  VolumeCommand,
  {
    type:
      | 'AttachVolume'
      | 'DetachVolume'
      | 'UpdateVolume'
      | 'RequestVolumeDeletion'
      | 'ReserveVolume'
      | 'UnreserveVolume'
      | 'BeginVolumeDetaching'
      | 'RollVolumeDetaching'
      | 'ExtendVolume'
      | 'SetVolumeBootable'
      | 'UpdateVolumeReadonlyFlag'
      | 'SetVolumeMetadata'
      | 'DeleteVolumeMetadataKey';
  }
>;
/** The command without the facts this handler reads itself. */
export type VolumeChange =
  | Exclude<UserVolumeCommand, { type: 'RequestVolumeDeletion' }>
  | { type: 'RequestVolumeDeletion'; data: { volumeId: string; now: string } };

/** Attach, detach, update, delete and the other volume actions: one decision on the volume's own stream each. */
export class ChangeVolumeCommand extends Command<Appended> {
  constructor(
    readonly change: VolumeChange,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeVolumeCommand)
export class ChangeVolumeHandler implements ICommandHandler<ChangeVolumeCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
  ) {}

  async execute({ change, ctx }: ChangeVolumeCommand): Promise<Appended> {
    const volume = this.catalog.getVolume(change.data.volumeId, itemScopeOf(ctx));
    if (!volume) throw new VolumeNotFound(change.data.volumeId);
    const command: UserVolumeCommand =
      change.type === 'RequestVolumeDeletion'
        ? { type: change.type, data: { ...change.data, volumeId: volume.id, liveSnapshotCount: this.catalog.liveSnapshotCount(volume.id) } }
        : ({ ...change, data: { ...change.data, volumeId: volume.id } } as UserVolumeCommand);
    const appended = await decideAndAppend(this.store, volumeStreamId(volume.id), volumeDecider, command, eventMetaOf(ctx));
    return { id: volume.id, position: appended.position };
  }
}
