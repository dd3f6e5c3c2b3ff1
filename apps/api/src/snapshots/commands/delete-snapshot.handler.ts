import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { snapshotDecider, SnapshotNotFound, snapshotStreamId } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { itemScopeOf } from '../../shared/scope';

export class DeleteSnapshotCommand extends Command<Appended> {
  constructor(
    readonly snapshotId: string,
    readonly now: string,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(DeleteSnapshotCommand)
export class DeleteSnapshotHandler implements ICommandHandler<DeleteSnapshotCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
  ) {}

  async execute({ snapshotId, now, ctx }: DeleteSnapshotCommand): Promise<Appended> {
    const snapshot = this.catalog.getSnapshot(snapshotId, itemScopeOf(ctx));
    if (!snapshot) throw new SnapshotNotFound(snapshotId);
    const appended = await decideAndAppend(
      this.store,
      snapshotStreamId(snapshot.id),
      snapshotDecider,
      { type: 'RequestSnapshotDeletion', data: { snapshotId: snapshot.id, now } },
      eventMetaOf(ctx),
    );
    return { id: snapshot.id, position: appended.position };
  }
}
