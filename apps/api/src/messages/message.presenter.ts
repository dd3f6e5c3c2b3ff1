import type { MessageRow } from '@strata/catalog';
import { userMessageText } from '@strata/domain';
import type { RequestContext } from '../context/request-context';
import { cinderTime, linksOf } from '../shared/cinder-view';

/** `created_at` plus `message_ttl`: Cinder's `expires_at`, shown as `guaranteed_until`. */
export const expiresAt = (createdAt: string, ttlSeconds: number): string =>
  new Date(Date.parse(createdAt) + ttlSeconds * 1000).toISOString();

/** Cinder's message view (cinder/api/v3/views/messages.py), with its `user_message` "<action>:<detail>". */
export const messageView = (ctx: RequestContext, m: MessageRow, ttlSeconds: number) => ({
  id: m.id,
  event_id: m.eventId,
  user_message: userMessageText(m.actionId, m.detailId),
  message_level: m.messageLevel,
  created_at: cinderTime(m.createdAt),
  guaranteed_until: cinderTime(expiresAt(m.createdAt, ttlSeconds)),
  request_id: m.requestId,
  links: linksOf(ctx, 'messages', m.id),
  resource_type: m.resourceType,
  resource_uuid: m.resourceUuid,
});
