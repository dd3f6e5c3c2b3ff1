import { BarbicanKeyManager } from '../../apps/api/src/key-manager/barbican-key-manager';
import { KeyManagerError } from '../../apps/api/src/key-manager/key-manager';
import { BARBICAN_URL, payloadOf, startBarbican } from '../support/barbican';
import { issueToken, startKeystone, USERS } from '../support/keystone';

/**
 * The key manager port on the real Barbican of scripts/barbican.sh, with the callers' Keystone tokens:
 * what Cinder's key handling around backups needs (create, clone, delete) and whose keys a caller may touch.
 */
const keys = new BarbicanKeyManager({ barbican_endpoint: BARBICAN_URL, barbican_api_version: 'v1', barbican_timeout: 10 });
let alice: string, bob: string, carol: string;

const refusalOf = async (p: Promise<unknown>): Promise<KeyManagerError> => {
  const outcome = await p.then(
    (v) => v,
    (e: unknown) => e,
  );
  if (!(outcome instanceof KeyManagerError)) throw new Error(`expected a KeyManagerError, got ${String(outcome)}`);
  return outcome;
};

beforeAll(async () => {
  startKeystone();
  startBarbican();
  [alice, bob, carol] = (await Promise.all([issueToken(USERS.alice), issueToken(USERS.bob), issueToken(USERS.carol)])).map((t) => t.token);
}, 240_000);

it('creates a key Barbican generated, of the asked length, owned by the caller', async () => {
  const id = await keys.createKey(alice, { name: 'volume-key', algorithm: 'aes', bitLength: 256, mode: 'xts' });
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const read = await payloadOf(alice, id);
  expect(read.status).toBe(200);
  expect(read.bytes.length).toBe(32);
});

it('clones a key: a new id with the same bytes', async () => {
  const original = await keys.createKey(alice, { name: 'k', algorithm: 'aes', bitLength: 512, mode: 'xts' });
  const clone = await keys.cloneKey(alice, original);
  expect(clone).not.toBe(original);
  expect((await payloadOf(alice, clone)).bytes).toEqual((await payloadOf(alice, original)).bytes);
});

it('clones a key made without a mode (as Cinder makes them: algorithm and length only)', async () => {
  const original = await keys.createKey(alice, { name: 'k', algorithm: 'aes', bitLength: 256, mode: null });
  const clone = await keys.cloneKey(alice, original);
  expect((await payloadOf(alice, clone)).bytes).toEqual((await payloadOf(alice, original)).bytes);
});

it('deletes a key, and deleting it again is not an error', async () => {
  const id = await keys.createKey(alice, { name: 'k', algorithm: 'aes', bitLength: 256, mode: null });
  await keys.deleteKey(alice, id);
  expect((await payloadOf(alice, id)).status).toBe(404);
  await expect(keys.deleteKey(alice, id)).resolves.toBeUndefined();
});

it("refuses a reader a new key, and another project's member alice's key", async () => {
  expect((await refusalOf(keys.createKey(bob, { name: 'k', algorithm: 'aes', bitLength: 256, mode: 'xts' }))).status).toBe(403);
  const id = await keys.createKey(alice, { name: 'k', algorithm: 'aes', bitLength: 256, mode: 'xts' });
  expect((await refusalOf(keys.cloneKey(carol, id))).status).toBe(403);
  expect((await refusalOf(keys.deleteKey(carol, id))).status).toBe(403);
  expect((await payloadOf(alice, id)).status).toBe(200);
});

it('says a key that does not exist is no such key, and an invalid token is refused', async () => {
  expect((await refusalOf(keys.cloneKey(alice, '00000000-0000-4000-8000-000000000000'))).status).toBe(400);
  expect((await refusalOf(keys.createKey('garbage', { name: 'k', algorithm: 'aes', bitLength: 256, mode: null }))).status).toBe(403);
});

it('answers 503 when Barbican cannot be reached', async () => {
  const nowhere = new BarbicanKeyManager({ barbican_endpoint: 'http://127.0.0.1:9', barbican_api_version: 'v1', barbican_timeout: 2 });
  expect((await refusalOf(nowhere.createKey(alice, { name: 'k', algorithm: 'aes', bitLength: 256, mode: null }))).status).toBe(503);
});
