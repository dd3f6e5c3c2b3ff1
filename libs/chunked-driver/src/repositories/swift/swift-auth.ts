import { RepositoryAuthFailed, RepositoryUnavailable } from '../../errors';
import { isRetryableStatus, readBody, type SwiftHttp } from './swift-http';

/** Where to send object requests and the token to send with them. */
export interface SwiftSession {
  readonly storageUrl: string;
  readonly token: string;
}

/**
 * Cinder's `single_user` credentials. Version 1 is Swift's own auth (tempauth, swauth): `user` is
 * `account:user`. Versions 2 and 3 are Keystone password logins scoped to `project` (v3) or `tenant`.
 */
export interface SwiftCredentials {
  readonly authUrl: string;
  readonly authVersion: '1' | '2' | '3';
  readonly user: string;
  readonly key: string;
  readonly tenant?: string;
  readonly project?: string;
  readonly userDomain?: string;
  readonly projectDomain?: string;
  /** backup_swift_url: used instead of the storage URL the auth service returns. */
  readonly storageUrl?: string;
}

/** A fixed storage URL and token (Cinder's `per_user` connection, or a token issued elsewhere). */
export interface SwiftPreauth {
  readonly storageUrl: string;
  readonly token: string;
}

export type SwiftAuthConfig = SwiftCredentials | SwiftPreauth;

const isPreauth = (c: SwiftAuthConfig): c is SwiftPreauth => 'token' in c;

interface CatalogEndpoint {
  interface?: string;
  url?: string;
  publicURL?: string;
}
interface CatalogEntry {
  type?: string;
  endpoints?: CatalogEndpoint[];
}

const objectStoreUrl = (catalog: CatalogEntry[] | undefined, pick: (e: CatalogEndpoint) => string | undefined): string | undefined => {
  const service = catalog?.find((s) => s.type === 'object-store');
  for (const e of service?.endpoints ?? []) {
    const url = pick(e);
    if (url) return url;
  }
  return undefined;
};

/** Logs in once and keeps the session until `invalidate` (after a 401), so concurrent requests share one login. */
export class SwiftAuth {
  private session: Promise<SwiftSession> | null = null;
  private settled: SwiftSession | null = null;

  constructor(
    private readonly config: SwiftAuthConfig,
    private readonly http: SwiftHttp,
  ) {}

  current(): Promise<SwiftSession> {
    if (!this.session) {
      const attempt = this.login();
      attempt.then(
        (s) => {
          if (this.session === attempt) this.settled = s;
        },
        () => {
          if (this.session === attempt) this.session = null;
        },
      );
      this.session = attempt;
    }
    return this.session;
  }

  /** Forgets a session the cluster refused; the next request logs in again (unless another already did). */
  invalidate(refused: SwiftSession): void {
    if (this.settled === refused) {
      this.session = null;
      this.settled = null;
    }
  }

  get canRenew(): boolean {
    return !isPreauth(this.config);
  }

  private async login(): Promise<SwiftSession> {
    const c = this.config;
    if (isPreauth(c)) return { storageUrl: c.storageUrl.replace(/\/+$/, ''), token: c.token };
    const session = c.authVersion === '1' ? await this.loginV1(c) : c.authVersion === '2' ? await this.loginV2(c) : await this.loginV3(c);
    return { storageUrl: (c.storageUrl || session.storageUrl).replace(/\/+$/, ''), token: session.token };
  }

  private async loginV1(c: SwiftCredentials): Promise<SwiftSession> {
    const res = await this.http.send('GET', new URL(c.authUrl), { 'X-Auth-User': c.user, 'X-Auth-Key': c.key });
    const body = await readBody(res);
    if (res.statusCode !== 200 && res.statusCode !== 204) throw refused(c, res.statusCode, body);
    const token = res.headers['x-auth-token'] ?? res.headers['x-storage-token'];
    const storageUrl = res.headers['x-storage-url'];
    if (typeof token !== 'string' || typeof storageUrl !== 'string')
      throw new RepositoryAuthFailed(c.authUrl, 'the answer has no X-Auth-Token or X-Storage-Url');
    return { token, storageUrl };
  }

  private async loginV2(c: SwiftCredentials): Promise<SwiftSession> {
    const body = { auth: { passwordCredentials: { username: c.user, password: c.key }, tenantName: c.tenant || c.project } };
    const res = await this.http.send('POST', endpoint(c.authUrl, 'tokens'), { 'Content-Type': 'application/json' }, JSON.stringify(body));
    const text = await readBody(res);
    if (res.statusCode !== 200) throw refused(c, res.statusCode, text);
    const access = (JSON.parse(text) as { access?: { token?: { id?: string }; serviceCatalog?: CatalogEntry[] } }).access;
    const token = access?.token?.id;
    const storageUrl = c.storageUrl || objectStoreUrl(access?.serviceCatalog, (e) => e.publicURL);
    if (!token || !storageUrl) throw new RepositoryAuthFailed(c.authUrl, 'no token or no object-store endpoint in the answer');
    return { token, storageUrl };
  }

  private async loginV3(c: SwiftCredentials): Promise<SwiftSession> {
    const body = {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: c.user, domain: { name: c.userDomain || 'Default' }, password: c.key } },
        },
        scope: { project: { name: c.project || c.tenant, domain: { name: c.projectDomain || 'Default' } } },
      },
    };
    const res = await this.http.send(
      'POST',
      endpoint(c.authUrl, 'auth/tokens'),
      { 'Content-Type': 'application/json' },
      JSON.stringify(body),
    );
    const text = await readBody(res);
    if (res.statusCode !== 201 && res.statusCode !== 200) throw refused(c, res.statusCode, text);
    const token = res.headers['x-subject-token'];
    const catalog = (JSON.parse(text) as { token?: { catalog?: CatalogEntry[] } }).token?.catalog;
    const storageUrl = c.storageUrl || objectStoreUrl(catalog, (e) => (e.interface === 'public' ? e.url : undefined));
    if (typeof token !== 'string' || !storageUrl)
      throw new RepositoryAuthFailed(c.authUrl, 'no X-Subject-Token or no public object-store endpoint in the answer');
    return { token, storageUrl };
  }
}

const endpoint = (authUrl: string, path: string): URL => new URL(`${authUrl.replace(/\/+$/, '')}/${path}`);

/** A 5xx from the auth service is an outage worth retrying, not a refusal of the credentials. */
const refused = (c: SwiftCredentials, status: number | undefined, body: string): Error => {
  const detail = `HTTP ${status} for user ${c.user}${body ? `: ${body.trim().slice(0, 200)}` : ''}`;
  return isRetryableStatus(status)
    ? new RepositoryUnavailable(`Authentication at ${c.authUrl}: ${detail}`)
    : new RepositoryAuthFailed(c.authUrl, detail);
};
