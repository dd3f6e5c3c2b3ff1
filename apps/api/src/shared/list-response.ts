import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import type { ListQuery } from '../validation/list-query';
import { nextLinks } from './cinder-view';

/**
 * The body of a Cinder list: the items, `count` when asked for (with_count, from 3.45), and the next link
 * when the page is full, or, with a count, whenever the limit does not exceed it (cinder/api/common.py).
 */
export const listResponse = <Row extends { readonly id: string }, View>(
  ctx: RequestContext,
  request: { readonly path: string; readonly query: Record<string, unknown>; readonly list: ListQuery },
  collection: string,
  page: { readonly rows: readonly Row[]; readonly total: number },
  view: (row: Row) => View,
): Record<string, unknown> => {
  const withCount = request.list.withCount && atLeast(ctx.microversion, '3.45');
  const body: Record<string, unknown> = { [collection]: page.rows.map(view) };
  if (withCount) body.count = page.total;
  const itemCount = withCount ? page.total : page.rows.length;
  if (page.rows.length > 0 && request.list.limit <= itemCount)
    Object.assign(body, nextLinks(ctx, request.path, request.query, collection, page.rows[page.rows.length - 1].id));
  return body;
};
