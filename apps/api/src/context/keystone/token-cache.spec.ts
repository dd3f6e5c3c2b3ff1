import type { ValidatedToken } from './keystone-token';
import { TokenCache } from './token-cache';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const token = (expiresAtSecond: number): ValidatedToken => ({
  userId: 'u',
  userName: 'alice',
  projectId: 'p',
  roles: ['member'],
  expiresAt: at(expiresAtSecond),
});

describe('TokenCache', () => {
  it('keeps a token for token_cache_time when it expires later', () => {
    const cache = new TokenCache(10);
    cache.set('t', token(3600), at(0));
    expect(cache.get('t', at(9))).toEqual(token(3600));
    expect(cache.get('t', at(10))).toBeUndefined();
  });

  it('keeps a token only until it expires when that comes first', () => {
    const cache = new TokenCache(300);
    cache.set('t', token(5), at(0));
    expect(cache.get('t', at(4))).toBeDefined();
    expect(cache.get('t', at(5))).toBeUndefined();
  });

  it.each([0, -1])('keeps nothing when token_cache_time is %s', (seconds) => {
    const cache = new TokenCache(seconds);
    cache.set('t', token(3600), at(0));
    expect(cache.get('t', at(0))).toBeUndefined();
  });

  it('drops the oldest entry at capacity', () => {
    const cache = new TokenCache(300, 2);
    cache.set('a', token(3600), at(0));
    cache.set('b', token(3600), at(0));
    cache.set('c', token(3600), at(0));
    expect([cache.get('a', at(1)), cache.get('b', at(1)), cache.get('c', at(1))].map(Boolean)).toEqual([false, true, true]);
    expect(cache.size).toBe(2);
  });

  it('does not keep the token text itself', () => {
    const cache = new TokenCache(300);
    cache.set('gAAAAAB-secret-token', token(3600), at(0));
    expect(JSON.stringify([...(cache as unknown as { entries: Map<string, unknown> }).entries.keys()])).not.toContain('secret');
  });
});
