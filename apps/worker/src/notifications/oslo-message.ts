import { osloTimestamp, type EventMeta, type UsageNotification } from '@strata/domain';
import { deterministicEventId } from '@strata/event-store';

/** One notification as oslo.messaging's `messagingv2` driver puts it on the wire. */
export interface OsloMessage {
  readonly messageId: string;
  /** oslo's priority in lower case: the routing key is `<topic>.<priority>`. */
  readonly priority: 'info';
  /** The AMQP body: `{"oslo.version": "2.0", "oslo.message": "<the message as a JSON string>"}`. */
  readonly body: string;
}

export interface OsloMessageSource {
  /** The id of the event the notification comes from, and its place among that event's notifications. */
  readonly eventId: string;
  readonly index: number;
  /** When the store recorded the event: the notification's timestamp, the same on every resend. */
  readonly recordedAt: string;
  readonly meta: EventMeta;
  readonly host: string;
}

/**
 * The `message_id` of the `index`-th notification of an event: a name-based UUID, so a notification
 * sent again after a crash or an outage carries the id it had, and a consumer can drop the second copy.
 */
export const notificationMessageId = (eventId: string, index: number): string => deterministicEventId(`notification:${eventId}`, index);

/**
 * The oslo message: `message_id`, `publisher_id` (`backup.<host>`…), `event_type`, `priority`, `payload`,
 * `timestamp`; `_unique_id` (oslo's listener drops a message whose id it just saw) and the request
 * context as `_context_*` keys, as oslo serialises Cinder's RequestContext.
 */
export const osloMessage = (n: UsageNotification, source: OsloMessageSource): OsloMessage => {
  const messageId = notificationMessageId(source.eventId, source.index);
  const message = {
    message_id: messageId,
    publisher_id: `${n.service}.${source.host}`,
    event_type: n.eventType,
    priority: 'INFO',
    payload: n.payload,
    timestamp: osloTimestamp(source.recordedAt),
    _unique_id: messageId.replace(/-/g, ''),
    _context_request_id: source.meta.requestId,
    _context_project_id: source.meta.projectId,
    _context_user_id: source.meta.userId,
  };
  return { messageId, priority: 'info', body: JSON.stringify({ 'oslo.version': '2.0', 'oslo.message': JSON.stringify(message) }) };
};
