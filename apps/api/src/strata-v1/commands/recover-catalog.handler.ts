import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { recoverRepository, type RecoveryReport } from '@strata/recovery';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf } from '../../shared/event-meta';

export class RecoverCatalogCommand extends Command<RecoveryReport> {
  constructor(
    readonly path: string | null,
    readonly projectId: string | null,
    readonly now: string,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/** Scans the repository and records the backups the log lacks; recovered backups belong to the given or the caller's project. */
@CommandHandler(RecoverCatalogCommand)
export class RecoverCatalogHandler implements ICommandHandler<RecoverCatalogCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  execute({ path, projectId, now, ctx }: RecoverCatalogCommand): Promise<RecoveryReport> {
    return recoverRepository(this.store, this.options, {
      path,
      projectId: projectId ?? ctx.projectId,
      userId: ctx.userId,
      meta: eventMetaOf(ctx),
      now,
    });
  }
}
