import type { KeystoneAuthtokenOptions } from '@strata/config';
import type { Clock } from '../../tokens';
import { keystoneRequest, KeystoneUnavailable, passwordAuthBody, v3Url, type KeystoneLog } from './keystone-http';
import { MalformedTokenData, readTokenBody, type ValidatedToken } from './keystone-token';

/** What Keystone said of a token: its data, or that it is not (or no longer) a token. */
export type Validation = { readonly valid: true; readonly token: ValidatedToken } | { readonly valid: false };

export interface TokenValidator {
  validate(subjectToken: string, allowExpired: boolean): Promise<Validation>;
}

interface ServiceLogin {
  readonly token: string;
  readonly expiresAt: Date;
  /** The v3 identity endpoint tokens are validated at. */
  readonly identityUrl: string;
}

/** keystoneauth renews its token when it has less than this left. */
const RENEW_BEFORE_EXPIRY_MS = 30_000;

/** The identity endpoint of `interface` (and `region_name`, when set) in the service user's catalog. */
const identityEndpointOf = (body: unknown, options: KeystoneAuthtokenOptions): string | null => {
  const catalog = (body as { token?: { catalog?: unknown } }).token?.catalog;
  if (!Array.isArray(catalog)) return null;
  for (const service of catalog as { type?: unknown; endpoints?: unknown }[]) {
    if (service.type !== 'identity' || !Array.isArray(service.endpoints)) continue;
    const match = (service.endpoints as { interface?: unknown; region?: unknown; region_id?: unknown; url?: unknown }[]).find(
      (e) =>
        e.interface === options.interface &&
        typeof e.url === 'string' &&
        (!options.region_name || e.region_id === options.region_name || e.region === options.region_name),
    );
    if (match) return v3Url(match.url as string);
  }
  return null;
};

/**
 * Strata's side of keystonemiddleware's exchange with Keystone: it logs in as its own service user
 * (password method, token kept until shortly before it expires) and validates a caller's token with
 * `GET /v3/auth/tokens` (its own token in X-Auth-Token, the caller's in X-Subject-Token). Every request
 * has a deadline (`http_connect_timeout`); one that could not connect is retried `http_request_max_retries`
 * times. Tokens never appear in what it logs or throws.
 */
export class KeystoneIdentityClient implements TokenValidator {
  private login: Promise<ServiceLogin> | null = null;
  private loggedIn: ServiceLogin | null = null;

  constructor(
    private readonly options: KeystoneAuthtokenOptions,
    private readonly clock: Clock,
    private readonly log: KeystoneLog,
  ) {}

  async validate(subjectToken: string, allowExpired: boolean): Promise<Validation> {
    const first = await this.serviceLogin();
    let res = await this.validateWith(first, subjectToken, allowExpired);
    if (res.status === 401) {
      // Strata's own token was revoked or expired early: log in again once, as keystoneauth re-authenticates.
      this.forget(first);
      res = await this.validateWith(await this.serviceLogin(), subjectToken, allowExpired);
    }
    // 404: not a token (or no longer); 400: Keystone could not even read it as one.
    if (res.status === 404 || res.status === 400) return { valid: false };
    if (res.status !== 200) {
      this.log('error', 'keystone refused a token validation', { status: res.status });
      throw new KeystoneUnavailable(`token validation answered ${res.status}`);
    }
    try {
      return { valid: true, token: readTokenBody(res.body) };
    } catch (e) {
      if (!(e instanceof MalformedTokenData)) throw e;
      this.log('warn', 'keystone returned token data Strata cannot read', { reason: e.message });
      return { valid: false };
    }
  }

  private validateWith(login: ServiceLogin, subjectToken: string, allowExpired: boolean) {
    return this.request('GET', `${login.identityUrl}/auth/tokens?nocatalog${allowExpired ? '&allow_expired=1' : ''}`, {
      'X-Auth-Token': login.token,
      'X-Subject-Token': subjectToken,
    });
  }

  private forget(login: ServiceLogin) {
    if (this.loggedIn === login) this.loggedIn = null;
  }

  private async serviceLogin(): Promise<ServiceLogin> {
    const current = this.loggedIn;
    if (current && current.expiresAt.getTime() - this.clock.now().getTime() > RENEW_BEFORE_EXPIRY_MS) return current;
    // One login at a time: concurrent requests wait for the same one.
    this.login ??= this.logIn().finally(() => (this.login = null));
    return (this.loggedIn = await this.login);
  }

  private async logIn(): Promise<ServiceLogin> {
    const o = this.options;
    const res = await this.request(
      'POST',
      `${v3Url(o.auth_url)}/auth/tokens`,
      { 'Content-Type': 'application/json' },
      passwordAuthBody({
        username: o.username,
        password: o.password,
        userDomainName: o.user_domain_name,
        projectName: o.project_name,
        projectDomainName: o.project_domain_name,
      }),
    );
    const token = res.headers.get('x-subject-token');
    if (res.status !== 201 || !token) {
      this.log('error', 'keystone refused the [keystone_authtoken] credentials', { status: res.status, username: o.username });
      throw new KeystoneUnavailable(`the service user's login answered ${res.status}`);
    }
    const expiresAt = new Date((res.body as { token?: { expires_at?: string } }).token?.expires_at ?? 'invalid');
    if (Number.isNaN(expiresAt.getTime())) throw new KeystoneUnavailable('the service token has no expiry');
    return { token, expiresAt, identityUrl: identityEndpointOf(res.body, o) ?? v3Url(o.auth_url) };
  }

  private request(method: string, url: string, headers: Record<string, string>, body?: unknown) {
    return keystoneRequest(this.options, this.log, method, url, headers, body);
  }
}
