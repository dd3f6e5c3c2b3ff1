import { barbicanDefinitions, keyManagerDefinitions } from './key-manager-options';
import { keystoneAuthtokenDefinitions } from './keystone-authtoken-options';

/**
 * Sections read whole into an object of their own (`options.keystone_authtoken.auth_url`), with
 * keystonemiddleware's and oslo's option names; `STRATA_<SECTION>_<OPTION>` overrides each.
 */
export const NESTED_SECTIONS = [
  { section: 'keystone_authtoken', definitions: keystoneAuthtokenDefinitions, envPrefix: 'STRATA_KEYSTONE_AUTHTOKEN_' },
  { section: 'key_manager', definitions: keyManagerDefinitions, envPrefix: 'STRATA_KEY_MANAGER_' },
  { section: 'barbican', definitions: barbicanDefinitions, envPrefix: 'STRATA_BARBICAN_' },
] as const;

/** The environment prefixes of NESTED_SECTIONS: a variable under one names an option of that section. */
export const NESTED_SECTION_ENV_PREFIXES: readonly string[] = NESTED_SECTIONS.map((s) => s.envPrefix);
