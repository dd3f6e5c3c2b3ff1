import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { volumeDecider, volumeStreamId, type CreateVolume } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { QuotaClaims } from '../../shared/quota-claims';

export type CreateVolumeRequest = Omit<CreateVolume['data'], 'projectId' | 'userId'>;

/**
 * Records a new volume as `creating` and claims its quota; the worker provisions its image (or inspects
 * a managed device), claiming first in case the request stopped between the two.
 */
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
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly quota: QuotaClaims,
  ) {}

  async execute({ request, ctx }: CreateVolumeCommand): Promise<Appended> {
    await decideAndAppend(
      this.store,
      volumeStreamId(request.volumeId),
      volumeDecider,
      { type: 'CreateVolume', data: { ...request, projectId: ctx.projectId, userId: ctx.userId } },
      eventMetaOf(ctx),
    );
    // Then its claim on the project's quota (volumes, gigabytes); refused, the volume is withdrawn: a 413.
    const position = await this.quota.claimCreation(ctx, 'volume', request.volumeId, {
      projectId: ctx.projectId,
      sizeGb: request.sizeGb,
      now: request.createdAt,
    });
    return { id: request.volumeId, position };
  }
}
