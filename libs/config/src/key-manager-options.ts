import { parseInteger, parseString } from './option-parsers';

/**
 * castellan's `[key_manager]` and `[barbican]` options, as Cinder reads them, for the keys of encrypted
 * volumes. Without a backend Strata creates and clones no keys (a client gives the key id). Environment
 * overrides: `STRATA_KEY_MANAGER_<NAME>` and `STRATA_BARBICAN_<NAME>`.
 */
export const keyManagerDefinitions = {
  /** `barbican`: keys are Barbican secrets, made, cloned and deleted with the caller's Keystone token. */
  backend: parseString('', ['', 'barbican']),
} as const;

export const barbicanDefinitions = {
  /** Barbican's API root, such as http://barbican.internal:9311. */
  barbican_endpoint: parseString(''),
  barbican_api_version: parseString('v1', ['v1']),
  /** Seconds one request to Barbican may take. */
  barbican_timeout: parseInteger(10, { min: 1, max: 600 }),
} as const;

type Parsed<D> = { readonly [K in keyof D]: D[K] extends { parse(text: string): infer T } ? T : never };
export type KeyManagerOptions = Parsed<typeof keyManagerDefinitions>;
export type BarbicanOptions = Parsed<typeof barbicanDefinitions>;
