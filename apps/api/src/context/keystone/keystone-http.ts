import type { KeystoneAuthtokenOptions } from '@strata/config';

/** Keystone could not answer (refused, timed out, 5xx) or refused Strata's own credentials: a 503, as keystonemiddleware's ServiceError. */
export class KeystoneUnavailable extends Error {
  override readonly name = 'KeystoneUnavailable';
}

export type KeystoneLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/** An identity URL as Keystone's v3 API root, whether or not it was configured with `/v3`. */
export const v3Url = (url: string): string => {
  const trimmed = url.replace(/\/+$/, '');
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
};

export interface PasswordScope {
  readonly username: string;
  readonly password: string;
  readonly userDomainName: string;
  readonly projectName: string;
  readonly projectDomainName: string;
}

/** The body of `POST /v3/auth/tokens` with the password method, scoped to a project. */
export const passwordAuthBody = (c: PasswordScope) => ({
  auth: {
    identity: {
      methods: ['password'],
      password: { user: { name: c.username, password: c.password, domain: { name: c.userDomainName } } },
    },
    scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
  },
});

export interface KeystoneAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body; null when there is none or it is not JSON. */
  readonly body: unknown;
}

/**
 * One request to Keystone with a deadline (`http_connect_timeout`); one that could not connect is retried
 * `http_request_max_retries` times. Its body and headers never reach what it logs or throws.
 */
export const keystoneRequest = async (
  options: KeystoneAuthtokenOptions,
  log: KeystoneLog,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<KeystoneAnswer> => {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, {
        method,
        headers: { Accept: 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.http_connect_timeout * 1000),
      });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      return { status: res.status, headers: res.headers, body: parsed };
    } catch (e) {
      const reason = describeNetworkError(e);
      // A timeout is not retried (keystoneauth retries failures to connect only): it would multiply the wait.
      if (reason === 'timeout' || attempt >= options.http_request_max_retries) {
        log('error', 'keystone unreachable', { method, url: url.split('?')[0], reason, attempts: attempt + 1 });
        throw new KeystoneUnavailable(`keystone unreachable: ${reason}`);
      }
      await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 4000)));
    }
  }
};

const describeNetworkError = (e: unknown): string => {
  if (e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'timeout';
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  return String(cause?.code ?? cause?.message ?? (e as Error).message ?? e);
};
