import { createHash } from 'node:crypto';
import type { ValidatedToken } from './keystone-token';

/**
 * Validated tokens, believed until the earlier of their expiry and `token_cache_time` seconds after
 * validation (keystonemiddleware's in-process cache). Keyed by a SHA-256 of the token, so the tokens
 * themselves are not kept; the oldest entry goes when `capacity` is reached.
 */
export class TokenCache {
  private readonly entries = new Map<string, { token: ValidatedToken; until: number }>();

  constructor(
    /** Seconds; 0 or -1 keeps nothing. */
    private readonly cacheTimeSeconds: number,
    private readonly capacity = 10_000,
  ) {}

  get(token: string, now: Date): ValidatedToken | undefined {
    const key = keyOf(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now.getTime() >= entry.until) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.token;
  }

  set(token: string, validated: ValidatedToken, now: Date): void {
    if (this.cacheTimeSeconds <= 0) return;
    const until = Math.min(validated.expiresAt.getTime(), now.getTime() + this.cacheTimeSeconds * 1000);
    if (until <= now.getTime()) return;
    const key = keyOf(token);
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { token: validated, until });
  }

  get size(): number {
    return this.entries.size;
  }
}

const keyOf = (token: string) => createHash('sha256').update(token).digest('hex');
