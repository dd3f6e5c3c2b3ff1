import { ValidationPipe } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { HttpFault } from '../errors/cinder-fault';

/** Keystone's own limits: names of 255 characters at most, passwords of 4096 (its max_password_length). */
const NAME_MAX = 255;
const PASSWORD_MAX = 4096;
/** Names are one line of printable text: no control characters, which Keystone would refuse anyway. */
const PRINTABLE = /^[^\p{Cc}]+$/u;

/**
 * `POST /strata/v1/auth/tokens`: Keystone's password method as the web page's form sends it. The domains
 * default to Keystone's `Default`. Strata's own route, so class-validator's own wording, which never
 * repeats the value it refused (a password must not come back in an error body). Decorators register
 * bottom-up and stopAtFirstError reports the first registered failure: the type check sits last.
 */
export class KeystoneLoginRequest {
  @ApiProperty({ type: 'string', minLength: 1, maxLength: NAME_MAX })
  @Length(1, NAME_MAX)
  @Matches(PRINTABLE, { message: 'username must be printable text' })
  @IsString()
  username!: string;

  @ApiProperty({ type: 'string', format: 'password', minLength: 1, maxLength: PASSWORD_MAX })
  @Length(1, PASSWORD_MAX)
  @IsString()
  password!: string;

  @ApiProperty({ type: 'string', minLength: 1, maxLength: NAME_MAX })
  @Length(1, NAME_MAX)
  @Matches(PRINTABLE, { message: 'project_name must be printable text' })
  @IsString()
  project_name!: string;

  @ApiProperty({ type: 'string', minLength: 1, maxLength: NAME_MAX, required: false, default: 'Default' })
  @IsOptional()
  @Length(1, NAME_MAX)
  @Matches(PRINTABLE, { message: 'user_domain_name must be printable text' })
  @IsString()
  user_domain_name?: string;

  @ApiProperty({ type: 'string', minLength: 1, maxLength: NAME_MAX, required: false, default: 'Default' })
  @IsOptional()
  @Length(1, NAME_MAX)
  @Matches(PRINTABLE, { message: 'project_domain_name must be printable text' })
  @IsString()
  project_domain_name?: string;
}

const pipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  // Neither the object nor the refused value goes into the errors: they hold the password.
  validationError: { target: false, value: false },
  exceptionFactory: (errors) =>
    HttpFault.badRequest(
      `Invalid login: ${errors
        .flatMap((e) => Object.values(e.constraints ?? {}))
        .sort()
        .join('; ')}.`,
    ),
});

/** The body as a KeystoneLoginRequest, or a 400 naming what is wrong (never the values). */
export const validateLoginRequest = async (raw: unknown): Promise<KeystoneLoginRequest> => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw HttpFault.badRequest('Invalid login: the body must be a JSON object.');
  return (await pipe.transform(raw, { type: 'body', metatype: KeystoneLoginRequest, data: '' })) as KeystoneLoginRequest;
};
