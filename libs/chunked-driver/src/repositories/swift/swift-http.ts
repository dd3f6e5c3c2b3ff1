import * as http from 'node:http';
import * as https from 'node:https';
import { RepositoryUnavailable } from '../../errors';

/** Cinder's backup_swift_retry_attempts / backup_swift_retry_backoff: retries after the first try, first wait in seconds (doubling). */
export interface RetryPolicy {
  readonly attempts: number;
  readonly backoffSeconds: number;
}

const MAX_BACKOFF_SECONDS = 64;

/** The wait before retry `n` (1-based): backoff, doubled each time, capped as swiftclient caps it. */
export const retryDelayMs = (policy: RetryPolicy, n: number): number =>
  Math.min(policy.backoffSeconds * 2 ** (n - 1), MAX_BACKOFF_SECONDS) * 1000;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const RETRYABLE_STATUS = new Set([408, 429, 498]);
export const isRetryableStatus = (status: number | undefined): boolean =>
  status !== undefined && (status >= 500 || RETRYABLE_STATUS.has(status));

/** A connection that failed or dropped (as opposed to an answer we did not like). */
export const isConnectionError = (e: unknown): boolean => {
  if (e instanceof RepositoryUnavailable) return true;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return (
    (typeof code === 'string' &&
      /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ERR_STREAM_PREMATURE_CLOSE|UND_ERR_SOCKET)$/.test(
        code,
      )) ||
    /socket hang up|aborted/i.test((e as Error | null)?.message ?? '')
  );
};

export const readBody = async (res: http.IncomingMessage, limit = 64 * 1024): Promise<string> => {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    size += (c as Buffer).length;
    if (size <= limit) parts.push(c as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
};

/** One HTTP exchange at a time, on keep-alive connections; an idle connection for `timeoutMs` is dropped. */
export class SwiftHttp {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
  };

  constructor(private readonly timeoutMs: number) {}

  /** Starts a request; the caller writes the body (or not) and ends it. */
  open(method: string, url: URL, headers: http.OutgoingHttpHeaders): http.ClientRequest {
    const mod = url.protocol === 'https:' ? https : http;
    const agent = this.agents[url.protocol as 'http:' | 'https:'];
    if (!agent) throw new RepositoryUnavailable(`unsupported URL scheme in ${url.href}`);
    const req = mod.request(url, { method, headers, agent });
    req.setTimeout(this.timeoutMs, () =>
      req.destroy(new RepositoryUnavailable(`${method} ${url.href}: no answer for ${this.timeoutMs} ms`)),
    );
    return req;
  }

  /** A complete request with an optional small body; resolves with the response, body unread. */
  send(method: string, url: URL, headers: http.OutgoingHttpHeaders, body?: string): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.open(method, url, body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) });
      req.once('response', resolve);
      req.once('error', reject);
      req.end(body);
    });
  }

  close(): void {
    for (const a of Object.values(this.agents)) a.destroy();
  }
}
