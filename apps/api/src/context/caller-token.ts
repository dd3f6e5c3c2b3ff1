import type { RequestContext } from './request-context';

/**
 * The caller's Keystone token, for calls Strata makes on the caller's behalf (Barbican). Kept beside the
 * request context rather than in it, so that nothing that copies, logs or records a context can carry it.
 */
const TOKENS = new WeakMap<RequestContext, string>();

export const attachCallerToken = (ctx: RequestContext, token: string) => void TOKENS.set(ctx, token);

export const callerTokenOf = (ctx: RequestContext): string | undefined => TOKENS.get(ctx);
