import type { VerbContext } from './verb-kit';

/** The query string of a list verb: `--name`, `--status`, `--all-projects` as openstack sends them. */
export const listQuery = (ctx: VerbContext): URLSearchParams => {
  const q = new URLSearchParams();
  if (typeof ctx.flags.name === 'string') q.set('name', ctx.flags.name);
  if (typeof ctx.flags.status === 'string') q.set('status', ctx.flags.status);
  if (ctx.flags['all-projects']) q.set('all_tenants', 'True');
  return q;
};

/** `?a=b` or nothing. */
export const queryString = (q: URLSearchParams) => (q.size > 0 ? `?${q}` : '');
