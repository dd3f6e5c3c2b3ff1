import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog, type MessageVisibility } from '@strata/catalog';
import { MessageNotFound, userMessageDecider, userMessageStreamId } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { itemScopeOf } from '../../shared/scope';

export class DeleteMessageCommand extends Command<Appended> {
  constructor(
    readonly messageId: string,
    readonly now: string,
    readonly visibility: MessageVisibility,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/** `DELETE /messages/{id}`: the caller must see the message; its deletion is one event on `message-<id>`. */
@CommandHandler(DeleteMessageCommand)
export class DeleteMessageHandler implements ICommandHandler<DeleteMessageCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
  ) {}

  async execute({ messageId, now, visibility, ctx }: DeleteMessageCommand): Promise<Appended> {
    const message = this.catalog.getMessage(messageId.toLowerCase(), itemScopeOf(ctx), visibility);
    if (!message) throw new MessageNotFound(messageId);
    const appended = await decideAndAppend(
      this.store,
      userMessageStreamId(message.id),
      userMessageDecider,
      { type: 'DeleteUserMessage', data: { messageId: message.id, now } },
      eventMetaOf(ctx),
    );
    return { id: message.id, position: appended.position };
  }
}
