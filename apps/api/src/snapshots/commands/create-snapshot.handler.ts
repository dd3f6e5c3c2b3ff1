import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { snapshotDecider, snapshotStreamId, VolumeNotFound } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { QuotaClaims } from '../../shared/quota-claims';
import { itemScopeOf } from '../../shared/scope';

export interface CreateSnapshotRequest {
  readonly snapshotId: string;
  readonly volumeId: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly metadata: Record<string, string>;
  readonly force: boolean;
  readonly now: string;
}

export class CreateSnapshotCommand extends Command<Appended> {
  constructor(
    readonly request: CreateSnapshotRequest,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(CreateSnapshotCommand)
export class CreateSnapshotHandler implements ICommandHandler<CreateSnapshotCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    private readonly quota: QuotaClaims,
  ) {}

  async execute({ request: r, ctx }: CreateSnapshotCommand): Promise<Appended> {
    const volume = this.catalog.getVolume(r.volumeId, itemScopeOf(ctx));
    if (!volume) throw new VolumeNotFound(r.volumeId);
    const appended = await decideAndAppend(
      this.store,
      snapshotStreamId(r.snapshotId),
      snapshotDecider,
      {
        type: 'CreateSnapshot',
        data: {
          snapshotId: r.snapshotId,
          projectId: ctx.projectId,
          userId: ctx.userId,
          name: r.name,
          description: r.description,
          metadata: r.metadata,
          force: r.force,
          volume: { id: volume.id, status: volume.status, sizeGb: volume.size },
          now: r.now,
        },
      },
      eventMetaOf(ctx),
    );
    // Then its claim on the project's quota (snapshots, gigabytes); refused, the snapshot is withdrawn: a 413.
    const position = await this.quota.claimCreation(ctx, 'snapshot', r.snapshotId, {
      projectId: ctx.projectId,
      sizeGb: volume.size,
      now: r.now,
    });
    return { id: r.snapshotId, position: position > appended.position ? position : appended.position };
  }
}
