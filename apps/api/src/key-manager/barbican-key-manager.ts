import type { BarbicanOptions } from '@strata/config';
import { KeyManagerError, type KeyManager, type KeySpec } from './key-manager';

/** How often an order still PENDING is looked at again (with [queue] enable = false it is ACTIVE at once). */
const ORDER_POLLS = 20;

/**
 * Keys as Barbican secrets, through Barbican's v1 API with the caller's Keystone token, as castellan's
 * barbican key manager makes them for Cinder: a key is an order of type `key` (Barbican generates the
 * bytes), a clone is the original's payload stored as a new symmetric secret, and a key id is the
 * secret's UUID. The bytes of a clone pass through Strata's memory only (32 or 64 bytes), never to a log.
 */
export class BarbicanKeyManager implements KeyManager {
  constructor(private readonly options: BarbicanOptions) {}

  private get root() {
    return `${this.options.barbican_endpoint.replace(/\/+$/, '')}/${this.options.barbican_api_version}`;
  }

  async createKey(token: string, spec: KeySpec): Promise<string> {
    const meta: Record<string, unknown> = {
      name: spec.name,
      algorithm: spec.algorithm,
      bit_length: spec.bitLength,
      payload_content_type: 'application/octet-stream',
    };
    if (spec.mode) meta.mode = spec.mode;
    const ordered = await this.json(token, 'POST', `${this.root}/orders`, { type: 'key', meta }, 202);
    const orderRef = String((ordered as { order_ref?: unknown }).order_ref ?? '');
    for (let i = 0; i < ORDER_POLLS; i++) {
      const order = (await this.json(token, 'GET', orderRef, undefined, 200)) as { status?: string; secret_ref?: string };
      if (order.status === 'ACTIVE' && order.secret_ref) return idOf(order.secret_ref);
      if (order.status === 'ERROR') throw new KeyManagerError(400, 'Barbican could not generate the key.');
      await new Promise((r) => setTimeout(r, 100 * (i + 1)));
    }
    throw new KeyManagerError(503, 'Barbican did not complete the key order in time.');
  }

  async cloneKey(token: string, keyId: string): Promise<string> {
    const secret = `${this.root}/secrets/${encodeURIComponent(keyId)}`;
    const meta = (await this.json(token, 'GET', secret, undefined, 200)) as Record<string, unknown>;
    const res = await this.send(token, 'GET', `${secret}/payload`, undefined, { Accept: 'application/octet-stream' });
    if (res.status !== 200) throw this.refusal(res.status, `reading key ${keyId}`);
    const payload = Buffer.from(await res.arrayBuffer()).toString('base64');
    // Barbican's schema refuses nulls: only the attributes the original has are given to the clone.
    const attributes = Object.fromEntries(
      ['name', 'algorithm', 'bit_length', 'mode'].filter((k) => meta[k] !== null && meta[k] !== undefined).map((k) => [k, meta[k]]),
    );
    const stored = await this.json(
      token,
      'POST',
      `${this.root}/secrets`,
      {
        ...attributes,
        secret_type: meta.secret_type ?? 'symmetric',
        payload,
        payload_content_type: 'application/octet-stream',
        payload_content_encoding: 'base64',
      },
      201,
    );
    return idOf(String((stored as { secret_ref?: unknown }).secret_ref ?? ''));
  }

  async deleteKey(token: string, keyId: string): Promise<void> {
    const res = await this.send(token, 'DELETE', `${this.root}/secrets/${encodeURIComponent(keyId)}`);
    await res.arrayBuffer();
    if (res.status !== 204 && res.status !== 404) throw this.refusal(res.status, `deleting key ${keyId}`);
  }

  private async json(token: string, method: string, url: string, body: unknown, expected: number): Promise<unknown> {
    const res = await this.send(token, method, url, body);
    const text = await res.text();
    if (res.status !== expected) throw this.refusal(res.status, `${method} ${url.replace(this.root, '')}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new KeyManagerError(503, `Barbican answered ${method} ${url.replace(this.root, '')} with something other than JSON.`);
    }
  }

  private async send(token: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    if (!url.startsWith(this.root)) throw new KeyManagerError(503, 'Barbican pointed outside its own endpoint.');
    try {
      return await fetch(url, {
        method,
        headers: {
          'X-Auth-Token': token,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.barbican_timeout * 1000),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw new KeyManagerError(503, `The key manager is unavailable (${cause}).`);
    }
  }

  private refusal(status: number, what: string) {
    if (status === 401 || status === 403) return new KeyManagerError(403, `The key manager refused ${what} for this user.`);
    if (status === 404) return new KeyManagerError(400, `The key manager has no such key (${what}).`);
    return new KeyManagerError(503, `The key manager answered ${status} to ${what}.`);
  }
}

const idOf = (ref: string) => {
  const id = ref.replace(/\/+$/, '').split('/').pop() ?? '';
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new KeyManagerError(503, 'Barbican returned a secret reference without an id.');
  return id;
};
