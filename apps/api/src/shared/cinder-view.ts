import type { RequestContext } from '../context/request-context';

/** Cinder's response time format: `%Y-%m-%dT%H:%M:%S.%f`, UTC without a zone suffix. */
export const cinderTime = (iso: string | null | undefined): string | null => {
  if (!iso) return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(iso);
  if (!m) return iso;
  return `${m[1]}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}`;
};

/** Self and bookmark links; the project appears only if the request URL carried it. */
export const linksOf = (ctx: RequestContext, collection: string, id: string) => {
  const project = ctx.urlProjectId ? `/${ctx.urlProjectId}` : '';
  return [
    { rel: 'self', href: `${ctx.baseUrl}/v3${project}/${collection}/${id}` },
    { rel: 'bookmark', href: `${ctx.baseUrl}${project}/${collection}/${id}` },
  ];
};

/** The `<collection>_links` next link: the original query with the last id as marker. */
export const nextLinks = (ctx: RequestContext, path: string, query: Record<string, unknown>, collection: string, lastId: string) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (k !== 'marker' && v !== undefined) params.append(k, String(v));
  params.append('marker', lastId);
  return { [`${collection}_links`]: [{ rel: 'next', href: `${ctx.baseUrl}${path}?${params.toString()}` }] };
};
