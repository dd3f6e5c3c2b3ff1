import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  quotaClassDecider,
  quotaClassStreamId,
  quotaDecider,
  quotaStreamId,
  type QuotaCommand,
  type UpdateQuotaClassLimits,
} from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf } from '../../shared/event-meta';
import type { Positioned } from '../../shared/commands';

/** A change of limits: a project's own (update, reset) or a quota class's. */
export class ChangeQuotaCommand extends Command<Positioned> {
  constructor(
    readonly change: Extract<QuotaCommand, { type: 'UpdateQuotaLimits' | 'ResetQuotaLimits' }> | UpdateQuotaClassLimits,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/**
 * Decided on the project's quota stream, where its claims are: a new limit is checked against the usage
 * at the revision it is appended at, so no claim can slip in between the check and the change.
 */
@CommandHandler(ChangeQuotaCommand)
export class ChangeQuotaHandler implements ICommandHandler<ChangeQuotaCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ change, ctx }: ChangeQuotaCommand): Promise<Positioned> {
    const meta = eventMetaOf(ctx);
    const appended =
      change.type === 'UpdateQuotaClassLimits'
        ? await decideAndAppend(this.store, quotaClassStreamId(change.data.className), quotaClassDecider, change, meta)
        : await decideAndAppend(this.store, quotaStreamId(change.data.projectId), quotaDecider, change, meta, { maxRetries: 100 });
    return { position: appended.position };
  }
}
