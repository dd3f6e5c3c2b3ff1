import type { DomainEvent } from '../decider';

/**
 * A user deleted a message (`DELETE /v3/{project}/messages/{id}`). Messages themselves are derived from
 * the failure events in the log; only their deletion is a fact of its own, so a rebuilt catalog hides
 * the same messages. Recorded on the message's stream, `message-<id>`.
 */
export type UserMessageDeleted = DomainEvent<'UserMessageDeleted', { messageId: string; deletedAt: string }>;

export type UserMessageEvent = UserMessageDeleted;

export const USER_MESSAGE_EVENT_TYPES: readonly UserMessageEvent['type'][] = ['UserMessageDeleted'];
