import type { StrataOptions } from '@strata/config';
import type { JsonLogger } from '../logging/json-logger';
import type { Clock } from '../tokens';
import { noAuth, tokenFileAuth, type Authenticator } from './authenticator';
import { KeystoneAuthenticator } from './keystone/keystone-authenticator';
import { KeystoneIdentityClient } from './keystone/keystone-identity-client';

/** The authenticator `auth_strategy` names: noauth, a static token file, or Keystone. */
export const authenticatorFor = (options: StrataOptions, clock: Clock, logger: JsonLogger): Authenticator => {
  if (options.auth_strategy === 'tokens') return tokenFileAuth(options.token_file);
  if (options.auth_strategy === 'keystone') {
    const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}) =>
      logger.write(level, msg, { context: 'keystone_authtoken', ...fields });
    const client = new KeystoneIdentityClient(options.keystone_authtoken, clock, log);
    return new KeystoneAuthenticator(options.keystone_authtoken, client, clock);
  }
  return noAuth;
};
