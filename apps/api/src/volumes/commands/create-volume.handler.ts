import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { volumeDecider, volumeStreamId, type CreateVolume } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';

export type CreateVolumeRequest = Omit<CreateVolume['data'], 'projectId' | 'userId'>;

/** Records a new volume as `creating`; the worker provisions its image (or inspects a managed device). */
export class CreateVolumeCommand extends Command<Appended> {
  constructor(
    readonly request: CreateVolumeRequest,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(CreateVolumeCommand)
export class CreateVolumeHandler implements ICommandHandler<CreateVolumeCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ request, ctx }: CreateVolumeCommand): Promise<Appended> {
    const appended = await decideAndAppend(
      this.store,
      volumeStreamId(request.volumeId),
      volumeDecider,
      { type: 'CreateVolume', data: { ...request, projectId: ctx.projectId, userId: ctx.userId } },
      eventMetaOf(ctx),
    );
    return { id: request.volumeId, position: appended.position };
  }
}
