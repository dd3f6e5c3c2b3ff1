import { readFileSync } from 'node:fs';
import { HttpFault } from '../errors/cinder-fault';

export interface Identity {
  readonly userId: string;
  readonly projectId: string;
  readonly roles: readonly string[];
}

/** The request headers an authenticator may read: X-Auth-Token, X-Service-Token, X-User-Id, X-Project-Id. */
export interface AuthHeaders {
  readonly token?: string;
  readonly serviceToken?: string;
  readonly userId?: string;
  readonly projectId?: string;
}

export interface Authenticator {
  /** The caller's identity, or a rejection (an HttpFault, or a KeystoneRejection with its own body). */
  authenticate(headers: AuthHeaders): Identity | Promise<Identity>;
}

/** Python's str.partition, in which Cinder's rule is written: everything after the first separator. */
const splitOnce = (text: string, sep: string): [string, string] => {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + sep.length)];
};

/**
 * Cinder's NoAuthMiddleware rule, so both CLIs work unchanged: the token is `user:project`
 * (`notused` from `openstack --os-auth-type none` gives user = project = notused), and everyone is admin.
 * With a token, the token alone says who the caller is: Cinder ignores `X-User-Id` and `X-Project-Id`
 * (cinderclient's noauth plugin sends them equal to the token's), so a header naming another project
 * cannot make a URL of that project pass as the caller's. Without a token the headers, else `admin`.
 */
export const noAuth: Authenticator = {
  authenticate({ token, userId, projectId }) {
    if (token) {
      const [user, project] = splitOnce(token, ':');
      return { userId: user, projectId: project || user, roles: ['admin', 'member', 'reader'] };
    }
    const u = userId || 'admin';
    return { userId: u, projectId: projectId || u, roles: ['admin', 'member', 'reader'] };
  },
};

/** `auth_strategy = tokens`: a JSON file `{"tokens": {"<token>": {"user_id", "project_id", "roles": [...]}}}`. */
export const tokenFileAuth = (path: string): Authenticator => {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as {
    tokens?: Record<string, { user_id: string; project_id: string; roles?: string[] }>;
  };
  const tokens = new Map(Object.entries(parsed.tokens ?? {}));
  return {
    authenticate({ token }) {
      const entry = token ? tokens.get(token) : undefined;
      if (!entry) throw new HttpFault(401, 'The request you have made requires authentication.');
      return { userId: entry.user_id, projectId: entry.project_id, roles: entry.roles ?? ['member', 'reader'] };
    },
  };
};
