import type { CatalogDatabase } from '../schema/catalog-database';
import { listPage, type ListSpec, type Page, type PageRequest } from './list-page';
import { prepared } from './prepared';
import { scopeClause, type Scope } from './scope';
import { MESSAGE_SELECT, toMessageRow, type MessageRow, type MessageVisibility } from './message-row';

/** Cinder's Message columns a list filters and sorts on (`expires_at` orders as `created_at` does). */
export const MESSAGE_COLUMNS = {
  id: 'm.id',
  projectId: 'm.project_id',
  requestId: 'm.request_id',
  resourceType: 'm.resource_type',
  resourceUuid: 'm.resource_uuid',
  eventId: 'm.event_id',
  actionId: 'm.action_id',
  detailId: 'm.detail_id',
  messageLevel: 'm.message_level',
  createdAt: 'm.created_at',
} as const;

export type MessageListFilters = { readonly [K in keyof typeof MESSAGE_COLUMNS]?: string } & {
  readonly [K in keyof typeof MESSAGE_COLUMNS as `${K}Like`]?: string;
};

export const MESSAGE_SORT_KEYS = [
  'id',
  'project_id',
  'request_id',
  'resource_type',
  'resource_uuid',
  'event_id',
  'action_id',
  'detail_id',
  'message_level',
  'created_at',
  'expires_at',
] as const;

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const spec: ListSpec<MessageRow> = {
  entity: 'message',
  select: MESSAGE_SELECT,
  from: 'messages m',
  id: 'm.id',
  visible: 'm.deleted_at IS NULL',
  projectColumn: 'm.project_id',
  sortColumns: {
    ...Object.fromEntries(Object.entries(MESSAGE_COLUMNS).map(([key, column]) => [snake(key), column])),
    expires_at: 'm.created_at',
  },
  filterColumns: MESSAGE_COLUMNS,
  toRow: toMessageRow,
};

export interface ListMessagesRequest extends PageRequest {
  readonly filters?: MessageListFilters;
  readonly visibility: MessageVisibility;
}

const unexpired = (visibility: MessageVisibility) => ({ sql: 'm.created_at >= @createdSince', params: { ...visibility } });

export const listMessages = (db: CatalogDatabase, { filters = {}, visibility, ...page }: ListMessagesRequest): Page<MessageRow> =>
  listPage(db, spec, filters, page, [unexpired(visibility)]);

/** One message the caller may see (not deleted, not expired), or null. */
export const getMessage = (db: CatalogDatabase, id: string, scope: Scope, visibility: MessageVisibility): MessageRow | null => {
  const scoped = scopeClause('m.project_id', scope);
  const row = prepared(
    db,
    `${MESSAGE_SELECT} WHERE m.id = @id AND m.deleted_at IS NULL AND m.created_at >= @createdSince AND ${scoped.sql}`,
  ).get({
    id,
    createdSince: visibility.createdSince,
    ...scoped.params,
  }) as Record<string, unknown> | undefined;
  return row ? toMessageRow(row) : null;
};
