/** Whose rows a caller may see: its own project, or every project (an admin who asked for all). */
export interface Scope {
  readonly projectId: string;
  readonly allProjects: boolean;
}

/** A WHERE fragment; another project's row is simply absent, never an error. */
export const scopeClause = (column: string, scope: Scope): { sql: string; params: Record<string, string> } =>
  scope.allProjects ? { sql: '1', params: {} } : { sql: `${column} = @scopeProjectId`, params: { scopeProjectId: scope.projectId } };
