import type { KeystoneAuthtokenOptions } from '@strata/config';
import { keystoneRequest, KeystoneUnavailable, passwordAuthBody, v3Url, type KeystoneLog, type PasswordScope } from './keystone-http';
import { MalformedTokenData, readTokenBody } from './keystone-token';

/** What a person types into the web page's login form: Keystone's password method, scoped to a project. */
export type PasswordCredentials = PasswordScope;

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

/**
 * Logs a person in with Keystone's password method on behalf of the web page, which may not reach
 * Keystone itself (another origin, no CORS): `POST /v3/auth/tokens` at `www_authenticate_uri`, the
 * identity endpoint users authenticate against, with the deadline and retries of every request to
 * Keystone (`keystoneRequest`). The password goes to Keystone and nowhere else: not into what
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
    const res = await keystoneRequest(this.options, this.log, 'POST', url, { 'Content-Type': 'application/json' }, passwordAuthBody(c));
    // Keystone answers 401 for a wrong password, an unknown user or project and a user without a role on
    // the project; 400 and 404 for names it cannot resolve. None of these is Strata's or Keystone's fault.
    if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new LoginRefused(`keystone answered ${res.status}`);
    const token = res.headers.get('x-subject-token');
    if (res.status !== 201 || !token) {
      this.log('error', 'keystone could not log a user in', { status: res.status });
      throw new KeystoneUnavailable(`password login answered ${res.status}`);
    }
    try {
      const read = readTokenBody(res.body);
      const project = (res.body as { token: { project?: { name?: unknown } } }).token.project;
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
