import type { Decider, DomainCommand } from '../decider';
import { DomainError } from '../errors';
import { checkedDecider } from '../schema/checked-decider';
import type { UserMessageEvent } from './user-message.events';

/** Cinder's MessageNotFound, a 404. */
export class MessageNotFound extends DomainError {
  override readonly name = 'MessageNotFound';
  readonly kind = 'not_found';
  constructor(readonly messageId: string) {
    super(`Message ${messageId} could not be found.`);
  }
}

/** The caller has found the message in the catalog, visible to it; the stream says whether it was deleted since. */
export type DeleteUserMessage = DomainCommand<'DeleteUserMessage', { messageId: string; now: string }>;
export type UserMessageCommand = DeleteUserMessage;

export interface UserMessageState {
  readonly deleted: boolean;
}

export const decideUserMessage = (command: UserMessageCommand, state: UserMessageState): UserMessageEvent[] => {
  // A second delete of the same message is Cinder's 404: the message is gone.
  if (state.deleted) throw new MessageNotFound(command.data.messageId);
  return [{ type: 'UserMessageDeleted', data: { messageId: command.data.messageId, deletedAt: command.data.now } }];
};

export const userMessageDecider: Decider<UserMessageCommand, UserMessageState, UserMessageEvent> = checkedDecider({
  decide: decideUserMessage,
  evolve: (state: UserMessageState, event: UserMessageEvent): UserMessageState =>
    event.type === 'UserMessageDeleted' ? { deleted: true } : state,
  initialState: () => ({ deleted: false }),
});
