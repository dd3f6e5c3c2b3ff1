/** What Strata keeps of a validated Keystone token (never the token itself). */
export interface ValidatedToken {
  readonly userId: string;
  readonly userName: string;
  /** Null for a domain-scoped, system-scoped or unscoped token. */
  readonly projectId: string | null;
  readonly roles: readonly string[];
  readonly expiresAt: Date;
}

export class MalformedTokenData extends Error {
  override readonly name = 'MalformedTokenData';
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The `token` object of a v3 validation (or login) answer, as keystoneauth's AccessInfoV3 reads it. */
export const readTokenBody = (body: unknown): ValidatedToken => {
  const token = (body as { token?: Record<string, unknown> } | null)?.token;
  if (!token || typeof token !== 'object') throw new MalformedTokenData('no token object');
  const user = token.user as Record<string, unknown> | undefined;
  const userId = text(user?.id);
  const expiresAt = new Date(text(token.expires_at) ?? 'invalid');
  if (!userId || Number.isNaN(expiresAt.getTime())) throw new MalformedTokenData('token without user id or expires_at');
  const roles = Array.isArray(token.roles) ? token.roles.map((r) => text((r as { name?: unknown }).name)).filter((r) => r !== null) : [];
  return {
    userId,
    userName: text(user?.name) ?? userId,
    projectId: text((token.project as { id?: unknown } | undefined)?.id),
    roles,
    expiresAt,
  };
};
