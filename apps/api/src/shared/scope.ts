import type { RequestContext } from '../context/request-context';

/** What a caller may see: its own project, or every project for an admin who asked for all tenants. */
export interface Scope {
  readonly projectId: string;
  readonly allProjects: boolean;
}

/** Single-item reads: an admin sees every project's rows, as Cinder's admin context does. */
export const itemScopeOf = (ctx: RequestContext): Scope => ({ projectId: ctx.projectId, allProjects: ctx.isAdmin });

/** Listings: all projects only for an admin who sent all_tenants. */
export const listScopeOf = (ctx: RequestContext, allTenants: boolean): Scope => ({
  projectId: ctx.projectId,
  allProjects: ctx.isAdmin && allTenants,
});
