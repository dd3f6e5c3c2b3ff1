import type { KeystoneAuthtokenOptions } from '@strata/config';
import { MalformedTokenData, readTokenBody } from './keystone-token';
import { KeystoneUnavailable, type KeystoneLog } from './keystone-identity-client';

/** What a person types into the web page's login form: Keystone's password method, scoped to a project. */
export interface PasswordCredentials {
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly userDomainName: string;
  readonly projectDomainName: string;
}

/** A project-scoped token Keystone issued, and what the page shows of it. */
export interface IssuedLogin {
  readonly token: string;
  readonly expiresAt: string;
  readonly userId: string;
  readonly userName: string;
  readonly projectId: string;
  readonly projectName: string;
  readonly roles: readonly string[];
}

/** Keystone does not accept these credentials for this project (wrong password, unknown user or project, no role there). */
export class LoginRefused extends Error {
  override readonly name = 'LoginRefused';
}

const v3Url = (url: string) => {
  const trimmed = url.replace(/\/+$/, '');
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
};

/**
 * Logs a person in with Keystone's password method on behalf of the web page, which may not reach
 * Keystone itself (another origin, no CORS): `POST /v3/auth/tokens` at `www_authenticate_uri`, the
 * identity endpoint users authenticate against, bounded by `http_connect_timeout` and tried once (a
 * person can press the button again). The password goes to Keystone and nowhere else: not into what
 * this logs or throws. Keystone's answer is read as the validator reads it, so the page gets the
 * project and roles Strata will see.
 */
export class KeystonePasswordLogin {
  constructor(
    private readonly options: KeystoneAuthtokenOptions,
    private readonly log: KeystoneLog,
  ) {}

  async logIn(c: PasswordCredentials): Promise<IssuedLogin> {
    const url = `${v3Url(this.options.www_authenticate_uri)}/auth/tokens?nocatalog`;
    const body = JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: c.username, password: c.password, domain: { name: c.userDomainName } } },
        },
        scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
      },
    });
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.http_connect_timeout * 1000),
      });
      text = await res.text();
    } catch (e) {
      this.log('error', 'keystone unreachable for a password login', { url: url.split('?')[0], reason: reasonOf(e) });
      throw new KeystoneUnavailable('keystone unreachable');
    }
    // Keystone answers 401 for a wrong password, an unknown user or project and a user without a role on
    // the project; 400 and 404 for names it cannot resolve. None of these is Strata's or Keystone's fault.
    if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new LoginRefused(`keystone answered ${res.status}`);
    const token = res.headers.get('x-subject-token');
    if (res.status !== 201 || !token) {
      this.log('error', 'keystone could not log a user in', { status: res.status });
      throw new KeystoneUnavailable(`password login answered ${res.status}`);
    }
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
      const read = readTokenBody(parsed);
      const project = (parsed as { token: { project?: { name?: unknown } } }).token.project;
      if (!read.projectId) throw new MalformedTokenData('token without a project');
      return {
        token,
        expiresAt: read.expiresAt.toISOString(),
        userId: read.userId,
        userName: read.userName,
        projectId: read.projectId,
        projectName: typeof project?.name === 'string' ? project.name : c.projectName,
        roles: read.roles,
      };
    } catch (e) {
      this.log('error', 'keystone returned a login Strata cannot read', { reason: (e as Error).message });
      throw new KeystoneUnavailable('unreadable login answer');
    }
  }
}

const reasonOf = (e: unknown): string => {
  if (e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'timeout';
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  return String(cause?.code ?? cause?.message ?? (e as Error).message ?? e);
};
