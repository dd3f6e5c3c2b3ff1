import type { KeystoneAuthtokenOptions } from '@strata/config';
import type { Clock } from '../../tokens';
import type { AuthHeaders, Authenticator, Identity } from '../authenticator';
import { HttpFault } from '../../errors/cinder-fault';
import { KeystoneRejection } from './keystone-rejection';
import { KeystoneUnavailable } from './keystone-http';
import type { TokenValidator } from './keystone-identity-client';
import type { ValidatedToken } from './keystone-token';
import { TokenCache } from './token-cache';

/** Keystone's tokens are a few hundred characters; anything longer is refused without asking it. */
const MAX_TOKEN_LENGTH = 8192;

/**
 * `auth_strategy = keystone`: keystonemiddleware's auth_token in front of Cinder. The caller's
 * X-Auth-Token is validated with Keystone (or found in the cache) and its user, project and roles become
 * the request's identity; a missing, invalid, expired or revoked token is a 401 naming
 * `www_authenticate_uri`. An X-Service-Token is validated too: an invalid one is a 401, and one with a role
 * in `service_token_roles` lets an expired user token through (Nova's long operations need that). When
 * Keystone cannot be reached, tokens in the cache still work and the others are answered 503.
 */
export class KeystoneAuthenticator implements Authenticator {
  private readonly cache: TokenCache;

  constructor(
    private readonly options: KeystoneAuthtokenOptions,
    private readonly keystone: TokenValidator,
    private readonly clock: Clock,
  ) {
    this.cache = new TokenCache(options.token_cache_time);
  }

  async authenticate({ token, serviceToken }: AuthHeaders): Promise<Identity> {
    let allowExpired = false;
    if (serviceToken?.trim()) {
      const service = await this.check(serviceToken.trim(), false);
      if (!service) throw this.unauthorized();
      const hasServiceRole = service.roles.some((r) => this.options.service_token_roles.includes(r));
      if (this.options.service_token_roles_required && !hasServiceRole) throw this.unauthorized();
      allowExpired = hasServiceRole;
    }
    const user = token?.trim() ? await this.check(token.trim(), allowExpired) : null;
    if (!user) throw this.unauthorized();
    // Cinder keys everything by project; a domain- or system-scoped token names none.
    if (!user.projectId) throw new HttpFault(403, 'Strata needs a token scoped to a project.');
    return { userId: user.userId, projectId: user.projectId, roles: user.roles };
  }

  /** The token's data when it is valid now (or expired, when allowed), else null. */
  private async check(token: string, allowExpired: boolean): Promise<ValidatedToken | null> {
    if (token.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) return null;
    const now = this.clock.now();
    let data = this.cache.get(token, now);
    if (!data) {
      const answer = await this.keystone.validate(token, allowExpired).catch((e: unknown) => {
        throw e instanceof KeystoneUnavailable ? KeystoneRejection.keystoneUnavailable() : e;
      });
      if (!answer.valid) return null;
      data = answer.token;
      this.cache.set(token, data, now);
    }
    // A cached token is believed until it expires, never after (keystonemiddleware's will_expire_soon(0)).
    if (!allowExpired && data.expiresAt.getTime() <= now.getTime()) return null;
    return data;
  }

  private unauthorized() {
    return KeystoneRejection.unauthorized(this.options.www_authenticate_uri);
  }
}
