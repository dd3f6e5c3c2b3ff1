import { Body, Controller, Get, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { KeystoneUnavailable } from '../context/keystone/keystone-http';
import { KeystonePasswordLogin, LoginRefused } from '../context/keystone/keystone-password-login';
import { HttpFault } from '../errors/cinder-fault';
import type { JsonLogger } from '../logging/json-logger';
import { ApiDoc } from '../operations/api-doc';
import { JSON_LOGGER } from '../tokens';
import { KeystoneLoginRequest, validateLoginRequest } from './keystone-login.dto';

/**
 * How the web page logs in. `GET /strata/v1/auth` says whether this Strata takes Keystone passwords;
 * `POST /strata/v1/auth/tokens` hands the form's credentials to Keystone and the token back, for a page
 * that cannot reach Keystone itself. Both answer without a token: they are how one gets one.
 */
@ApiTags('Strata')
@Controller('strata/v1/auth')
export class KeystoneLoginController {
  private readonly keystone: KeystonePasswordLogin | null;

  constructor(
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
    @Inject(JSON_LOGGER) logger: JsonLogger,
  ) {
    this.keystone =
      options.auth_strategy === 'keystone'
        ? new KeystonePasswordLogin(options.keystone_authtoken, (level, msg, fields = {}) =>
            logger.write(level, msg, { context: 'keystone_login', ...fields }),
          )
        : null;
  }

  @Get()
  @ApiDoc(
    'How callers authenticate here: the auth_strategy, and whether the page can log in with a Keystone password',
    { 200: 'AuthInfo' },
    { auth: false },
  )
  info() {
    return {
      auth: {
        strategy: this.options.auth_strategy,
        password_login: this.keystone !== null,
        ...(this.keystone ? { www_authenticate_uri: this.options.keystone_authtoken.www_authenticate_uri } : {}),
      },
    };
  }

  @Post('tokens')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiBody({ type: KeystoneLoginRequest })
  @ApiDoc(
    "A project-scoped Keystone token for a username and password, obtained from Keystone's POST /v3/auth/tokens",
    { 201: 'KeystoneLogin', 400: 'Fault', 401: 'Fault', 404: 'Fault', 503: 'Fault' },
    { auth: false },
  )
  async logIn(@Body() raw: unknown) {
    if (!this.keystone) throw HttpFault.notFound('Password login needs auth_strategy = keystone; this Strata takes tokens only.');
    const r = await validateLoginRequest(raw);
    try {
      const login = await this.keystone.logIn({
        username: r.username,
        password: r.password,
        projectName: r.project_name,
        userDomainName: r.user_domain_name ?? 'Default',
        projectDomainName: r.project_domain_name ?? 'Default',
      });
      return {
        login: {
          token: login.token,
          expires_at: login.expiresAt,
          user: { id: login.userId, name: login.userName },
          project: { id: login.projectId, name: login.projectName },
          roles: login.roles,
        },
      };
    } catch (e) {
      if (e instanceof LoginRefused) throw new HttpFault(401, 'Keystone refused these credentials for this project.');
      if (e instanceof KeystoneUnavailable) throw new HttpFault(503, 'The Keystone service is temporarily unavailable.');
      throw e;
    }
  }
}
