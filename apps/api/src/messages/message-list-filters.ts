import type { MessageListFilters } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';

/** Cinder's resource_filters.json default for messages: what a non-admin may filter on. */
export const MESSAGE_USER_FILTERS = ['resource_uuid', 'resource_type', 'event_id', 'request_id', 'message_level'];
/** The Message columns an admin may filter on as well (Cinder lets an admin filter on any column). */
const ADMIN_FILTERS = [...MESSAGE_USER_FILTERS, 'id', 'project_id', 'action_id', 'detail_id', 'created_at'];

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The list's query filters as Cinder's messages API reads them (3.5+): a non-admin's key outside the
 * resource filters is refused from 3.31 (`all_tenants` excepted, which Cinder drops for cinderclient's
 * sake) and matches nothing before; `key~` is a substring match (LIKE), which the default filters grant
 * to no key, so admins only. An admin's key that names no column of a message matches nothing, as in Cinder.
 * Returns null for a list that can match nothing.
 */
export const messageListFilters = (ctx: RequestContext, raw: Readonly<Record<string, string>>): MessageListFilters | null => {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const like = key.endsWith('~');
    const base = like ? key.slice(0, -1) : key;
    if (ctx.isAdmin) {
      if (key === 'all_tenants') continue;
      if (!ADMIN_FILTERS.includes(base)) return null;
    } else if (!MESSAGE_USER_FILTERS.includes(key)) {
      if (key === 'all_tenants') continue;
      if (atLeast(ctx.microversion, '3.31')) throw HttpFault.badRequest(`Invalid filters ${key} are found in query options.`);
      return null;
    }
    out[like ? `${camel(base)}Like` : camel(base)] = value;
  }
  return out as MessageListFilters;
};
