import { parseBoolean, parseInteger, parseList, parseString } from './option-parsers';

/**
 * The `[keystone_authtoken]` options Strata reads when `auth_strategy = keystone`, under keystonemiddleware's
 * names and defaults. Environment overrides are `STRATA_KEYSTONE_AUTHTOKEN_` + name in capitals.
 */
export const keystoneAuthtokenDefinitions = {
  /** The identity endpoint a 401 sends clients to (`WWW-Authenticate: Keystone uri="…"`). */
  www_authenticate_uri: parseString(''),
  /** Where Strata's own user logs in (and validates tokens unless the catalog names another identity endpoint). */
  auth_url: parseString(''),
  /** Only Keystone's password method: Strata logs in as its own service user. */
  auth_type: parseString('password', ['password']),
  username: parseString(''),
  password: parseString(''),
  project_name: parseString(''),
  user_domain_name: parseString('Default'),
  project_domain_name: parseString('Default'),
  /** A service token (`X-Service-Token`) with one of these roles lets an expired user token through. */
  service_token_roles: parseList(['service']),
  /** Whether a service token without those roles is refused (true) or accepted without its privilege (false). */
  service_token_roles_required: parseBoolean(false),
  /** Seconds a validated token is believed without asking Keystone again; -1 turns the cache off. */
  token_cache_time: parseInteger(300, { min: -1 }),
  /** The identity endpoint interface taken from the service user's catalog for validation. */
  interface: parseString('internal', ['public', 'internal', 'admin']),
  region_name: parseString(''),
  /** Seconds a request to Keystone may take before it counts as unreachable (keystonemiddleware: no limit). */
  http_connect_timeout: parseInteger(10, { min: 1, max: 600 }),
  /** Extra attempts after a request to Keystone could not connect. */
  http_request_max_retries: parseInteger(3, { min: 0, max: 10 }),
} as const;

export type KeystoneAuthtokenOptionName = keyof typeof keystoneAuthtokenDefinitions;
export type KeystoneAuthtokenOptions = {
  readonly [K in KeystoneAuthtokenOptionName]: ReturnType<(typeof keystoneAuthtokenDefinitions)[K]['parse']>;
};
